// The DuckDB record store's query path: statements run off the JavaScript thread (the event loop keeps
// turning while one runs) and an abort signal interrupts a running statement, after which the store
// answers the next query normally. The hook the tenant-safety time budget uses.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbRecordStore } from './duckdb-records.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DUCKDB_SCHEMA_VERSION } from './duckdb-records.js';
import { filteredRecordSource } from './record-sql.js';
import { QueryInterrupted, RECORD_COLUMNS, type LogstoreRef, type RecordRow } from './record-store.js';

// A statement that runs for minutes unless interrupted (a cross join counted without shortcuts).
const ENDLESS =
  'SELECT count(*) AS n FROM range(100000000) a, range(1000) b WHERE (a.range * 7 + b.range) % 1000003 = 1';

let store: DuckDbRecordStore;
beforeAll(async () => {
  store = await DuckDbRecordStore.open({ path: ':memory:', memoryLimit: '256MB', threads: 1 });
});
afterAll(async () => store.close());

describe('DuckDB record store queries', () => {
  it('run off the JavaScript thread: timers fire while a statement runs', async () => {
    const controller = new AbortController();
    let ticks = 0;
    const running = store.query(ENDLESS, [], { signal: controller.signal });
    // The event loop is free: a timer chain advances while the statement runs, then aborts it.
    await new Promise<void>((resolve) => {
      const tick = (): void => {
        ticks++;
        if (ticks === 5) {
          controller.abort(new Error('budget'));
          resolve();
        } else setTimeout(tick, 10);
      };
      setTimeout(tick, 10);
    });
    const err = await running.catch((e: unknown) => e);
    expect(ticks).toBe(5);
    expect(err).toBeInstanceOf(QueryInterrupted);
    expect((err as QueryInterrupted).reason).toEqual(new Error('budget'));
  });

  it('an abort interrupts the statement and the store keeps answering', async () => {
    const controller = new AbortController();
    const running = store.query(ENDLESS, [], { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(running).rejects.toBeInstanceOf(QueryInterrupted);
    expect(await store.query('SELECT 40 + 2 AS n', [])).toEqual([{ n: 42 }]);
  });

  it('a signal already aborted never starts the statement', async () => {
    await expect(store.query('SELECT 1 AS n', [], { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(
      QueryInterrupted,
    );
  });

  it('a statement needing more than memory_limit fails alone, as a RecordQueryError', async () => {
    const small = await DuckDbRecordStore.open({ path: ':memory:', memoryLimit: '32MB', threads: 1 });
    try {
      const err = await small
        .query(
          "SELECT count(*) AS n FROM (SELECT i::VARCHAR || 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' AS k FROM range(3000000) r(i) GROUP BY k)",
          [],
        )
        .catch((e: unknown) => e);
      expect(err).toMatchObject({ name: 'RecordQueryError' });
      expect((err as Error).message).toMatch(/^Out of Memory Error: [^\n]+$/);
      expect(await small.query('SELECT 1 AS n', [])).toEqual([{ n: 1 }]);
    } finally {
      await small.close();
    }
  });

  it('a statement the engine refuses is a RecordQueryError', async () => {
    const err = await store.query('SELECT no_such_column FROM log_records', []).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'RecordQueryError' });
    expect((err as Error).message).toContain('no_such_column');
  });
});

function row(i: number, logstore = 'l'): RecordRow {
  return {
    region_id: 'cn-hangzhou',
    project_name: 'p',
    logstore_name: logstore,
    flow_log_id: 'fl-1',
    time: 1_700_000_000 + i,
    topic: '',
    source: '',
    version: 1,
    vswitch_id: '',
    vm_id: '',
    vpc_id: '',
    account_id: '',
    eni_id: `eni-${i % 7}`,
    region: 'cn-hangzhou',
    srcaddr: i % 3 === 0 ? null : `10.0.${i >> 8}.${i & 255}`,
    srcport: i % 5 === 0 ? null : i,
    dstaddr: '-',
    dstport: null,
    protocol: 6,
    direction: 'out',
    packets: i % 11 === 0 ? null : 2 ** 40 + i,
    bytes: i,
    start: 1_700_000_000 + i,
    end: 1_700_000_060 + i,
    log_status: 'OK',
    action: null,
    tcp_flags: 0,
  };
}

const ref = (logstoreName: string): LogstoreRef => ({
  regionId: 'cn-hangzhou',
  projectName: 'p',
  logstoreName,
});

const ALL = 'SELECT * EXCLUDE (logstore_key) FROM log_records ORDER BY rowid';

describe('DuckDB record store appends', () => {
  it('a batch of many slices lands whole, in order, nulls kept, and a failed one leaves nothing', async () => {
    const records = await DuckDbRecordStore.open({ path: ':memory:', memoryLimit: '256MB', threads: 1 });
    try {
      const rows = Array.from({ length: 5_000 }, (_, i) => row(i));
      await records.append(rows, 'batch-1');
      expect(await records.query(ALL, [])).toEqual(rows);
      expect(await records.committedBatches(['batch-1', 'batch-2'])).toEqual(new Set(['batch-1']));
      // A value the column cannot hold fails the append after several slices: nothing of it stays,
      // not even the number of the logstore it would have been the first record of.
      const bad = [...rows, { ...row(0, 'other'), srcport: 2 ** 40 }];
      await expect(records.append(bad, 'batch-2')).rejects.toThrow();
      expect(await records.query('SELECT count(*) AS n FROM log_records', [])).toEqual([{ n: 5_000 }]);
      expect(await records.committedBatches(['batch-2'])).toEqual(new Set());
      expect(records.logstoreKey(ref('other'))).toBeUndefined();
      expect(await records.query('SELECT count(*) AS n FROM record_logstores', [])).toEqual([{ n: 1 }]);
    } finally {
      await records.close();
    }
  });

  it('numbers each logstore once; the numbers survive a restart and filter its records alone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vpcflow-duck-'));
    const path = join(dir, 'records.duckdb');
    try {
      let records = await DuckDbRecordStore.open({ path, memoryLimit: '256MB', threads: 1 });
      await records.append([row(1, 'a'), row(2, 'b'), row(3, 'a')]);
      const a = records.logstoreKey(ref('a'));
      const b = records.logstoreKey(ref('b'));
      expect(a).toBeTypeOf('number');
      expect(b).toBeTypeOf('number');
      expect(a).not.toBe(b);
      await records.close();
      records = await DuckDbRecordStore.open({ path, memoryLimit: '256MB', threads: 1 });
      try {
        expect(records.logstoreKey(ref('a'))).toBe(a);
        await records.append([row(4, 'c'), row(5, 'a')]);
        const c = records.logstoreKey(ref('c'));
        expect(new Set([a, b, c]).size).toBe(3);
        const source = filteredRecordSource('duckdb', ref('a'), { from: 0, to: 2_000_000_000 }, a);
        expect(source.source).toContain(`logstore_key = ${String(a)}`);
        const got = await records.query(`SELECT time FROM ${source.source} ORDER BY time`, source.params);
        expect(got).toEqual([1, 3, 5].map((i) => ({ time: 1_700_000_000 + i })));
        // Deleting one logstore's records leaves the others'.
        expect(await records.deleteLogstore(ref('a'))).toBe(3);
        expect(await records.query('SELECT logstore_name AS l FROM log_records ORDER BY l', [])).toEqual([
          { l: 'b' },
          { l: 'c' },
        ]);
      } finally {
        await records.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('stores addresses dictionary-compressed in its file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vpcflow-duck-'));
    const records = await DuckDbRecordStore.open({
      path: join(dir, 'records.duckdb'),
      memoryLimit: '256MB',
      threads: 1,
    });
    try {
      await records.append(Array.from({ length: 3_000 }, (_, i) => row(i)));
      await records.checkpoint();
      const segments = await records.query(
        `SELECT DISTINCT column_name AS c, compression AS k FROM pragma_storage_info('log_records')
         WHERE column_name IN ('srcaddr', 'dstaddr') AND segment_type = 'VARCHAR' ORDER BY c`,
        [],
      );
      expect(segments).toEqual([
        { c: 'dstaddr', k: 'Dictionary' },
        { c: 'srcaddr', k: 'Dictionary' },
      ]);
    } finally {
      await records.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a version-1 file is upgraded once at open: every record kept, in order, under its logstore', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vpcflow-duck-'));
    const path = join(dir, 'records.duckdb');
    const rows = [row(1, 'a'), row(2, 'b'), row(3, 'a'), row(4, 'a')];
    try {
      await writeVersion1File(path, rows);
      const upgrades: unknown[] = [];
      const open = (): Promise<DuckDbRecordStore> =>
        DuckDbRecordStore.open({
          path,
          memoryLimit: '256MB',
          threads: 1,
          onUpgrade: (u) => upgrades.push(u),
        });
      let records = await open();
      try {
        expect(upgrades).toEqual([{ fromVersion: 1, records: 4 }]);
        expect(await records.query(ALL, [])).toEqual(rows);
        expect(await records.query('SELECT version AS v FROM record_schema', [])).toEqual([
          { v: DUCKDB_SCHEMA_VERSION },
        ]);
        const a = records.logstoreKey(ref('a'));
        const source = filteredRecordSource('duckdb', ref('a'), { from: 0, to: 2_000_000_000 }, a);
        expect(await records.query(`SELECT count(*) AS n FROM ${source.source}`, [])).toEqual([{ n: 3 }]);
        // The old batch notes are still there for crash recovery.
        expect(await records.committedBatches(['old-batch'])).toEqual(new Set(['old-batch']));
      } finally {
        await records.close();
      }
      records = await open();
      await records.close();
      expect(upgrades).toHaveLength(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** A record file as vpcflow wrote it before logstore keys (schema version 1). */
async function writeVersion1File(path: string, rows: readonly RecordRow[]): Promise<void> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(path);
  const c = await instance.connect();
  try {
    await c.run('CREATE TABLE record_schema (version INTEGER NOT NULL)');
    await c.run('INSERT INTO record_schema VALUES (1)');
    await c.run(`CREATE TABLE log_records (region_id VARCHAR NOT NULL, project_name VARCHAR NOT NULL,
      logstore_name VARCHAR NOT NULL, flow_log_id VARCHAR NOT NULL, time BIGINT NOT NULL, topic VARCHAR NOT NULL,
      source VARCHAR NOT NULL, version INTEGER, vswitch_id VARCHAR, vm_id VARCHAR, vpc_id VARCHAR,
      account_id VARCHAR, eni_id VARCHAR, region VARCHAR, srcaddr VARCHAR, srcport INTEGER, dstaddr VARCHAR,
      dstport INTEGER, protocol INTEGER, direction VARCHAR, packets BIGINT, bytes BIGINT, start BIGINT,
      "end" BIGINT, log_status VARCHAR, action VARCHAR, tcp_flags INTEGER)`);
    await c.run('CREATE TABLE record_batches (id VARCHAR NOT NULL, committed_at BIGINT NOT NULL)');
    await c.run("INSERT INTO record_batches VALUES ('old-batch', 1)");
    await c.run(
      'CREATE TABLE record_imports (source VARCHAR NOT NULL, records BIGINT NOT NULL, imported_at BIGINT NOT NULL)',
    );
    for (const r of rows) {
      const values = RECORD_COLUMNS.map((k) => r[k]).map((v) =>
        v === null ? 'NULL' : typeof v === 'string' ? `'${v}'` : String(v),
      );
      await c.run(`INSERT INTO log_records VALUES (${values.join(', ')})`);
    }
  } finally {
    c.closeSync();
    instance.closeSync();
  }
}
