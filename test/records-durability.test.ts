/**
 * Records are durable, in DuckDB and (on the `postgres` project, `--database-url`) in PostgreSQL: flows
 * sent to a real `vpcflow serve` (its collector over UDP), flushed and acknowledged, are still there
 * after `kill -9` and a restart; a delivery a crash interrupted between
 * its journal entry and its acknowledgement becomes SKIPDATA records at the next start (never both the
 * records and the SKIPDATA, never nothing); and a data directory of an earlier version, with records as
 * SQLite rows, moves them into DuckDB once, by `vpcflow migrate` or at start.
 */
import { createSocket } from 'node:dgram';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { slsGetLogs } from '../src/cli/logs-query.js';
import {
  basicFlowRecord,
  basicFlowTemplate,
  dataSet,
  ipfixMessage,
} from '../src/dataplane/collector/message-builder.js';
import { recoverInterruptedAppends, skipRecords } from '../src/dataplane/pipeline/delivery.js';
import { createLogger } from '../src/logger.js';
import {
  DEV_ACCESS_KEY_ID,
  DEV_ACCESS_KEY_SECRET,
  DEV_ACCOUNT_ID,
} from '../src/products/identity/identity-service.js';
import type { RecordRow } from '../src/store/records/record-store.js';
import { RecordJournalRepo } from '../src/store/repos/record-journal-repo.js';
import { DUCKDB_FILE, openStore } from '../src/store/store.js';
import { createApp } from '../src/app.js';
import { runCli, spawnServer, type ServerProcess } from './support/process.js';
import { tempDir, testConfig } from './support/server.js';
import { onPostgres, testDatabase, type TestDatabase } from './support/test-store.js';
import { sendV1 } from './support/raw-signer.js';

const REGION = 'cn-hangzhou';
const T0 = Date.UTC(2024, 4, 1, 10, 0, 0); // a replayed capture: its windows have long ended
const VPC_ID = 'vpc-bp1durable000000001';
const ENI_ID = 'eni-bp1durable000000001';

const TEMPLATE = basicFlowTemplate(256);

/** `flows` flows from 10.0.1.10, distinct source ports from `firstPort`. */
function message(sequence: number, firstPort: number, flows: number): Buffer {
  const records = Array.from({ length: flows }, (_, i) =>
    basicFlowRecord({
      src: '10.0.1.10',
      dst: '8.8.8.8',
      sport: firstPort + i,
      dport: 53,
      protocol: 17,
      packets: 2,
      bytes: 200,
      startMs: T0 + 5_000 + i,
      endMs: T0 + 5_100 + i,
    }),
  );
  return ipfixMessage({ exportTime: Math.floor(T0 / 1000), sequence, domain: 1 }, [
    TEMPLATE,
    dataSet(256, records),
  ]);
}

async function freeUdpPort(): Promise<number> {
  const sock = createSocket('udp4');
  await new Promise<void>((resolve) => sock.bind(0, '127.0.0.1', resolve));
  const { port } = sock.address();
  await new Promise<void>((resolve) => sock.close(() => resolve()));
  return port;
}

function seedFile(): string {
  const file = join(tempDir(), 'durable.json');
  writeFileSync(
    file,
    JSON.stringify({
      accounts: [
        {
          id: DEV_ACCOUNT_ID,
          logProjects: [{ region: REGION, name: 'durable', logstores: ['flows'] }],
          vpcs: [
            {
              region: REGION,
              id: VPC_ID,
              name: 'durable',
              cidrBlock: '10.0.0.0/16',
              securityGroups: [{ name: 'default' }],
              vswitches: [
                {
                  name: 'durable-b',
                  zone: 'cn-hangzhou-b',
                  cidrBlock: '10.0.1.0/24',
                  networkInterfaces: [{ id: ENI_ID, primaryIp: '10.0.1.10', securityGroup: 'default' }],
                },
              ],
            },
          ],
          exporters: [{ address: '127.0.0.1', region: REGION, vpc: VPC_ID }],
        },
      ],
    }),
  );
  return file;
}

async function countOk(url: string): Promise<string> {
  const res = await slsGetLogs({
    endpoint: url,
    project: 'durable',
    logstore: 'flows',
    accessKeyId: DEV_ACCESS_KEY_ID,
    accessKeySecret: DEV_ACCESS_KEY_SECRET,
    params: {
      from: String(T0 / 1000 - 3600),
      to: String(T0 / 1000 + 3600),
      query: 'log-status: OK | select count(*) as n, sum(bytes) as b',
    },
  });
  expect(res.status).toBe(200);
  const rows = JSON.parse(res.body) as { n: string; b: string }[];
  return `${rows[0]?.n}/${rows[0]?.b}`;
}

/** The engine under test: PostgreSQL on the `postgres` project (a database of its own), else DuckDB. */
async function recordEngine(): Promise<{ database?: TestDatabase; args: string[] }> {
  if (!onPostgres) return { args: [] };
  const database = await testDatabase({ inMemory: true, dataDir: '' });
  return { database, args: ['--database-url', database.url] };
}

describe('records survive kill -9', () => {
  it(
    `acknowledged deliveries are in the ${onPostgres ? 'PostgreSQL database' : 'DuckDB file'} after kill -9 and a restart`,
    { timeout: 180_000 },
    async () => {
      const data = tempDir();
      const udp = await freeUdpPort();
      const engine = await recordEngine();
      const args = [
        ...['--port', '0', '--data', data, '--collector', `127.0.0.1:${udp}`, '--seed', seedFile()],
        ...engine.args,
      ];
      const first: ServerProcess = await spawnServer([...args, '--transition-ms', '0']);
      let second: ServerProcess | undefined;
      try {
        const health = (await (await fetch(`${first.url}/_vpcflow/health`)).json()) as Record<
          string,
          unknown
        >;
        if (engine.database) {
          expect(health['recordStore']).toBe('postgres');
          expect(health['recordStoreLocation']).toBe(health['storeLocation']);
        } else {
          expect(health['recordStore']).toBe('duckdb');
          expect(health['recordStoreLocation']).toBe(join(data, DUCKDB_FILE));
        }
        const created = await sendV1(first.url, {
          Action: 'CreateFlowLog',
          RegionId: REGION,
          ResourceType: 'VPC',
          ResourceId: VPC_ID,
          TrafficType: 'All',
          ProjectName: 'durable',
          LogStoreName: 'flows',
          AggregationInterval: '1',
        });
        expect(created.status).toBe(200);

        // 3 datagrams of 40 flows; each datagram is counted before the flush.
        const sock = createSocket('udp4');
        for (let k = 0; k < 3; k++) {
          await new Promise<void>((resolve, reject) =>
            sock.send(message(k * 40, 10_000 + k * 40, 40), udp, '127.0.0.1', (e) =>
              e ? reject(e) : resolve(),
            ),
          );
        }
        sock.close();
        const received = async (): Promise<number> => {
          const h = (await (await fetch(`${first.url}/_vpcflow/health`)).json()) as {
            collector?: { packets?: number };
          };
          return h.collector?.packets ?? 0;
        };
        for (let i = 0; i < 750 && (await received()) < 3; i++) await new Promise((r) => setTimeout(r, 20));
        expect(await received(), 'the server never read the three datagrams').toBe(3);
        const flushed = await fetch(`${first.url}/_vpcflow/flush`, { method: 'POST' });
        expect(flushed.status).toBe(200);
        expect(await countOk(first.url)).toBe('120/24000');

        first.proc.kill('SIGKILL');
        expect(await first.exited).toBe('SIGKILL');
        second = await spawnServer(args);
        expect(await countOk(second.url)).toBe('120/24000');
      } finally {
        if (first.proc.exitCode === null && first.proc.signalCode === null) first.proc.kill('SIGKILL');
        if (second) {
          second.proc.kill('SIGTERM');
          expect(await second.exited).toBe(0);
        }
        await engine.database?.release();
      }
    },
  );
});

function row(i: number, over: Partial<RecordRow> = {}): RecordRow {
  const time = 1_760_000_000 + i;
  return {
    region_id: REGION,
    project_name: 'durable',
    logstore_name: 'flows',
    flow_log_id: 'fl-bp1durable',
    time,
    topic: 'flow_log',
    source: '127.0.0.1',
    version: 1,
    vswitch_id: 'vsw-bp1durable',
    vm_id: '',
    vpc_id: VPC_ID,
    account_id: DEV_ACCOUNT_ID,
    eni_id: ENI_ID,
    region: REGION,
    srcaddr: '10.0.1.10',
    srcport: 1000 + i,
    dstaddr: '8.8.8.8',
    dstport: 53,
    protocol: 17,
    direction: 'out',
    packets: 2,
    bytes: 100,
    start: time,
    end: time + 60,
    log_status: 'OK',
    action: 'ACCEPT',
    tcp_flags: 0,
    ...over,
  };
}

describe('a crash mid-append', () => {
  it('turns the unacknowledged batch into SKIPDATA records, once, and leaves a committed one alone', async () => {
    const dataDir = tempDir();
    const database = onPostgres ? await testDatabase({ inMemory: true, dataDir: '' }) : undefined;
    const databaseUrl = database?.url;
    const store = await openStore({ dataDir, inMemory: false, databaseUrl });
    expect(store.records.dialect).toBe(onPostgres ? 'postgres' : 'duckdb');
    const journal = new RecordJournalRepo(store.db);
    // Batch A: journaled and committed (killed before the acknowledgement). Batch B: journaled only.
    const a = [row(0), row(1)];
    const b = [row(10), row(11), row(12, { eni_id: 'eni-bp1other00000000001' })];
    await journal.add('batch-a', skipRecords(a), Date.now());
    await store.records.append(a, 'batch-a');
    await journal.add('batch-b', skipRecords(b), Date.now());
    await store.close();

    const lines: string[] = [];
    const reopened = await openStore({ dataDir, inMemory: false, databaseUrl });
    try {
      const logger = createLogger('warn', (l) => lines.push(l));
      expect(await recoverInterruptedAppends(reopened, logger)).toBe(1);
      expect(await recoverInterruptedAppends(reopened, logger)).toBe(0);
      expect(await new RecordJournalRepo(reopened.db).all()).toEqual([]);
      const rows = await reopened.records.query(
        'SELECT eni_id, log_status, "start", "end", packets, bytes, srcaddr, srcport FROM log_records ORDER BY log_status, eni_id, srcport',
        [],
      );
      expect(rows).toEqual([
        ...a.map((r) => ({
          eni_id: ENI_ID,
          log_status: 'OK',
          start: r.start,
          end: r.end,
          packets: 2,
          bytes: 100,
          srcaddr: '10.0.1.10',
          srcport: r.srcport,
        })),
        {
          eni_id: 'eni-bp1durable000000001',
          log_status: 'SKIPDATA',
          start: b[0]!.start,
          end: b[1]!.end,
          packets: 4,
          bytes: 200,
          srcaddr: '-',
          srcport: null,
        },
        {
          eni_id: 'eni-bp1other00000000001',
          log_status: 'SKIPDATA',
          start: b[2]!.start,
          end: b[2]!.end,
          packets: 2,
          bytes: 100,
          srcaddr: '-',
          srcport: null,
        },
      ]);
      expect(lines.map((l) => JSON.parse(l) as Record<string, unknown>)).toEqual([
        expect.objectContaining({
          level: 'warn',
          msg: 'deliveries interrupted by a crash stored as SKIPDATA records',
          batches: 1,
          skipdataRecords: 2,
        }),
      ]);
    } finally {
      await reopened.close();
      await database?.release();
    }
  });
});

describe('records of an earlier version (SQLite rows)', () => {
  async function oldDataDir(n: number): Promise<string> {
    const dataDir = tempDir();
    const old = await openStore({ dataDir, inMemory: false, recordStore: 'sqlite' });
    await old.records.append(Array.from({ length: n }, (_, i) => row(i)));
    await old.close();
    expect(existsSync(join(dataDir, DUCKDB_FILE))).toBe(false);
    return dataDir;
  }

  it('move into DuckDB with `vpcflow migrate`, once', { timeout: 120_000 }, async () => {
    const dataDir = await oldDataDir(1234);
    const first = await runCli(['migrate', '--data', dataDir]);
    expect(first).toMatchObject({ code: 0 });
    expect(first.stdout).toBe(`vpcflow migrate: ${dataDir} is up to date; 1234 records moved to DuckDB\n`);
    const again = await runCli(['migrate', '--data', dataDir]);
    expect(again.stdout).toBe(`vpcflow migrate: ${dataDir} is up to date; 0 records moved to DuckDB\n`);
    const store = await openStore({ dataDir, inMemory: false });
    try {
      expect(await store.db.all('SELECT count(*) AS n FROM log_records')).toEqual([{ n: 0 }]);
      const rows = await store.records.query('SELECT srcport FROM log_records ORDER BY rowid', []);
      expect(rows.map((r) => r['srcport'])).toEqual(Array.from({ length: 1234 }, (_, i) => 1000 + i));
    } finally {
      await store.close();
    }
  });

  it('move into DuckDB at start, with a log line and the count', async () => {
    const dataDir = await oldDataDir(300);
    const lines: string[] = [];
    const app = await createApp(
      testConfig({ dataDir, inMemory: false }),
      createLogger('info', (l) => lines.push(l)),
    );
    try {
      expect(await app.store.records.query('SELECT count(*) AS n FROM log_records', [])).toEqual([
        { n: 300 },
      ]);
      expect(lines.map((l) => JSON.parse(l) as Record<string, unknown>)).toContainEqual(
        expect.objectContaining({
          msg: 'records of an earlier version moved from SQLite to DuckDB',
          records: 300,
          resumed: false,
        }),
      );
    } finally {
      await app.close();
    }
  });
});
