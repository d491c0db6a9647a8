// The DuckDB record store's query path: statements run off the JavaScript thread (the event loop keeps
// turning while one runs) and an abort signal interrupts a running statement, after which the store
// answers the next query normally. The hook the tenant-safety time budget uses.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbRecordStore } from './duckdb-records.js';
import { QueryInterrupted } from './record-store.js';

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

describe('DuckDB record store appends', () => {
  it('a batch of many slices lands whole, in order, nulls kept, and a failed one leaves nothing', async () => {
    const records = await DuckDbRecordStore.open({ path: ':memory:', memoryLimit: '256MB', threads: 1 });
    try {
      const rows = Array.from({ length: 5_000 }, (_, i) => ({
        region_id: 'cn-hangzhou',
        project_name: 'p',
        logstore_name: 'l',
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
      }));
      await records.append(rows, 'batch-1');
      const back = await records.query('SELECT * FROM log_records ORDER BY rowid', []);
      expect(back).toEqual(rows);
      expect(await records.committedBatches(['batch-1', 'batch-2'])).toEqual(new Set(['batch-1']));
      // A value the column cannot hold fails the append after several slices: nothing of it stays.
      const bad = [...rows, { ...rows[0]!, srcport: 2 ** 40 }];
      await expect(records.append(bad, 'batch-2')).rejects.toThrow();
      expect(await records.query('SELECT count(*) AS n FROM log_records', [])).toEqual([{ n: 5_000 }]);
      expect(await records.committedBatches(['batch-2'])).toEqual(new Set());
    } finally {
      await records.close();
    }
  });
});
