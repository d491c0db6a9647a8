// Records over time: logstore TTL expiry (the sweeper run once), and records, projects and logstores
// surviving a restart of a server with a data directory. Through `@alicloud/sls20201230` over a real socket.
import { createRequire } from 'node:module';

import type * as SlsTypes from '@alicloud/sls20201230';
import type * as OpenApiTypes from '@alicloud/openapi-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { DEV_ACCESS_KEY_ID, DEV_ACCESS_KEY_SECRET } from '../src/products/identity/identity-service.js';
import { runTtlSweep } from '../src/products/sls/api/index.js';
import type { RecordRow } from '../src/store/repos/record-repo.js';
import { installSlsHostResolution } from './support/sls-host.js';
import { startTestServer, tempDir, type TestServer } from './support/server.js';

const require = createRequire(import.meta.url);
const $Sls = require('@alicloud/sls20201230') as typeof SlsTypes;
const $OpenApi = require('@alicloud/openapi-core') as typeof OpenApiTypes;
const SlsClient = $Sls.default as unknown as typeof SlsTypes.default.default;
type SlsClient = InstanceType<typeof SlsClient>;

const DAY = 86_400;

function client(server: TestServer): SlsClient {
  return new SlsClient(
    new $OpenApi.$OpenApiUtil.Config({
      accessKeyId: DEV_ACCESS_KEY_ID,
      accessKeySecret: DEV_ACCESS_KEY_SECRET,
      endpoint: `localhost:${server.port}`,
      protocol: 'http',
    }),
  );
}

function record(project: string, logstore: string, time: number, eni: string): RecordRow {
  return {
    region_id: 'cn-hangzhou',
    project_name: project,
    logstore_name: logstore,
    flow_log_id: 'fl-1',
    time,
    topic: 'flow_log',
    source: '127.0.0.1',
    version: 1,
    vswitch_id: 'vsw-1',
    vm_id: 'i-1',
    vpc_id: 'vpc-1',
    account_id: '1234567890123456',
    eni_id: eni,
    region: 'cn-hangzhou',
    srcaddr: '10.0.0.1',
    srcport: 40000,
    dstaddr: '10.0.0.2',
    dstport: 443,
    protocol: 6,
    direction: 'out',
    packets: 3,
    bytes: 180,
    start: time,
    end: time + 60,
    log_status: 'OK',
    action: 'ACCEPT',
    tcp_flags: 18,
  };
}

let uninstall: () => void;
beforeAll(() => {
  uninstall = installSlsHostResolution();
});
afterAll(() => uninstall());

async function count(
  sls: SlsClient,
  project: string,
  logstore: string,
  from: number,
  to: number,
): Promise<string> {
  const res = await sls.getLogs(
    project,
    logstore,
    new $Sls.GetLogsRequest({ from, to, query: '* | select count(*) as n' }),
  );
  return (res.body as Record<string, string>[])[0]?.['n'] ?? '';
}

describe('TTL', () => {
  it("deletes records older than each logstore's ttl, and follows UpdateLogStore", async () => {
    const server = await startTestServer();
    try {
      const sls = client(server);
      const now = Math.floor(Date.now() / 1000);
      await sls.createProject(new $Sls.CreateProjectRequest({ projectName: 'ttl-proj', description: '' }));
      await sls.createLogStore(
        'ttl-proj',
        new $Sls.CreateLogStoreRequest({ logstoreName: 'short', ttl: 1, shardCount: 1 }),
      );
      await sls.createLogStore(
        'ttl-proj',
        new $Sls.CreateLogStoreRequest({ logstoreName: 'long', ttl: 30, shardCount: 1 }),
      );
      await sls.createLogStore(
        'ttl-proj',
        new $Sls.CreateLogStoreRequest({ logstoreName: 'forever', ttl: 3650, shardCount: 1 }),
      );
      const ages = [0, 2 * DAY, 10 * DAY, 40 * DAY, 5000 * DAY];
      for (const ls of ['short', 'long', 'forever']) {
        await server.app.store.records.append(
          ages.map((age) => record('ttl-proj', ls, now - age - 10, 'eni-1')),
        );
      }
      const everything = now - 6000 * DAY;
      expect(await count(sls, 'ttl-proj', 'short', everything, now + 1)).toBe('5');

      const deleted = await runTtlSweep(server.app.store);
      expect(deleted).toBe(4 + 2); // short keeps 1 (age 0), long keeps 3 (0, 2, 10 days), forever keeps 5
      expect(await count(sls, 'ttl-proj', 'short', everything, now + 1)).toBe('1');
      expect(await count(sls, 'ttl-proj', 'long', everything, now + 1)).toBe('3');
      expect(await count(sls, 'ttl-proj', 'forever', everything, now + 1)).toBe('5');

      await sls.updateLogStore(
        'ttl-proj',
        'long',
        new $Sls.UpdateLogStoreRequest({ logstoreName: 'long', ttl: 5, shardCount: 1 }),
      );
      expect(await runTtlSweep(server.app.store)).toBe(1);
      expect(await count(sls, 'ttl-proj', 'long', everything, now + 1)).toBe('2');
      // A later clock expires the rest of a 1-day store.
      expect(await runTtlSweep(server.app.store, (now + 2 * DAY) * 1000)).toBeGreaterThanOrEqual(1);
      expect(await count(sls, 'ttl-proj', 'short', everything, now + 1)).toBe('0');
    } finally {
      await server.close();
    }
  });
});

describe('restart', () => {
  it('keeps projects, logstores and records across a restart', async () => {
    const dataDir = tempDir();
    const t = 1_760_000_000;
    const first = await startTestServer({ inMemory: false, dataDir });
    try {
      const sls = client(first);
      await sls.createProject(
        new $Sls.CreateProjectRequest({ projectName: 'keep-proj', description: 'kept' }),
      );
      await sls.createLogStore(
        'keep-proj',
        new $Sls.CreateLogStoreRequest({ logstoreName: 'kept', ttl: 3650, shardCount: 1 }),
      );
      await first.app.store.records.append(
        Array.from({ length: 250 }, (_, i) => record('keep-proj', 'kept', t + i, i % 2 ? 'eni-a' : 'eni-b')),
      );
    } finally {
      await first.close();
    }
    const second = await startTestServer({ inMemory: false, dataDir });
    try {
      const sls = client(second);
      expect((await sls.getProject('keep-proj')).body?.description).toBe('kept');
      expect(await count(sls, 'keep-proj', 'kept', t, t + 250)).toBe('250');
      const res = await sls.getLogs(
        'keep-proj',
        'kept',
        new $Sls.GetLogsRequest({ from: t, to: t + 10, query: 'eni-id: eni-a' }),
      );
      expect((res.body as Record<string, string>[]).map((r) => r['__time__'])).toEqual(
        [1, 3, 5, 7, 9].map((i) => String(t + i)),
      );
    } finally {
      await second.close();
    }
  });
});
