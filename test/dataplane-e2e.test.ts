// End to end with a real exporter: pcap files whose addresses are the ENIs' IPs, exported by Debian's
// softflowd (IPFIX, NetFlow v9, NetFlow v5) to vpcflow's collector, flushed, and read back through the
// official SLS client. Flow logs are created with the official Vpc SDK.
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as SlsTypes from '@alicloud/sls20201230';
import type * as OpenApiTypes from '@alicloud/openapi-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_ACCESS_KEY_ID, DEV_ACCESS_KEY_SECRET } from '../src/products/identity/identity-service.js';
import { DEV_ACCOUNT_ID } from '../src/products/identity/identity-service.js';
import { vpcClient, VpcModels, type VpcClient } from './support/clients.js';
import { buildPcap, type PcapPacket } from '../src/dataplane/sample/pcap-writer.js';
import { installSlsHostResolution } from './support/sls-host.js';
import { startTestServer, tempDir, type TestServer } from './support/server.js';
import { hasSoftflowd, runSoftflowd, type SoftflowdVersion } from './support/softflowd.js';
import { skipWithout } from './support/real-tools.js';
import { insertEni, insertNetwork } from './support/world.js';

const require = createRequire(import.meta.url);
const $Sls = require('@alicloud/sls20201230') as typeof SlsTypes;
const $OpenApi = require('@alicloud/openapi-core') as typeof OpenApiTypes;
const SlsClient = $Sls.default as unknown as typeof SlsTypes.default.default;
type SlsClient = InstanceType<typeof SlsClient>;

const T0 = Date.UTC(2024, 4, 1, 10, 0, 0); // the capture's time: records land in its original windows
const S0 = T0 / 1000;
const A = '10.77.1.10';
const B = '10.77.1.20';
const REGION = 'cn-hangzhou';

let server: TestServer;
let dataDir: string;
let vpc: VpcClient;
let sls: SlsClient;
let uninstall: () => void;
let work: string;

async function start(): Promise<void> {
  server = await startTestServer({ collectors: ['127.0.0.1:0'], inMemory: false, dataDir });
  vpc = vpcClient(server.endpoint);
  sls = new SlsClient(
    new $OpenApi.$OpenApiUtil.Config({
      accessKeyId: DEV_ACCESS_KEY_ID,
      accessKeySecret: DEV_ACCESS_KEY_SECRET,
      endpoint: `localhost:${server.port}`,
      protocol: 'http',
    }),
  );
}

const collectorPort = (): number => server.app.dataplane!.bound[0]!.port;

async function admin(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; text: string }> {
  const res = await fetch(`${server.url}/_vpcflow/${path}`, {
    method,
    ...(body === undefined
      ? {}
      : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  return { status: res.status, text: await res.text() };
}

/** Network rows written with SQL (the seed-file way). */
async function network(
  ips: string[],
): Promise<{ vpcId: string; vswitchId: string; enis: Record<string, string> }> {
  const rows = await insertNetwork(server.app, {
    regionId: REGION,
    vpcCidr: '10.0.0.0/8',
    vswitchCidr: '10.0.0.0/8',
  });
  const enis: Record<string, string> = {};
  for (const ip of ips)
    enis[ip] = await insertEni(server.app, rows, ip, { instanceId: `i-${ip.replace(/\./g, '')}` });
  return { vpcId: rows.vpcId, vswitchId: rows.vswitchId, enis };
}

async function flowLog(
  resourceType: string,
  resourceId: string,
  logstore: string,
  opts: { trafficType?: string; interval?: number; project: string },
): Promise<string> {
  const res = await vpc.createFlowLog(
    new VpcModels.CreateFlowLogRequest({
      regionId: REGION,
      resourceType,
      resourceId,
      trafficType: opts.trafficType ?? 'All',
      projectName: opts.project,
      logStoreName: logstore,
      aggregationInterval: opts.interval ?? 1,
    }),
  );
  return res.body!.flowLogId!;
}

/** Export a capture with softflowd and wait until the collector has received every datagram. */
async function exportPcap(packets: PcapPacket[], version: SoftflowdVersion): Promise<void> {
  const file = join(work, `${randomBytes(4).toString('hex')}.pcap`);
  writeFileSync(file, buildPcap(packets));
  const before = server.app.dataplane!.counters().collector.datagrams;
  const result = await runSoftflowd({
    pcapFile: file,
    port: collectorPort(),
    version,
    pidFile: `${file}.pid`,
    adjustTime: version === 5,
  });
  expect(result.timedOut).toBe(false);
  const exported = Number(/in (\d+) packets/.exec(result.stdout)?.[1] ?? '1');
  // Bounded, generous wait: on a loaded CI machine the datagrams can take a while to be read.
  for (let i = 0; i < 500; i++) {
    if (server.app.dataplane!.counters().collector.datagrams - before >= exported) break;
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function flush(): Promise<void> {
  const res = await admin('POST', 'flush');
  expect(res.status).toBe(200);
}

type Rec = Record<string, string>;
async function getLogs(project: string, logstore: string, query = 'log-status: OK'): Promise<Rec[]> {
  const rows: Rec[] = [];
  for (let offset = 0; ; offset += 100) {
    const res = await sls.getLogs(
      project,
      logstore,
      new $Sls.GetLogsRequest({
        from: S0 - 3600,
        to: Math.floor(Date.now() / 1000) + 3600,
        query,
        line: 100,
        offset,
      }),
    );
    const page = (res.body ?? []) as Rec[];
    rows.push(...page);
    if (page.length < 100) return rows;
  }
}

const tcp = (tsMs: number, from: 'A' | 'B', flags: number, payload: number): PcapPacket =>
  from === 'A'
    ? { tsMs, src: A, dst: B, proto: 'tcp', sport: 40000, dport: 80, tcpFlags: flags, payloadLength: payload }
    : {
        tsMs,
        src: B,
        dst: A,
        proto: 'tcp',
        sport: 80,
        dport: 40000,
        tcpFlags: flags,
        payloadLength: payload,
      };

/** A record summarised as `eni direction src:port>dst:port start end packets bytes flags`. */
function brief(r: Rec, enis: Record<string, string>): string {
  const eni = Object.entries(enis).find(([, id]) => id === r['eni-id'])?.[0] ?? r['eni-id'];
  return `${eni === A ? 'A' : eni === B ? 'B' : eni} ${r['direction']} ${r['srcaddr']}:${r['srcport']}>${r['dstaddr']}:${r['dstport']} ${
    Number(r['start']) - S0
  } ${Number(r['end']) - S0} ${r['packets']} ${r['bytes']} ${r['tcp-flags']} ${r['action']}`;
}

describe.skipIf(skipWithout(hasSoftflowd))('softflowd -> collector -> flow-log records -> GetLogs', () => {
  let net: Awaited<ReturnType<typeof network>>;
  const project = `e2e-${randomBytes(3).toString('hex')}`;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    uninstall = installSlsHostResolution();
    dataDir = tempDir();
    work = mkdtempSync(join(tmpdir(), 'vpcflow-e2e-'));
    await start();
    net = await network([A, B]);
    await sls.createProject(new $Sls.CreateProjectRequest({ projectName: project, description: '' }));
    for (const name of ['eni-a', 'vpc-wide', 'vsw-drop', 'eni-b-inactive', 'vsw-allow']) {
      await sls.createLogStore(
        project,
        new $Sls.CreateLogStoreRequest({ logstoreName: name, ttl: 3650, shardCount: 1 }),
      );
    }
    ids['eni-a'] = await flowLog('NetworkInterface', net.enis[A]!, 'eni-a', { project, interval: 1 });
    ids['vpc-wide'] = await flowLog('VPC', net.vpcId, 'vpc-wide', { project, interval: 10 });
    // A flush closes only windows that have ended: date the flow log into the previous 10-minute window
    // so the one that ended last is one it covers.
    await server.app.store.db.run('UPDATE flow_logs SET created_at = ? WHERE flow_log_id = ?', [
      Math.floor(Date.now() / 600_000) * 600_000 - 1,
      ids['vpc-wide'],
    ]);
    ids['vsw-drop'] = await flowLog('VSwitch', net.vswitchId, 'vsw-drop', { project, trafficType: 'Drop' });
    ids['vsw-allow'] = await flowLog('VSwitch', net.vswitchId, 'vsw-allow', {
      project,
      trafficType: 'Allow',
      interval: 5,
    });
    ids['eni-b-inactive'] = await flowLog('NetworkInterface', net.enis[B]!, 'eni-b-inactive', { project });
    await vpc.deactiveFlowLog(
      new VpcModels.DeactiveFlowLogRequest({ regionId: REGION, flowLogId: ids['eni-b-inactive'] }),
    );

    // Export 1 (IPFIX): a TCP exchange A:40000 <-> B:80 and a DNS query from A, at 10:00:05-10:00:10.
    await exportPcap(
      [
        tcp(T0 + 5_000, 'A', 0x02, 0),
        tcp(T0 + 5_100, 'B', 0x12, 0),
        tcp(T0 + 5_200, 'A', 0x18, 100),
        tcp(T0 + 5_300, 'B', 0x18, 1000),
        {
          tsMs: T0 + 10_000,
          src: A,
          dst: '8.8.8.8',
          proto: 'udp',
          sport: 5353,
          dport: 53,
          payloadLength: 50,
        },
      ],
      10,
    );
    // Export 2 (NetFlow v9): the same 5-tuple later in the same minute: aggregated with export 1.
    await exportPcap([tcp(T0 + 30_000, 'A', 0x10, 200), tcp(T0 + 30_100, 'B', 0x10, 0)], 9);
    // Export 3 (NetFlow v5): the next minute: a new 1-minute window, the same 10-minute window.
    await exportPcap([tcp(T0 + 70_000, 'A', 0x18, 300), tcp(T0 + 70_100, 'B', 0x10, 0)], 5);
    await flush();
  }, 20_000);

  afterAll(async () => {
    await server?.close();
    uninstall?.();
    rmSync(work, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('an ENI flow log (1-minute windows): one record per direction and window, exports aggregated', async () => {
    const rows = (await getLogs(project, 'eni-a')).map((r) => brief(r, net.enis)).sort();
    // IP bytes: 40-byte TCP headers + payload; UDP 28 + payload.
    expect(rows).toEqual(
      [
        // 10:00 window: export 1 (2 + 1 packets) + export 2 (1 + 1) of the same 5-tuple.
        `A out ${A}:40000>${B}:80 5 60 3 420 26 ACCEPT`,
        `A in ${B}:80>${A}:40000 5 60 3 1120 26 ACCEPT`,
        `A out ${A}:5353>8.8.8.8:53 10 60 1 78 0 ACCEPT`,
        // 10:01 window: export 3 (NetFlow v5).
        `A out ${A}:40000>${B}:80 70 120 1 340 24 ACCEPT`,
        `A in ${B}:80>${A}:40000 70 120 1 40 16 ACCEPT`,
      ].sort(),
    );
    const one = (await getLogs(project, 'eni-a', `log-status: OK and dstport: 53`))[0]!;
    expect(one).toMatchObject({
      __topic__: 'flow_log',
      version: '1',
      'vswitch-id': net.vswitchId,
      'vm-id': `i-${A.replace(/\./g, '')}`,
      'vpc-id': net.vpcId,
      'account-id': DEV_ACCOUNT_ID,
      'eni-id': net.enis[A],
      region: REGION,
      protocol: '17',
      'log-status': 'OK',
    });
    expect(one['__time__']).toBe(String(S0 + 10));
  });

  it('a VPC-wide flow log (10-minute window) sees both ENIs, each direction once, all exports merged', async () => {
    const rows = (await getLogs(project, 'vpc-wide')).map((r) => brief(r, net.enis)).sort();
    expect(rows).toEqual(
      [
        `A out ${A}:40000>${B}:80 5 600 4 760 26 ACCEPT`,
        `B in ${A}:40000>${B}:80 5 600 4 760 26 ACCEPT`,
        `B out ${B}:80>${A}:40000 5 600 4 1160 26 ACCEPT`,
        `A in ${B}:80>${A}:40000 5 600 4 1160 26 ACCEPT`,
        `A out ${A}:5353>8.8.8.8:53 10 600 1 78 0 ACCEPT`,
      ].sort(),
    );
  });

  it('TrafficType filters (Allow keeps the accepted flows, Drop has none); Inactive flow logs record nothing', async () => {
    // 5-minute windows: everything above falls into 10:00-10:05.
    expect(await getLogs(project, 'vsw-allow')).toHaveLength(5);
    expect(await getLogs(project, 'vsw-drop')).toHaveLength(0);
    expect(await getLogs(project, 'eni-b-inactive', '*')).toHaveLength(0);
  });

  it('NODATA for each covered ENI in the window closed by the flush', async () => {
    const nodata = await getLogs(project, 'vpc-wide', 'log-status: NODATA');
    expect(nodata.map((r) => r['eni-id']).sort()).toEqual([net.enis[A], net.enis[B]].sort());
    const now = Date.now() / 1000;
    for (const r of nodata) {
      expect(Number(r['end']) - Number(r['start'])).toBe(600);
      expect(Number(r['start'])).toBeLessThanOrEqual(now);
    }
  });

  it('health and metrics show the collector counters; DescribeFlowLogs shows SUCCESS', async () => {
    const health = JSON.parse((await admin('GET', 'health')).text) as { collector: Record<string, number> };
    expect(health.collector).toMatchObject({
      malformed: 0,
      templateMisses: 0,
      ambiguous: 0,
      deliveryFailures: 0,
    });
    expect(health.collector['records']).toBe(7); // 3 + 2 + 2 flows exported
    expect(health.collector['recordsDelivered']).toBeGreaterThan(0);
    const metrics = await admin('GET', 'metrics');
    expect(metrics.text).toMatch(/^vpcflow_collector_packets_total \d+$/m);
    expect(metrics.text).toMatch(/^vpcflow_collector_records_total 7$/m);
    expect(metrics.text).toMatch(/^vpcflow_pipeline_ambiguous_total 0$/m);
    const res = await vpc.describeFlowLogs(
      new VpcModels.DescribeFlowLogsRequest({ regionId: REGION, flowLogId: ids['eni-a'] }),
    );
    expect(res.body?.flowLogs?.flowLog?.[0]?.flowLogDeliverStatus).toBe('SUCCESS');
  });

  it('records and templates survive a restart', async () => {
    const before = await getLogs(project, 'eni-a', '*');
    await server.close();
    await start();
    expect(server.app.dataplane!.collector.decoder.templateCount()).toBeGreaterThan(0);
    expect(await getLogs(project, 'eni-a', '*')).toEqual(before);
  });

  it('exporter bindings: an address repeated in another VPC is ambiguous until the exporter is bound', async () => {
    const other = await network([A]); // A's address again, in another VPC
    const C = '10.77.1.30';
    await admin('POST', 'flush');
    const store = 'bound';
    await sls.createLogStore(
      project,
      new $Sls.CreateLogStoreRequest({ logstoreName: store, ttl: 3650, shardCount: 1 }),
    );
    await flowLog('VPC', other.vpcId, store, { project });
    const packets = [
      {
        tsMs: T0 + 200_000,
        src: A,
        dst: C,
        proto: 'udp' as const,
        sport: 1000,
        dport: 2000,
        payloadLength: 10,
      },
    ];
    await exportPcap(packets, 10);
    await flush();
    const counters = server.app.dataplane!.counters().pipeline;
    expect(counters.ambiguous).toBe(1);
    expect(await getLogs(project, store)).toHaveLength(0);

    const put = await admin('PUT', 'exporters', {
      address: '127.0.0.1',
      accountId: DEV_ACCOUNT_ID,
      regionId: REGION,
      vpcId: other.vpcId,
    });
    expect(put.status).toBe(200);
    expect(JSON.parse((await admin('GET', 'exporters')).text)).toEqual({
      exporters: [{ address: '127.0.0.1', accountId: DEV_ACCOUNT_ID, regionId: REGION, vpcId: other.vpcId }],
    });
    await exportPcap(packets, 10);
    await flush();
    const rows = await getLogs(project, store);
    expect(rows.map((r) => [r['eni-id'], r['direction'], r['bytes']])).toEqual([
      [other.enis[A], 'out', '38'],
    ]);
    expect((await admin('DELETE', 'exporters?address=127.0.0.1')).status).toBe(200);
    expect(JSON.parse((await admin('GET', 'exporters')).text)).toEqual({ exporters: [] });
    expect((await admin('PUT', 'exporters', { address: 'nope' })).status).toBe(400);
  });
});

describe('collector wiring', () => {
  it('is off by default: no collector object, flush answers 409', async () => {
    const plain = await startTestServer();
    try {
      const health = (await (await fetch(`${plain.url}/_vpcflow/health`)).json()) as Record<string, unknown>;
      expect(health['collector']).toBeUndefined();
      expect((await fetch(`${plain.url}/_vpcflow/flush`, { method: 'POST' })).status).toBe(409);
    } finally {
      await plain.close();
    }
  });

  it('counts malformed datagrams without stalling', async () => {
    const s = await startTestServer({ collectors: ['127.0.0.1:0'] });
    try {
      const sock = createSocket('udp4');
      const port = s.app.dataplane!.bound[0]!.port;
      await new Promise<void>((r) =>
        sock.send(Buffer.from([0, 10, 0, 99, 1, 2]), port, '127.0.0.1', () => r()),
      );
      sock.close();
      for (let i = 0; i < 250 && s.app.dataplane!.counters().collector.datagrams === 0; i++) {
        await new Promise((r) => setTimeout(r, 20));
      }
      const health = (await (await fetch(`${s.url}/_vpcflow/health`)).json()) as {
        collector: Record<string, number>;
      };
      expect(health.collector['malformed']).toBe(1);
    } finally {
      await s.close();
    }
  });
});
