// The flow pipeline without sockets: attribution, windows, aggregation, TrafficType, NODATA/SKIPDATA and
// delivery state, fed with DecodedFlow objects on a controlled clock.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DecodedFlow } from '../src/dataplane/collector/index.js';
import { FlowPipeline } from '../src/dataplane/pipeline/pipeline.js';
import { recordTimes, windowStartOf } from '../src/dataplane/pipeline/window.js';
import { DEV_ACCOUNT_ID } from '../src/products/identity/identity-service.js';
import { ExporterBindingRepo } from '../src/store/repos/exporter-binding-repo.js';
import { vpcClient, VpcModels } from './support/clients.js';
import { startTestServer, type TestServer } from './support/server.js';
import { insertEni, insertNetwork, type NetworkRows } from './support/world.js';

const T0 = Date.UTC(2024, 4, 1, 10, 0, 0); // a replayed capture: 2024-05-01T10:00:00Z
const OTHER_ACCOUNT = '1234567890123456';
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

// Every test gets its own private addresses: the server is shared, and a repeated address in two VPCs
// is ambiguous for an unbound exporter (which is tested on purpose below).
let nextIp = 1;
const freshIp = (): string => {
  const k = nextIp++;
  return `10.${100 + (k >> 16)}.${(k >> 8) & 255}.${k & 255}`;
};
let A = '';
let B = '';
let L = '';
let S = '';
beforeEach(() => {
  [A, B, L, S] = [freshIp(), freshIp(), freshIp(), freshIp()];
});

interface Net extends NetworkRows {
  enis: Record<string, string>;
}

async function addNetwork(ips: string[], accountId = DEV_ACCOUNT_ID): Promise<Net> {
  const rows = await insertNetwork(server.app, { accountId });
  const net: Net = { ...rows, enis: {} };
  for (const ip of ips) net.enis[ip] = await addEni(net, ip);
  return net;
}

function addEni(net: Net, ip: string, instanceId = ''): Promise<string> {
  return insertEni(server.app, net, ip, { instanceId });
}

async function addTarget(accountId = DEV_ACCOUNT_ID): Promise<{ project: string; logstore: string }> {
  const now = Date.now();
  const project = `proj-${randomBytes(4).toString('hex')}`;
  await server.app.store.repos.logs.insertProject({
    region_id: 'cn-hangzhou',
    project_name: project,
    account_id: accountId,
    description: '',
    created_at: now,
    updated_at: now,
  });
  await server.app.store.repos.logs.insertLogstore({
    region_id: 'cn-hangzhou',
    project_name: project,
    logstore_name: 'flows',
    ttl_days: 30,
    shard_count: 2,
    created_at: now,
    updated_at: now,
  });
  return { project, logstore: 'flows' };
}

async function addFlowLog(
  resourceType: 'NetworkInterface' | 'VSwitch' | 'VPC',
  resourceId: string,
  opts: { trafficType?: string; interval?: number; accountId?: string } = {},
): Promise<{ flowLogId: string; project: string; logstore: string }> {
  const accountId = opts.accountId ?? DEV_ACCOUNT_ID;
  const target = await addTarget(accountId);
  const { flowLogId } = await server.app.services.flowLogs.create(
    { accountId, regionId: 'cn-hangzhou' },
    {
      resourceType,
      resourceId,
      trafficType: opts.trafficType ?? 'All',
      projectName: target.project,
      logstoreName: target.logstore,
      aggregationInterval: opts.interval ?? 1,
      trafficPath: [],
      tags: [],
    },
  );
  return { flowLogId, ...target };
}

function flow(p: Partial<DecodedFlow> & { srcaddr: string; dstaddr: string }): DecodedFlow {
  return {
    exporterAddress: '127.0.0.1',
    exporterPort: 50000,
    observationDomainId: 0,
    netflowVersion: 10,
    ipVersion: 4,
    srcport: 40000,
    dstport: 80,
    protocol: 6,
    packets: 10,
    bytes: 1000,
    startMs: T0 + 5_000,
    endMs: T0 + 6_000,
    tcpFlags: 0x10,
    action: 'ACCEPT',
    ...p,
  };
}

function pipeline(opts: { maxOpenBuckets?: number; now?: () => number } = {}): FlowPipeline {
  return new FlowPipeline({ store: server.app.store, flushGraceMs: 60_000, ...opts });
}

async function records(flowLogId: string, status = 'OK'): Promise<Record<string, unknown>[]> {
  return server.app.store.records.query(
    'SELECT * FROM log_records WHERE flow_log_id = ? AND log_status = ? ORDER BY eni_id, start, srcaddr, srcport, direction',
    [flowLogId, status],
  );
}

describe('windows', () => {
  it('aligns windows to multiples of the interval since the epoch (UTC)', () => {
    const ten = 10 * 60_000;
    expect(windowStartOf(Date.UTC(2024, 4, 1, 10, 17, 59), ten)).toBe(Date.UTC(2024, 4, 1, 10, 10));
    expect(windowStartOf(Date.UTC(2024, 4, 1, 10, 20), ten)).toBe(Date.UTC(2024, 4, 1, 10, 20));
    expect(windowStartOf(Date.UTC(2024, 4, 1, 10, 4, 59, 999), 5 * 60_000)).toBe(Date.UTC(2024, 4, 1, 10));
    expect(windowStartOf(Date.UTC(2024, 4, 1, 10, 0, 59), 60_000)).toBe(Date.UTC(2024, 4, 1, 10));
  });

  // https://www.alibabacloud.com/help/en/sls/vpc defines `start` and `end` this way.
  it('start = first packet; end = window end, or close time after FIN/RST (SLS VPC field page)', () => {
    const wEnd = T0 + 60_000;
    expect(recordTimes(T0 + 5_400, T0 + 9_000, 0x18, 6, wEnd)).toEqual({
      start: T0 / 1000 + 5,
      end: wEnd / 1000,
    });
    expect(recordTimes(T0 + 5_400, T0 + 9_200, 0x19, 6, wEnd)).toEqual({
      start: T0 / 1000 + 5,
      end: T0 / 1000 + 10,
    });
    expect(recordTimes(T0 + 5_400, T0 + 99_000, 0x04, 6, wEnd)).toEqual({
      start: T0 / 1000 + 5,
      end: wEnd / 1000,
    });
    // UDP has no connection close: always the window end.
    expect(recordTimes(T0 + 5_400, T0 + 9_000, 0x01, 17, wEnd).end).toBe(wEnd / 1000);
  });
});

describe('attribution and aggregation', () => {
  it('two exports of one 5-tuple in a window make one record (summed, flags OR-ed); the next window a new one', async () => {
    const net = await addNetwork([A, B]);
    const eni = net.enis[A]!;
    const fl = await addFlowLog('NetworkInterface', eni);
    const p = pipeline();
    await p.init();
    p.ingest([
      flow({
        srcaddr: A,
        dstaddr: '8.8.8.8',
        packets: 3,
        bytes: 300,
        tcpFlags: 0x02,
        startMs: T0 + 1_000,
      }),
      flow({
        srcaddr: A,
        dstaddr: '8.8.8.8',
        packets: 4,
        bytes: 400,
        tcpFlags: 0x10,
        startMs: T0 + 30_000,
        endMs: T0 + 40_000,
      }),
      flow({
        srcaddr: A,
        dstaddr: '8.8.8.8',
        packets: 5,
        bytes: 500,
        tcpFlags: 0x18,
        startMs: T0 + 61_000,
        endMs: T0 + 62_000,
      }),
      flow({ srcaddr: '8.8.8.8', srcport: 80, dstaddr: A, dstport: 40000, packets: 2, bytes: 120 }),
    ]);
    await p.flush();
    const rows = await records(fl.flowLogId);
    expect(
      rows.map((r) => [r['direction'], r['start'], r['end'], r['packets'], r['bytes'], r['tcp_flags']]),
    ).toEqual([
      ['out', T0 / 1000 + 1, T0 / 1000 + 60, 7, 700, 0x12],
      ['in', T0 / 1000 + 5, T0 / 1000 + 60, 2, 120, 0x10],
      ['out', T0 / 1000 + 61, T0 / 1000 + 120, 5, 500, 0x18],
    ]);
    const r0 = rows[0]!;
    expect(r0).toMatchObject({
      version: 1,
      topic: 'flow_log',
      time: T0 / 1000 + 1,
      eni_id: eni,
      vpc_id: net.vpcId,
      vswitch_id: net.vswitchId,
      vm_id: '',
      account_id: DEV_ACCOUNT_ID,
      region: 'cn-hangzhou',
      srcaddr: A,
      srcport: 40000,
      dstaddr: '8.8.8.8',
      dstport: 80,
      protocol: 6,
      log_status: 'OK',
      action: 'ACCEPT',
      project_name: fl.project,
      logstore_name: fl.logstore,
    });
  });

  it('a flow between two watched ENIs counts on both (out on the source, in on the destination)', async () => {
    const net = await addNetwork([A, B]);
    const fl = await addFlowLog('VSwitch', net.vswitchId);
    const p = pipeline();
    await p.init();
    p.ingest([flow({ srcaddr: A, dstaddr: B })]);
    await p.flush();
    const rows = await records(fl.flowLogId);
    expect(rows).toHaveLength(2);
    expect(new Map(rows.map((r) => [r['eni_id'], r['direction']]))).toEqual(
      new Map([
        [net.enis[A], 'out'],
        [net.enis[B], 'in'],
      ]),
    );
  });

  it('counts ambiguous addresses (same IP in two VPCs, unbound exporter) and never guesses; a binding decides', async () => {
    const a = await addNetwork([S]);
    const b = await addNetwork([S], OTHER_ACCOUNT);
    const flA = await addFlowLog('VPC', a.vpcId);
    const flB = await addFlowLog('VPC', b.vpcId, { accountId: OTHER_ACCOUNT });
    const p = pipeline();
    await p.init();
    const f = flow({
      srcaddr: S,
      dstaddr: '1.1.1.1',
      exporterAddress: '127.0.0.9',
      exporterPort: 4000,
    });
    p.ingest([f, flow({ srcaddr: '192.0.2.1', dstaddr: '192.0.2.2' })]);
    expect(p.counters()).toMatchObject({ ambiguous: 1, unattributed: 1, aggregated: 0 });

    const bindings = new ExporterBindingRepo(server.app.store.db);
    await bindings.put({
      address: '127.0.0.9',
      port: -1,
      observation_domain_id: -1,
      account_id: OTHER_ACCOUNT,
      region_id: 'cn-hangzhou',
      vpc_id: b.vpcId,
      created_at: Date.now(),
    });
    await p.refresh();
    p.ingest([f, { ...f, exporterAddress: '127.0.0.10' }]);
    expect(p.counters()).toMatchObject({ ambiguous: 2, aggregated: 1 });
    await p.flush();
    expect(await records(flA.flowLogId)).toHaveLength(0);
    const rows = await records(flB.flowLogId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      eni_id: b.enis[S],
      account_id: OTHER_ACCOUNT,
      direction: 'out',
    });
    await bindings.delete('127.0.0.9', -1, -1);
  });

  it('TrafficType Allow keeps ACCEPT only, Drop REJECT only, All both', async () => {
    const net = await addNetwork([A]);
    const eni = net.enis[A]!;
    const all = await addFlowLog('NetworkInterface', eni, { trafficType: 'All' });
    const allow = await addFlowLog('NetworkInterface', eni, { trafficType: 'Allow' });
    const drop = await addFlowLog('NetworkInterface', eni, { trafficType: 'Drop' });
    const p = pipeline();
    await p.init();
    p.ingest([
      flow({ srcaddr: A, dstaddr: '8.8.8.8', action: 'ACCEPT' }),
      flow({ srcaddr: '9.9.9.9', dstaddr: A, dstport: 22, action: 'REJECT', forwardingStatus: 10 }),
    ]);
    await p.flush();
    expect((await records(all.flowLogId)).map((r) => r['action']).sort()).toEqual(['ACCEPT', 'REJECT']);
    expect((await records(allow.flowLogId)).map((r) => r['action'])).toEqual(['ACCEPT']);
    expect((await records(drop.flowLogId)).map((r) => [r['action'], r['direction'], r['dstport']])).toEqual([
      ['REJECT', 'in', 22],
    ]);
    expect(p.counters().filtered).toBe(2);
  });

  it('VPC-wide flow logs cover ENIs created later; Inactive flow logs record nothing', async () => {
    const net = await addNetwork([A]);
    const fl = await addFlowLog('VPC', net.vpcId);
    const inactive = await addFlowLog('NetworkInterface', net.enis[A]!);
    await server.app.store.db.run(`UPDATE flow_logs SET status = 'Inactive' WHERE flow_log_id = ?`, [
      inactive.flowLogId,
    ]);
    const p = pipeline();
    await p.init();
    const later = await addEni(net, L, 'i-bp1later');
    p.invalidate();
    await p.tick(); // reloads the view
    p.ingest([flow({ srcaddr: A, dstaddr: L })]);
    await p.flush();
    const rows = await records(fl.flowLogId);
    expect(rows.map((r) => [r['eni_id'], r['direction'], r['vm_id']]).sort()).toEqual(
      [
        [net.enis[A], 'out', ''],
        [later, 'in', 'i-bp1later'],
      ].sort(),
    );
    expect(
      await server.app.store.records.query('SELECT * FROM log_records WHERE flow_log_id = ?', [
        inactive.flowLogId,
      ]),
    ).toEqual([]);
  });
});

describe('status records', () => {
  it('NODATA: one record per idle covered ENI for the most recent closed window, never repeated', async () => {
    let now = Date.now();
    const net = await addNetwork([A, B]);
    const fl = await addFlowLog('VSwitch', net.vswitchId, { interval: 1 });
    const p = pipeline({ now: () => now });
    await p.init();
    const current = windowStartOf(now, 60_000);
    p.ingest([flow({ srcaddr: A, dstaddr: '8.8.8.8', startMs: now - 1, endMs: now })]);
    now = current + 60_000; // a flush closes only windows that have ended
    await p.flush();
    const nodata = await records(fl.flowLogId, 'NODATA');
    expect(nodata).toHaveLength(1);
    expect(nodata[0]).toMatchObject({
      eni_id: net.enis[B],
      start: current / 1000,
      end: current / 1000 + 60,
      srcaddr: '-',
      dstaddr: '-',
      direction: '-',
      action: '-',
      packets: 0,
      bytes: 0,
      srcport: null,
      version: 1,
      topic: 'flow_log',
    });
    await p.flush(); // same window: nothing new
    expect(await records(fl.flowLogId, 'NODATA')).toHaveLength(1);
    // Two windows later plus grace, the timer closes the window after it: both ENIs were idle there.
    now = current + 2 * 60_000 + 60_000 + 1;
    await p.tick();
    const later = await records(fl.flowLogId, 'NODATA');
    expect(later).toHaveLength(3);
    expect(later.filter((r) => r['start'] === current / 1000 + 60)).toHaveLength(2);
  });

  it('SKIPDATA when the aggregation table is full (with the skipped totals) and after collector drops', async () => {
    const net = await addNetwork([A, B]);
    const fl = await addFlowLog('VSwitch', net.vswitchId);
    const p = pipeline({ maxOpenBuckets: 1 });
    await p.init();
    p.ingest([
      flow({ srcaddr: A, dstaddr: '8.8.8.8', srcport: 1, packets: 1, bytes: 10 }),
      flow({ srcaddr: A, dstaddr: '8.8.8.8', srcport: 2, packets: 2, bytes: 20 }),
      flow({ srcaddr: A, dstaddr: '8.8.8.8', srcport: 3, packets: 3, bytes: 30 }),
    ]);
    expect(p.counters()).toMatchObject({ aggregated: 1, overflowed: 2 });
    await p.flush();
    expect(await records(fl.flowLogId)).toHaveLength(1);
    const skip = (await records(fl.flowLogId, 'SKIPDATA')).filter((r) => r['start'] === T0 / 1000);
    expect(skip).toHaveLength(1);
    expect(skip[0]).toMatchObject({
      eni_id: net.enis[A],
      packets: 5,
      bytes: 50,
      end: T0 / 1000 + 60,
    });

    p.noteDropped(7); // the collector dropped flows it never decoded for us: every covered ENI is told
    await server.app.store.db.run('DELETE FROM flow_log_delivery WHERE flow_log_id = ?', [fl.flowLogId]);
    let clock = Date.now();
    const p2 = pipeline({ now: () => clock });
    await p2.init();
    p2.noteDropped(7);
    clock = windowStartOf(clock, 60_000) + 60_000; // a flush closes only windows that have ended
    await p2.flush();
    const now = windowStartOf(Date.now(), 60_000) / 1000;
    const current = (await records(fl.flowLogId, 'SKIPDATA')).filter((r) => r['start'] === now);
    expect(current.map((r) => r['eni_id']).sort()).toEqual(Object.values(net.enis).sort());
  });
});

describe('delivery status', () => {
  it('FAILED with UnavaliableTarget / ProjectNotExist while the target is missing; SUCCESS after the next delivery', async () => {
    const net = await addNetwork([A]);
    const fl = await addFlowLog('NetworkInterface', net.enis[A]!);
    const client = vpcClient(server.endpoint);
    const status = async (): Promise<[string | undefined, string | undefined]> => {
      const res = await client.describeFlowLogs(
        new VpcModels.DescribeFlowLogsRequest({ regionId: 'cn-hangzhou', flowLogId: fl.flowLogId }),
      );
      const item = res.body?.flowLogs?.flowLog?.[0];
      return [item?.flowLogDeliverStatus, item?.flowLogDeliverErrorMessage];
    };
    const p = pipeline();
    await p.init();
    const send = async (): Promise<void> => {
      p.ingest([flow({ srcaddr: A, dstaddr: '8.8.8.8' })]);
      await p.flush();
    };
    await send();
    expect(await status()).toEqual(['SUCCESS', '']);

    const logs = server.app.store.repos.logs;
    await logs.deleteLogstore('cn-hangzhou', fl.project, fl.logstore);
    expect(await status()).toEqual(['FAILED', 'UnavaliableTarget']); // before any delivery
    await send();
    expect(p.counters().recordsFailed).toBeGreaterThan(0);
    const now = Date.now();
    const logstore = {
      region_id: 'cn-hangzhou',
      project_name: fl.project,
      logstore_name: fl.logstore,
      ttl_days: 30,
      shard_count: 2,
      created_at: now,
      updated_at: now,
    };
    await logs.insertLogstore(logstore);
    // The target is back, but the last delivery failed and none has succeeded since.
    expect(await status()).toEqual(['FAILED', 'UnavaliableTarget']);
    await send();
    expect(await status()).toEqual(['SUCCESS', '']);

    await logs.deleteProject('cn-hangzhou', fl.project);
    await send();
    expect(await status()).toEqual(['FAILED', 'ProjectNotExist']);
    const before = (await records(fl.flowLogId)).length;
    await logs.insertProject({
      region_id: 'cn-hangzhou',
      project_name: fl.project,
      account_id: DEV_ACCOUNT_ID,
      description: '',
      created_at: now,
      updated_at: now,
    });
    await logs.insertLogstore(logstore);
    expect((await status())[0]).toBe('FAILED');
    await send();
    expect(await status()).toEqual(['SUCCESS', '']);
    expect((await records(fl.flowLogId)).length).toBe(before + 1);
  });
});
