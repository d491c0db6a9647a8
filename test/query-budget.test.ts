/**
 * The GetLogs query budget of the tenant-safety issue, through `@alicloud/sls20201230` over a real
 * socket against DuckDB record stores holding many records:
 * - while a heavy query (many LIKE scans over every record) runs, health and another account's
 *   DescribeFlowLogs answer before it does, and flows sent meanwhile all become records;
 * - a second analytic statement in the same project meanwhile is refused (ExceedQuota), other
 *   projects are not;
 * - a query over its time budget is interrupted and answered with RequestTimeout;
 * - the 1,024-term OR query is refused before it runs, naming the keyword limit;
 * - the 200-column `select ... limit 1000000` answers within the byte budget, marked incomplete.
 * Outcomes only: which answer came first, codes, sizes; no wall-clock thresholds.
 */
import { createRequire } from 'node:module';
import { createSocket, type Socket } from 'node:dgram';

import type * as SlsTypes from '@alicloud/sls20201230';
import type * as OpenApiTypes from '@alicloud/openapi-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import {
  basicFlowRecord,
  basicFlowTemplate,
  dataSet,
  ipfixMessage,
} from '../src/dataplane/collector/message-builder.js';
import {
  DEV_ACCESS_KEY_ID,
  DEV_ACCESS_KEY_SECRET,
  DEV_ACCOUNT_ID,
} from '../src/products/identity/identity-service.js';
import type { RecordRow } from '../src/store/records/record-store.js';
import { VpcModels, sdkError, vpcClient } from './support/clients.js';
import { installSlsHostResolution } from './support/sls-host.js';
import { slsGetLogs } from '../src/cli/logs-query.js';
import { createLogger } from '../src/logger.js';
import { startTestServer, type TestServer } from './support/server.js';
import { insertEni, insertNetwork, makeAccount } from './support/world.js';

const require = createRequire(import.meta.url);
const $Sls = require('@alicloud/sls20201230') as typeof SlsTypes;
const $OpenApi = require('@alicloud/openapi-core') as typeof OpenApiTypes;
const SlsClient = $Sls.default as unknown as typeof SlsTypes.default.default;
type SlsClient = InstanceType<typeof SlsClient>;

const T0 = 1_750_000_000 - (1_750_000_000 % 3600);
const PROJECT = 'budget-proj';
const OTHER_PROJECT = 'budget-other';
const HEAVY_RECORDS = 100_000;
const MAX_RESPONSE_BYTES = 1024 * 1024;
/** 19 wildcard terms, each scanned over the 13 text fields: 247 LIKEs per record, within the limit. */
const HEAVY = `${Array.from({ length: 19 }, (_, i) => `*q${i}*`).join(' or ')} | select count(1) as n`;
const ENI_IP = '10.94.0.10';
const PEER_IP = '10.94.0.20';

function records(project: string, n: number): RecordRow[] {
  const rows: RecordRow[] = [];
  for (let i = 0; i < n; i++) {
    const time = T0 + (i % 3600);
    rows.push({
      region_id: 'cn-hangzhou',
      project_name: project,
      logstore_name: 'flows',
      flow_log_id: 'fl-bp1budget',
      time,
      topic: 'flow_log',
      source: '127.0.0.1',
      version: 1,
      vswitch_id: 'vsw-bp1budget',
      vm_id: 'i-bp1budget',
      vpc_id: 'vpc-bp1budget',
      account_id: DEV_ACCOUNT_ID,
      eni_id: `eni-bp1budget${i % 50}`,
      region: 'cn-hangzhou',
      srcaddr: `10.0.${(i >> 8) & 255}.${i & 255}`,
      srcport: 1024 + (i % 60000),
      dstaddr: `192.168.${(i >> 8) & 255}.${i & 255}`,
      dstport: 443,
      protocol: 6,
      direction: i % 2 ? 'in' : 'out',
      packets: 1 + (i % 50),
      bytes: 40 + (i % 100_000),
      start: time,
      end: time + 60,
      log_status: 'OK',
      action: 'ACCEPT',
      tcp_flags: 18,
    });
  }
  return rows;
}

function slsClient(server: TestServer, key = DEV_ACCESS_KEY_ID, secret = DEV_ACCESS_KEY_SECRET): SlsClient {
  return new SlsClient(
    new $OpenApi.$OpenApiUtil.Config({
      accessKeyId: key,
      accessKeySecret: secret,
      endpoint: `localhost:${server.port}`,
      protocol: 'http',
      // The heavy query takes seconds on a loaded machine; the SDK's default read timeout is 3 s.
      readTimeout: 300_000,
      connectTimeout: 60_000,
    }),
  );
}

async function createLogstore(client: SlsClient, project: string): Promise<void> {
  await client.createProject(new $Sls.CreateProjectRequest({ projectName: project, description: '' }));
  await client.createLogStore(
    project,
    new $Sls.CreateLogStoreRequest({ logstoreName: 'flows', ttl: 3650, shardCount: 1 }),
  );
}

function getLogs(client: SlsClient, query: string, project = PROJECT) {
  return client.getLogs(project, 'flows', new $Sls.GetLogsRequest({ from: T0, to: T0 + 3600, query }));
}

/** The gate's key of a project of the dev account (query-budget.ts, get-logs.ts). */
const gateKey = (project: string): string => `${DEV_ACCOUNT_ID}\ncn-hangzhou\n${project}`;

let uninstall: () => void;
let server: TestServer;
let client: SlsClient;

beforeAll(async () => {
  uninstall = installSlsHostResolution();
  server = await startTestServer({
    collectors: ['127.0.0.1:0'],
    queryConcurrency: 1,
    queryMaxResponseBytes: MAX_RESPONSE_BYTES,
  });
  client = slsClient(server);
  await createLogstore(client, PROJECT);
  await createLogstore(client, OTHER_PROJECT);
  await server.app.store.records.append(records(PROJECT, HEAVY_RECORDS));
  await server.app.store.records.append(records(OTHER_PROJECT, 100));
}, 300_000);

afterAll(async () => {
  await server.close();
  uninstall();
});

function bound(address: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = createSocket('udp4');
    s.once('error', reject);
    s.bind(0, address, () => resolve(s));
  });
}

function flowDatagram(sequence: number, startMs: number): Buffer {
  return ipfixMessage({ exportTime: Math.floor(startMs / 1000), sequence, domain: 3 }, [
    basicFlowTemplate(300),
    dataSet(300, [
      basicFlowRecord({
        src: ENI_IP,
        dst: PEER_IP,
        sport: 40000 + sequence,
        dport: 443,
        protocol: 6,
        packets: 3,
        bytes: 300,
        startMs,
        endMs: startMs + 50,
      }),
    ]),
  ]);
}

describe('a heavy query does not stall the others', () => {
  it('health and another account’s DescribeFlowLogs answer before it, flows sent meanwhile become records', async () => {
    // A flow log on an ENI of the dev account, for the flows sent while the heavy query runs.
    const net = await insertNetwork(server.app, { vpcCidr: '10.94.0.0/16', vswitchCidr: '10.94.0.0/24' });
    const eni = await insertEni(server.app, net, ENI_IP);
    await server.app.services.flowLogs.create(
      { accountId: DEV_ACCOUNT_ID, regionId: 'cn-hangzhou' },
      {
        resourceType: 'NetworkInterface',
        resourceId: eni,
        trafficType: 'All',
        projectName: OTHER_PROJECT,
        logstoreName: 'flows',
        aggregationInterval: 1,
        trafficPath: [],
        tags: [],
      },
    );
    const other = await makeAccount(server.app, '1999999999999901');
    const otherVpc = vpcClient(server.endpoint, other);
    const dp = server.app.dataplane!;
    const attributedBefore = dp.counters().pipeline.attributed;

    const order: string[] = [];
    const heavy = getLogs(client, HEAVY).then((res) => {
      order.push('heavy');
      return res;
    });
    await vi.waitFor(() => expect(server.app.queryGate.running(gateKey(PROJECT), 'analytic')).toBe(1), {
      timeout: 60_000,
      interval: 2,
    });
    const health = await fetch(`${server.url}/_vpcflow/health`);
    expect(health.status).toBe(200);
    order.push('health');
    const flowLogs = await otherVpc.describeFlowLogs(
      new VpcModels.DescribeFlowLogsRequest({ regionId: 'cn-hangzhou' }),
    );
    expect(flowLogs.body?.totalCount).toBe('0');
    order.push('describe');
    const exporter = await bound('127.0.0.4');
    const FLOWS = 10;
    const start = Date.now() - 120_000;
    try {
      for (let i = 0; i < FLOWS; i++) {
        await new Promise<void>((resolve, reject) =>
          exporter.send(flowDatagram(i, start + i), dp.bound[0]!.port, '127.0.0.1', (err) =>
            err ? reject(err) : resolve(),
          ),
        );
      }
    } finally {
      exporter.close();
    }
    order.push('flows sent');

    const res = await heavy;
    expect(order).toEqual(['health', 'describe', 'flows sent', 'heavy']);
    expect(res.body).toEqual([{ n: '0' }]);
    expect(res.headers?.['x-log-progress']).toBe('Complete');

    // On failure the whole counter snapshot shows where the flows stopped (collector, decoder, pipeline).
    await vi.waitFor(
      () => {
        const c = dp.counters();
        expect({ attributed: c.pipeline.attributed - attributedBefore, counters: c }).toMatchObject({
          attributed: FLOWS,
        });
      },
      { timeout: 60_000, interval: 50 },
    );
    const flushed = await fetch(`${server.url}/_vpcflow/flush`, { method: 'POST' });
    expect(flushed.status).toBe(200);
  }, 120_000);
});

describe('per-project query concurrency', () => {
  it('a second analytic statement in the project meanwhile gets ExceedQuota; other projects run', async () => {
    // Nothing left running from an earlier test.
    await vi.waitFor(() => expect(server.app.queryGate.running(gateKey(PROJECT), 'analytic')).toBe(0), {
      timeout: 120_000,
    });
    const heavy = getLogs(client, HEAVY);
    await vi.waitFor(() => expect(server.app.queryGate.running(gateKey(PROJECT), 'analytic')).toBe(1), {
      timeout: 60_000,
      interval: 2,
    });
    const err = await sdkError(() => getLogs(client, '* | select count(1) as n'));
    const other = await getLogs(client, '* | select count(1) as n', OTHER_PROJECT);
    // Searches have their own limit (100 per project).
    const search = await client.getLogs(
      PROJECT,
      'flows',
      new $Sls.GetLogsRequest({ from: T0, to: T0 + 3600, query: 'eni-id: eni-bp1budget7', line: 1 }),
    );
    const res = await heavy;
    expect(err).toMatchObject({ code: 'ExceedQuota', data: { statusCode: 403 } });
    expect(err.message).toContain('user can only run 1 query concurrently');
    expect(other.body).toEqual([{ n: '100' }]);
    expect(search.body).toHaveLength(1);
    expect(res.body).toEqual([{ n: '0' }]);
    expect(server.app.queryGate.running(gateKey(PROJECT), 'analytic')).toBe(0);
  }, 120_000);
});

describe('query cost', () => {
  it('refuses the issue’s 1,024-term balanced OR tree before it runs, naming the keyword limit', async () => {
    let layer = Array.from({ length: 1024 }, (_, i) => `*q${i}*`);
    while (layer.length > 1) {
      const next: string[] = [];
      for (let i = 0; i < layer.length; i += 2) next.push(`(${layer[i]} or ${layer[i + 1]})`);
      layer = next;
    }
    const err = await sdkError(() => getLogs(client, layer[0]!));
    expect(err).toMatchObject({ code: 'ParameterInvalid', data: { statusCode: 400 } });
    expect(err.message).toContain('the search statement has 1024 conditions, more than the limit of 30');
    expect(server.app.queryGate.running(gateKey(PROJECT), 'search')).toBe(0);
  });
});

describe('bounded answers', () => {
  it('the 200-column select with limit 1000000 answers within the byte budget, marked incomplete', async () => {
    const cols = Array.from({ length: 200 }, (_, i) => `'${'x'.repeat(60)}' as c${i}`).join(', ');
    const query = `* | select ${cols} from log limit 1000000`;
    const v1 = await getLogs(client, query);
    const rows = v1.body as Record<string, string>[];
    const bytes = Buffer.byteLength(JSON.stringify(rows));
    expect(bytes).toBeLessThanOrEqual(MAX_RESPONSE_BYTES);
    // As much as fits: another row would not have.
    expect(bytes + bytes / rows.length).toBeGreaterThan(MAX_RESPONSE_BYTES * 0.9);
    expect(rows[0]).toEqual(
      Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`c${i}`, 'x'.repeat(60)])),
    );
    expect(v1.headers?.['x-log-progress']).toBe('Incomplete');
    expect(v1.headers?.['x-log-count']).toBe(String(rows.length));

    const v2 = await client.getLogsV2(
      PROJECT,
      'flows',
      new $Sls.GetLogsV2Request({ from: T0, to: T0 + 3600, query }),
    );
    expect(v2.body?.meta?.progress).toBe('Incomplete');
    expect(v2.body?.meta?.isAccurate).toBe(false);
    expect(v2.body?.data).toHaveLength(rows.length);
    // A small answer is complete.
    const small = await getLogs(client, `* | select ${cols} from log limit 3`);
    expect(small.body).toHaveLength(3);
    expect(small.headers?.['x-log-progress']).toBe('Complete');
  }, 120_000);
});

describe('time budget', () => {
  let slow: TestServer;
  beforeAll(async () => {
    slow = await startTestServer({ queryTimeoutMs: 25 });
    await createLogstore(slsClient(slow), PROJECT);
    await slow.app.store.records.append(records(PROJECT, 50_000));
  }, 300_000);
  afterAll(async () => slow.close());

  it('a query over --query-timeout-ms is interrupted and answered with RequestTimeout', async () => {
    const c = slsClient(slow);
    const err = await sdkError(() => getLogs(c, HEAVY));
    expect(err).toMatchObject({ code: 'RequestTimeout', data: { statusCode: 408 } });
    expect(err.message).toContain('The query did not finish within 25 ms and was cancelled');
    expect(slow.app.queryGate.running(gateKey(PROJECT), 'analytic')).toBe(0);
    const health = await fetch(`${slow.url}/_vpcflow/health`);
    expect(health.status).toBe(200);
  }, 120_000);
});

describe('a client that goes away', () => {
  let watched: TestServer;
  const lines: string[] = [];
  beforeAll(async () => {
    watched = await startTestServer(
      {},
      createLogger('info', (l) => lines.push(l)),
    );
    await createLogstore(slsClient(watched), PROJECT);
    await watched.app.store.records.append(records(PROJECT, HEAVY_RECORDS));
  }, 300_000);
  afterAll(async () => watched.close());

  it('has its query stopped when it closes the connection before the answer', async () => {
    const controller = new AbortController();
    const pending = slsGetLogs({
      endpoint: watched.url,
      project: PROJECT,
      logstore: 'flows',
      accessKeyId: DEV_ACCESS_KEY_ID,
      accessKeySecret: DEV_ACCESS_KEY_SECRET,
      params: { from: String(T0), to: String(T0 + 3600), query: HEAVY },
      timeoutMs: 120_000,
      signal: controller.signal,
    });
    await vi.waitFor(() => expect(watched.app.queryGate.running(gateKey(PROJECT), 'analytic')).toBe(1), {
      timeout: 60_000,
      interval: 2,
    });
    controller.abort();
    await expect(pending).rejects.toThrow();
    await vi.waitFor(() => expect(watched.app.queryGate.running(gateKey(PROJECT), 'analytic')).toBe(0), {
      timeout: 60_000,
    });
    const stopped = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(stopped).toContainEqual(
      expect.objectContaining({ msg: 'SLS query stopped: the client closed the connection' }),
    );
    // The server goes on answering.
    const res = await getLogs(slsClient(watched), '* | select count(1) as n');
    expect(res.body).toEqual([{ n: String(HEAVY_RECORDS) }]);
  }, 120_000);
});
