/**
 * The PostgreSQL record store on its own, as several nodes use it: stores on one database (one per
 * "node") appending into new days at once create each day's partition once and lose nothing; a batch is
 * all or nothing with its id; retention drops a day only when every logstore in it allows it and deletes
 * by range otherwise; an aborted query is cancelled on the server; a bad statement is the query's fault;
 * a bounded read stops at its bounds; the TTL sweep drops whole days through `expireAll`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTtlSweep } from '../src/products/sls/api/ttl-sweeper.js';
import { MIGRATIONS } from '../src/store/migrations.js';
import { openPostgres } from '../src/store/postgres/postgres-db.js';
import { PostgresRecordStore, partitionName } from '../src/store/records/postgres-records.js';
import {
  QueryInterrupted,
  RecordQueryError,
  type LogstoreRef,
  type RecordRow,
} from '../src/store/records/record-store.js';
import type { SqlDb } from '../src/store/sql-db.js';
import { openStore } from '../src/store/store.js';
import { testDatabase, type TestDatabase } from './support/test-store.js';

const DAY = 86_400;
/** 2025-01-01T00:00:00Z */
const D0 = 1_735_689_600;
const A: LogstoreRef = { regionId: 'cn-hangzhou', projectName: 'p', logstoreName: 'a' };
const B: LogstoreRef = { regionId: 'cn-hangzhou', projectName: 'p', logstoreName: 'b' };

let database: TestDatabase;
let control: SqlDb;
let nodes: PostgresRecordStore[];

function row(ref: LogstoreRef, time: number, srcport = 1): RecordRow {
  return {
    region_id: ref.regionId,
    project_name: ref.projectName,
    logstore_name: ref.logstoreName,
    flow_log_id: 'fl-bp1pg',
    time,
    topic: 'flow_log',
    source: '127.0.0.1',
    version: 1,
    vswitch_id: 'vsw-bp1pg',
    vm_id: '',
    vpc_id: 'vpc-bp1pg',
    account_id: '1234567890123456',
    eni_id: 'eni-bp1pg',
    region: ref.regionId,
    srcaddr: '10.0.0.1',
    srcport,
    dstaddr: '10.0.0.2',
    dstport: 443,
    protocol: 6,
    direction: 'out',
    packets: 1,
    bytes: 100,
    start: time,
    end: time + 60,
    log_status: 'OK',
    action: 'ACCEPT',
    tcp_flags: 2,
  };
}

async function partitions(): Promise<string[]> {
  const rows = await control.all<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
     WHERE i.inhparent = 'log_records'::regclass ORDER BY 1`,
  );
  return rows.map((r) => r.name);
}

async function count(ref: LogstoreRef): Promise<number> {
  const rows = await nodes[0]!.query(
    'SELECT count(*) AS n FROM log_records WHERE region_id = $1 AND project_name = $2 AND logstore_name = $3',
    [ref.regionId, ref.projectName, ref.logstoreName],
  );
  return Number(rows[0]?.['n']);
}

beforeAll(async () => {
  database = await testDatabase({ inMemory: true, dataDir: '' });
  control = await openPostgres({ url: database.url, migrations: MIGRATIONS });
  nodes = await Promise.all(
    [0, 1, 2].map(() => PostgresRecordStore.open({ url: database.url, poolSize: 4 })),
  );
});

afterAll(async () => {
  for (const n of nodes ?? []) await n.close();
  await control?.close();
  await database?.release();
});

describe('PostgreSQL record store', () => {
  it('three nodes appending into new days at once create each partition once and lose nothing', async () => {
    await nodes[0]!.clear();
    // 3 nodes x 6 batches, every batch spanning days 0..4 (so every node needs every new day at once).
    await Promise.all(
      nodes.flatMap((node, n) =>
        Array.from({ length: 6 }, (_, b) =>
          node.append(
            Array.from({ length: 50 }, (_, i) => row(A, D0 + (i % 5) * DAY + 100 * n + b, i)),
            `node${n}-batch${b}`,
          ),
        ),
      ),
    );
    expect(await count(A)).toBe(3 * 6 * 50);
    // Days 0..4, and day 5 ahead of time (the day after a batch's newest).
    expect(await partitions()).toEqual([0, 1, 2, 3, 4, 5].map((d) => partitionName(D0 / DAY + d)));
    expect(partitionName(D0 / DAY)).toBe('log_records_20250101');
    const asked = ['node0-batch0', 'node2-batch5', 'never-appended'];
    expect(await nodes[1]!.committedBatches(asked)).toEqual(new Set(['node0-batch0', 'node2-batch5']));
  });

  it("creates tomorrow's partition ahead of time, but never waits long for it behind a running read", async () => {
    await nodes[0]!.clear();
    const day10 = D0 + 10 * DAY;
    await nodes[0]!.append([row(A, day10)]);
    expect(await partitions()).toContain(partitionName(D0 / DAY + 11));
    // A read holds the table for 4 s; node 2 (which has not seen days 11 and 12) appends into day 11,
    // which exists: the append finishes while the read still runs, leaving day 12 for later.
    const read = nodes[1]!.query('SELECT pg_sleep(4) AS s, count(*) AS n FROM log_records', []);
    await new Promise((r) => setTimeout(r, 300));
    const first = await Promise.race([
      read.then(() => 'read'),
      nodes[2]!.append([row(A, day10 + DAY)]).then(() => 'append'),
    ]);
    expect(first).toBe('append');
    expect(await partitions()).not.toContain(partitionName(D0 / DAY + 12));
    await read;
    expect(await count(A)).toBe(2);
  });

  it('stores a batch with its id, or neither', async () => {
    const before = await count(A);
    const bad = { ...row(A, D0 + 10), region_id: null as unknown as string };
    await expect(nodes[0]!.append([row(A, D0 + 5), bad], 'bad-batch')).rejects.toThrow(/null value/);
    expect(await count(A)).toBe(before);
    expect(await nodes[0]!.committedBatches(['bad-batch'])).toEqual(new Set());
  });

  it('stores a batch or the SKIPDATA standing for it, whichever comes first, never both', async () => {
    await nodes[0]!.clear();
    // Node 1 starts up and settles node 0's journal entry before node 0's append commits, and the
    // other way round.
    await nodes[1]!.append([row(A, D0 + 1, 0)], 'x:skipdata');
    await nodes[0]!.append([row(A, D0 + 2, 1), row(A, D0 + 3, 2)], 'x');
    await nodes[0]!.append([row(A, D0 + 4, 3)], 'y');
    await nodes[1]!.append([row(A, D0 + 5, 4)], 'y:skipdata');
    // An append repeated with the same id stores once.
    await nodes[2]!.append([row(A, D0 + 6, 5)], 'y');
    const ports = await nodes[0]!.query('SELECT srcport FROM log_records ORDER BY srcport', []);
    expect(ports.map((r) => r['srcport'])).toEqual([0, 3]);
    expect(await nodes[0]!.committedBatches(['x', 'x:skipdata', 'y', 'y:skipdata'])).toEqual(
      new Set(['x:skipdata', 'y']),
    );
  });

  it('drops a day only when every logstore in it allows it, else deletes by range', async () => {
    await nodes[0]!.clear();
    // Day 0: a and b. Day 1: a only. Day 2: a and b (not expired).
    await nodes[0]!.append([row(A, D0 + 10), row(A, D0 + 20), row(B, D0 + 30)]);
    await nodes[1]!.append([row(A, D0 + DAY + 10), row(A, D0 + DAY + 20), row(A, D0 + DAY + 30)]);
    await nodes[2]!.append([row(A, D0 + 2 * DAY + 10), row(B, D0 + 2 * DAY + 10)]);
    const day = (d: number): string => partitionName(D0 / DAY + d);

    // a's TTL passed days 0 and 1 (and 100 s of day 2): day 1 is a's alone and goes whole; day 0 keeps
    // b's record, so a's are deleted from it by range.
    expect(await nodes[0]!.expireAll([{ store: A, beforeTime: D0 + 2 * DAY + 100 }])).toBe(6);
    expect(await partitions()).toEqual(expect.arrayContaining([day(0), day(2)]));
    expect(await partitions()).not.toContain(day(1));
    expect(await count(A)).toBe(0);
    expect(await count(B)).toBe(2);

    // Both logstores' TTLs passed day 0: it goes whole, with b's record.
    expect(
      await nodes[1]!.expireAll([
        { store: A, beforeTime: D0 + DAY },
        { store: B, beforeTime: D0 + DAY },
      ]),
    ).toBe(1);
    expect(await partitions()).not.toContain(day(0));
    expect(await count(B)).toBe(1);

    // A day dropped is created again by the next append that needs it.
    await nodes[0]!.append([row(A, D0 + DAY + 5)]);
    expect(await partitions()).toContain(day(1));
    expect(await count(A)).toBe(1);
  });

  it('deleting a logstore drops the days only it had', async () => {
    await nodes[0]!.clear();
    await nodes[0]!.append([row(A, D0 + 10), row(B, D0 + 20), row(A, D0 + 3 * DAY)]);
    const shared = partitionName(D0 / DAY);
    const own = partitionName(D0 / DAY + 3);
    expect(await partitions()).toEqual(expect.arrayContaining([shared, own]));
    expect(await nodes[2]!.deleteLogstore(A)).toBe(2);
    expect(await partitions()).toContain(shared);
    expect(await partitions()).not.toContain(own);
    expect(await count(B)).toBe(1);
  });

  it("the TTL sweep drops the days every logstore's TTL has passed, and keeps a day a permanent logstore shares", async () => {
    await nodes[0]!.clear();
    const store = await openStore({ dataDir: '', inMemory: false, databaseUrl: database.url });
    try {
      expect(store.records.dialect).toBe('postgres');
      const now = Date.now();
      const project = { region_id: 'cn-hangzhou', project_name: 'ttl', account_id: '1234567890123456' };
      await store.repos.logs.insertProject({ ...project, description: '', created_at: now, updated_at: now });
      const short: LogstoreRef = { regionId: 'cn-hangzhou', projectName: 'ttl', logstoreName: 'short' };
      const perm: LogstoreRef = { ...short, logstoreName: 'perm' };
      for (const [ref, ttl] of [
        [short, 1],
        [perm, 3650],
      ] as const) {
        await store.repos.logs.insertLogstore({
          region_id: ref.regionId,
          project_name: ref.projectName,
          logstore_name: ref.logstoreName,
          ttl_days: ttl,
          shard_count: 2,
          created_at: now,
          updated_at: now,
        });
      }
      const base = D0 + 100 * DAY;
      // Day 0: short only. Day 1: short and perm. Day 9: short, within its TTL.
      await store.records.append([
        row(short, base + 10),
        row(short, base + DAY + 10),
        row(perm, base + DAY + 20),
      ]);
      await store.records.append([row(short, base + 9 * DAY + DAY / 2)]);
      expect(await runTtlSweep(store, (base + 10 * DAY) * 1000)).toBe(2);
      const left = await partitions();
      expect(left).not.toContain(partitionName(base / DAY));
      expect(left).toEqual(
        expect.arrayContaining([partitionName(base / DAY + 1), partitionName(base / DAY + 9)]),
      );
      expect(await count(short)).toBe(1);
      expect(await count(perm)).toBe(1);
    } finally {
      await store.close();
    }
  });

  it('is the default with a database URL; --record-store duckdb keeps records per node, postgres needs a URL', async () => {
    for (const [recordStore, dialect] of [
      [undefined, 'postgres'],
      ['postgres', 'postgres'],
      ['duckdb', 'duckdb'],
    ] as const) {
      const store = await openStore({ dataDir: '', inMemory: true, databaseUrl: database.url, recordStore });
      try {
        expect(store.records.dialect).toBe(dialect);
        expect(store.kind).toBe('postgres');
      } finally {
        await store.close();
      }
    }
    await expect(openStore({ dataDir: '', inMemory: true, recordStore: 'postgres' })).rejects.toThrow(
      '--record-store postgres keeps records in the --database-url database: give one',
    );
  });

  it('cancels an aborted query on the server and goes on serving', async () => {
    const started = Date.now();
    const running = nodes[0]!.query('SELECT pg_sleep(30) AS x', [], { signal: AbortSignal.timeout(200) });
    await expect(running).rejects.toBeInstanceOf(QueryInterrupted);
    expect(Date.now() - started).toBeLessThan(20_000);
    const active = await control.all<{ n: number }>(
      "SELECT count(*) AS n FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(30)%' AND state = 'active'",
    );
    expect(active).toEqual([{ n: 0 }]);
    expect(await nodes[0]!.query('SELECT 1 AS one', [])).toEqual([{ one: 1 }]);
    const bounded = nodes[0]!.queryBounded('SELECT pg_sleep(30) AS x', [], {
      maxRows: 10,
      maxBytes: 1000,
      signal: AbortSignal.timeout(200),
    });
    await expect(bounded).rejects.toBeInstanceOf(QueryInterrupted);
  });

  it('refuses a bad statement as the query fault', async () => {
    for (const sql of ['SELECT 1 / 0 AS x', 'SELECT nosuch FROM log_records', 'SELEC 1']) {
      await expect(nodes[0]!.query(sql, []), sql).rejects.toBeInstanceOf(RecordQueryError);
    }
  });

  it('stops a bounded read at its rows or bytes', async () => {
    const sql = 'SELECT n, repeat($1::text, 10) AS pad FROM generate_series(1, 100000) AS n';
    const byRows = await nodes[0]!.queryBounded(sql, ['x'], { maxRows: 1200, maxBytes: 1e9 });
    expect(byRows.truncated).toBe(true);
    expect(byRows.rows).toHaveLength(1200);
    expect(byRows.rows[1199]).toEqual({ n: 1200, pad: 'xxxxxxxxxx' });
    const byBytes = await nodes[0]!.queryBounded(sql, ['x'], { maxRows: 1e6, maxBytes: 1000 });
    expect(byBytes.truncated).toBe(true);
    expect(byBytes.rows.length).toBeGreaterThan(10);
    expect(byBytes.rows.length).toBeLessThan(40);
    const all = await nodes[0]!.queryBounded('SELECT n FROM generate_series(1, 1000) AS n', [], {
      maxRows: 1000,
      maxBytes: 1e9,
    });
    expect(all).toMatchObject({ truncated: false });
    expect(all.rows).toHaveLength(1000);
    // Integers beyond 2^53 come back as bigint.
    expect(await nodes[0]!.query('SELECT 9007199254740993::bigint AS big', [])).toEqual([
      { big: 9007199254740993n },
    ]);
  });
});
