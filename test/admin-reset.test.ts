/**
 * POST /_vpcflow/reset: the world back to its seed files for every account (network, projects, flow
 * logs, records, keys, exporter bindings), loopback only, and all-or-nothing when a seed file fails.
 */
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { slsGetLogs } from '../src/cli/logs-query.js';
import { DEV_ACCESS_KEY_ID, DEV_ACCESS_KEY_SECRET } from '../src/products/identity/identity-service.js';
import { adminRoute } from '../src/server/admin-routes.js';
import { ANY } from '../src/store/repos/exporter-binding-repo.js';
import type { RecordRow } from '../src/store/repos/record-repo.js';
import { sendV1 } from './support/raw-signer.js';
import { startTestServer, tempDir, type TestServer } from './support/server.js';

const SEED_VPC = 'vpc-bp1exampleprod000001';
const SECOND = { accessKeyId: 'LTAI5tSeedSecondAccount01', secret: 'SeedSecondAccountSecret0001' };
let server: TestServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function vpcCount(url: string, creds?: { accessKeyId: string; secret: string }): Promise<number> {
  const res = await sendV1(url, { Action: 'DescribeVpcs', RegionId: 'cn-hangzhou' }, creds ?? {});
  return Number(res.json()['TotalCount']);
}

function record(time: number): RecordRow {
  return {
    region_id: 'cn-hangzhou',
    project_name: 'flowlog-project',
    logstore_name: 'flowlog-store',
    flow_log_id: 'fl-1',
    time,
    topic: 'flow_log',
    source: '127.0.0.1',
    version: 1,
    vswitch_id: 'vsw-bp1examplewebb00001',
    vm_id: '',
    vpc_id: SEED_VPC,
    account_id: '1234567890123456',
    eni_id: 'eni-bp1exampleweb000001',
    region: 'cn-hangzhou',
    srcaddr: '10.0.1.10',
    srcport: 443,
    dstaddr: '203.0.113.7',
    dstport: 50000,
    protocol: 6,
    direction: 'out',
    packets: 1,
    bytes: 60,
    start: time,
    end: time + 60,
    log_status: 'OK',
    action: 'ACCEPT',
    tcp_flags: 2,
  };
}

async function recordCount(url: string, around: number): Promise<number> {
  const res = await slsGetLogs({
    endpoint: url,
    project: 'flowlog-project',
    logstore: 'flowlog-store',
    accessKeyId: DEV_ACCESS_KEY_ID,
    accessKeySecret: DEV_ACCESS_KEY_SECRET,
    params: { from: String(around - 60), to: String(around + 60), query: '*' },
  });
  return (JSON.parse(res.body) as unknown[]).length;
}

const reset = (url: string): Promise<Response> => fetch(`${url}/_vpcflow/reset`, { method: 'POST' });

describe('POST /_vpcflow/reset', () => {
  it('returns every account to the seed files and keeps the seed AccessKeys working', async () => {
    const seed = join(tempDir(), 'seed.yaml');
    copyFileSync('examples/seed.yaml', seed);
    server = await startTestServer({ seedFiles: [seed] });
    const url = server.url;
    expect(await vpcCount(url)).toBe(1);
    // Changes in two accounts: a VPC, a flow log, a VPC deleted in the second account's region.
    const created = await sendV1(url, {
      Action: 'CreateVpc',
      RegionId: 'cn-hangzhou',
      CidrBlock: '192.168.0.0/16',
    });
    expect(created.status).toBe(200);
    const fl = await sendV1(url, {
      Action: 'CreateFlowLog',
      RegionId: 'cn-hangzhou',
      ResourceType: 'VPC',
      ResourceId: SEED_VPC,
      TrafficType: 'All',
      ProjectName: 'flowlog-project',
      LogStoreName: 'flowlog-store',
    });
    expect(fl.status).toBe(200);
    const other = await sendV1(
      url,
      { Action: 'CreateVpc', RegionId: 'cn-hangzhou', CidrBlock: '10.0.0.0/8' },
      SECOND,
    );
    expect(other.status).toBe(200);
    expect(await vpcCount(url)).toBe(2);
    expect(await vpcCount(url, SECOND)).toBe(1);
    expect(await server.app.store.repos.exporters.delete('10.0.1.250', ANY, ANY)).toBe(true);
    const now = Math.floor(Date.now() / 1000);
    await server.app.store.records.append([record(now)]);
    expect(await recordCount(url, now)).toBe(1);

    const res = await reset(url);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ reset: true, seedFiles: [seed] });

    expect(await vpcCount(url)).toBe(1);
    expect(await vpcCount(url, SECOND)).toBe(0);
    const flowLogs = await sendV1(url, { Action: 'DescribeFlowLogs', RegionId: 'cn-hangzhou' });
    expect(flowLogs.json()['TotalCount']).toBe('0'); // a string, as the real DescribeFlowLogs answers
    expect(await recordCount(url, now)).toBe(0);
    const bindings = (await (await fetch(`${url}/_vpcflow/exporters`)).json()) as { exporters: unknown[] };
    expect(bindings.exporters).toHaveLength(2);
    // A second reset of a seeded world changes nothing.
    expect((await reset(url)).status).toBe(200);
    expect(await vpcCount(url)).toBe(1);
  });

  it('changes nothing when a seed file fails to load again', async () => {
    const seed = join(tempDir(), 'seed.yaml');
    copyFileSync('examples/seed.yaml', seed);
    server = await startTestServer({ seedFiles: [seed] });
    const url = server.url;
    expect(
      (await sendV1(url, { Action: 'CreateVpc', RegionId: 'cn-hangzhou', CidrBlock: '192.168.0.0/16' }))
        .status,
    ).toBe(200);

    // Valid YAML that fails while loading (inside the transaction, after the world was emptied).
    writeFileSync(
      seed,
      "accounts:\n  - id: '1234567890123456'\n    vpcs:\n      - region: cn-hangzhou\n        cidrBlock: 8.8.0.0/16\n",
    );
    const failed = await reset(url);
    expect(failed.status).toBe(500);
    expect(await failed.json()).toMatchObject({
      error: 'ResetFailed',
      message: expect.stringContaining('nothing was changed'),
    });
    expect(await vpcCount(url)).toBe(2);
    expect(await vpcCount(url, SECOND)).toBe(0); // the second account still exists: its key still signs
    const described = await sendV1(url, { Action: 'DescribeVpcs', RegionId: 'cn-hangzhou' }, SECOND);
    expect(described.status).toBe(200);

    writeFileSync(seed, 'accounts: [');
    const unreadable = await reset(url);
    expect(unreadable.status).toBe(500);
    expect(await vpcCount(url)).toBe(2);
  });

  it('answers only loopback peers', async () => {
    server = await startTestServer();
    const base = { store: server.app.store, startedAt: Date.now(), reload: async () => ({ seedFiles: [] }) };
    for (const remoteAddress of ['192.0.2.10', '::ffff:10.0.0.1', undefined]) {
      const res = await adminRoute({ ...base, method: 'POST', url: '/_vpcflow/reset', remoteAddress });
      expect(res?.status).toBe(403);
      expect(JSON.parse(String(res?.body))).toMatchObject({ error: 'Forbidden' });
    }
    const ok = await adminRoute({ ...base, method: 'POST', url: '/_vpcflow/reset', remoteAddress: '::1' });
    expect(ok?.status).toBe(200);
  });
});
