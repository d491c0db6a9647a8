/**
 * `vpcflow migrate --to postgres://...`: a data directory written by a SQLite server (flow logs made and
 * tagged through the official SDK, records) is copied into an empty PostgreSQL database; a node on that
 * database answers DescribeFlowLogs and ListTagResources exactly as the SQLite server did, with the
 * AccessKey secrets sealed by the directory's secret.key (carried over as VPCFLOW_SECRET_KEY), and a
 * node with another key refuses to start. The copy refuses a database that is not empty.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../src/app.js';
import { createLogger } from '../src/logger.js';
import type { RecordRow } from '../src/store/records/record-store.js';
import { openStore } from '../src/store/store.js';
import { vpcClient, VpcModels, type VpcClient } from './support/clients.js';
import { runCli } from './support/process.js';
import { tempDir, testConfig } from './support/server.js';
import { adminQuery, databaseUrl } from './support/test-store.js';
import { makeWorld, type World } from './support/world.js';

let dbName: string;
let url: string;
const apps: App[] = [];

beforeAll(async () => {
  dbName = `migrate_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${dbName}`);
  url = databaseUrl(dbName);
});

afterAll(async () => {
  for (const app of apps) await app.close().catch(() => undefined);
  if (dbName) await adminQuery(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
});

async function serve(app: App): Promise<VpcClient> {
  apps.push(app);
  const server = await app.listen();
  return vpcClient(`127.0.0.1:${server.port}`);
}

async function answers(vpc: VpcClient, world: World): Promise<unknown> {
  const flowLogs = await vpc.describeFlowLogs(
    new VpcModels.DescribeFlowLogsRequest({ regionId: world.regionId, pageSize: 50 }),
  );
  const tags = await vpc.listTagResources(
    new VpcModels.ListTagResourcesRequest({
      regionId: world.regionId,
      resourceType: 'FLOWLOG',
      tag: [new VpcModels.ListTagResourcesRequestTag({ key: 'team' })],
    }),
  );
  return {
    flowLogs: flowLogs.body?.flowLogs?.flowLog,
    total: flowLogs.body?.totalCount,
    tags: tags.body?.tagResources?.tagResource,
  };
}

function record(world: World, flowLogId: string, i: number): RecordRow {
  const t = Math.floor(Date.now() / 1000) - 600 + i;
  return {
    region_id: world.regionId,
    project_name: world.project,
    logstore_name: world.logstores[0]!,
    flow_log_id: flowLogId,
    time: t,
    topic: 'flow_log',
    source: '',
    version: 1,
    vswitch_id: world.vswitchId,
    vm_id: '',
    vpc_id: world.vpcId,
    account_id: world.accountId,
    eni_id: world.eniIds[0]!,
    region: world.regionId,
    srcaddr: '10.0.1.10',
    srcport: 40000 + i,
    dstaddr: '8.8.8.8',
    dstport: 443,
    protocol: 6,
    direction: 'out',
    packets: i + 1,
    bytes: 100 * (i + 1),
    start: t,
    end: t + 60,
    log_status: 'OK',
    action: 'ACCEPT',
    tcp_flags: 16,
  };
}

describe('vpcflow migrate --to', () => {
  it(
    'copies a SQLite data directory into an empty database: a node on it answers the same, with the same key',
    { timeout: 180_000 },
    async () => {
      // The source: a SQLite server on a data directory (its own secret.key), not the test database.
      const dataDir = tempDir();
      const source = await createApp(testConfig({ inMemory: false, dataDir }), createLogger('silent'));
      const vpc = await serve(source);
      const world = await makeWorld(source, { enis: 2, logstores: 2 });
      const ids: string[] = [];
      for (const [i, eni] of world.eniIds.entries()) {
        const created = await vpc.createFlowLog(
          new VpcModels.CreateFlowLogRequest({
            regionId: world.regionId,
            resourceType: 'NetworkInterface',
            resourceId: eni,
            trafficType: 'All',
            projectName: world.project,
            logStoreName: world.logstores[i]!,
            flowLogName: `migrated-${i}`,
          }),
        );
        ids.push(created.body!.flowLogId!);
      }
      await vpc.tagResources(
        new VpcModels.TagResourcesRequest({
          regionId: world.regionId,
          resourceType: 'FLOWLOG',
          resourceId: ids,
          tag: [new VpcModels.TagResourcesRequestTag({ key: 'team', value: 'network' })],
        }),
      );
      await source.store.records.append(Array.from({ length: 25 }, (_, i) => record(world, ids[0]!, i)));
      const before = await answers(vpc, world);
      expect((before as { total: string }).total).toBe('2');
      await source.close();

      // A copy that fails part-way (here: the database refuses tag rows) leaves the target empty.
      const pgClient = new pg.Client({ connectionString: url });
      await pgClient.connect();
      try {
        const schema = await openStore({ dataDir: '', inMemory: true, databaseUrl: url });
        await schema.close();
        await pgClient.query(`CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN RAISE EXCEPTION 'tags refused'; END $$`);
        await pgClient.query(
          'CREATE TRIGGER refuse BEFORE INSERT ON tags FOR EACH ROW EXECUTE FUNCTION refuse()',
        );
        const failed = await runCli(['migrate', '--data', dataDir, '--to', url]);
        expect(failed.code).toBe(1);
        expect(failed.stderr).toContain('tags refused');
        for (const table of ['accounts', 'vpcs', 'flow_logs', 'tags']) {
          const { rows } = await pgClient.query(`SELECT COUNT(*)::int AS n FROM ${table}`);
          expect(rows[0]).toEqual({ n: 0 });
        }
        await pgClient.query('DROP TRIGGER refuse ON tags');
      } finally {
        await pgClient.end();
      }

      // Run again: it copies.
      const first = await runCli(['migrate', '--data', dataDir, '--to', url]);
      expect(first.stderr).toBe('');
      expect(first.code).toBe(0);
      expect(first.stdout).toMatch(/copied \d+ rows in \d+ tables to postgres:\/\/.*, row counts verified\n/);
      expect(first.stdout).toContain('VPCFLOW_SECRET_KEY');

      // A second copy into the same database is refused: nothing is merged.
      const again = await runCli(['migrate', '--data', dataDir, '--to', url]);
      expect(again.code).toBe(1);
      expect(again.stderr).toMatch(
        /^vpcflow: the target database is not empty: accounts \(1 row\), access_keys/,
      );
      expect(again.stderr).toContain('migrate --to copies into an empty database only');

      // A node with another secret key cannot open the copied AccessKey secrets, and says so.
      const key = readFileSync(join(dataDir, 'secret.key'), 'utf8').trim();
      const wrong = randomBytes(32).toString('hex');
      await expect(
        createApp(testConfig({ databaseUrl: url, secretKey: wrong }), createLogger('silent')),
      ).rejects.toThrow('the secret key does not open the stored AccessKey secrets');

      // A node with the directory's key answers as the SQLite server did.
      const node = await createApp(testConfig({ databaseUrl: url, secretKey: key }), createLogger('silent'));
      const vpc2 = await serve(node);
      expect(await answers(vpc2, world)).toEqual(before);
      if (node.store.records.dialect === 'postgres') {
        expect(first.stdout).toContain('copied 25 records, count verified');
        const rows = await node.store.records.query(
          'SELECT srcport FROM log_records WHERE flow_log_id = ? ORDER BY srcport',
          [ids[0]],
        );
        expect(rows.map((r) => Number(r['srcport']))).toEqual(
          Array.from({ length: 25 }, (_, i) => 40000 + i),
        );
      } else {
        // Records on PostgreSQL are kept per node in this version: they stay in the directory.
        expect(first.stdout).toContain('records stay in');
      }
    },
  );

  it('refuses a --to that is not a PostgreSQL URL, pointing to the help', async () => {
    const res = await runCli(['migrate', '--data', tempDir(), '--to', 'mysql://x@y/z']);
    expect(res.code).toBe(1);
    expect(res.stderr).toBe(
      'vpcflow: --to must be postgres://USER[:PASSWORD]@HOST[:PORT]/DB\nRun "vpcflow migrate --help" for the options.\n',
    );
  });
});
