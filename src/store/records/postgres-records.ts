/**
 * Records in PostgreSQL (`--database-url`): every node appends to and reads the same `log_records`, so
 * the records one node collected are searched through the SLS API of any other. The schema is migration
 * 30 (src/store/migrations.ts): `log_records` range-partitioned by day on `time` (`__time__`).
 *
 * - Partitions (`log_records_YYYYMMDD`) are created on demand, before the append that needs them, in a
 *   short transaction of their own under an advisory lock, so nodes appending the same new day create it
 *   once. Creating one locks the parent table; doing it outside the append keeps that lock brief, and
 *   the day after the batch's newest is created ahead of time, given up when a read holds the table.
 * - Writes: one transaction per batch, the rows in multi-row `INSERT ... SELECT FROM unnest($1::text[],
 *   ...)` statements (one parameter per column, however many rows: no 65,535-parameter limit, one plan),
 *   the batch id in `record_batches` and the batch's (day, logstore) pairs in `record_days` in the same
 *   commit. An acknowledged batch is durable; a rejected one left nothing. A batch id already stored
 *   (itself, or as the SKIPDATA standing for it) makes the append a no-op.
 * - Reads: a connection of the store's own pool per query (the control plane keeps its pool). Aborting
 *   cancels the statement from another connection (`pg_cancel_backend`), repeated until it stops, and the
 *   connection is then closed rather than reused. Bounded reads run through a cursor, FETCH by FETCH.
 * - Retention: a day whose every logstore's TTL has passed it is dropped whole (DROP TABLE of the
 *   partition: no dead rows, no VACUUM); otherwise the logstore's expired records are deleted by time
 *   range, which partition pruning confines to the days concerned.
 */
import pg from 'pg';
import { asStoreError, describeUrl, isConnectionError } from '../postgres/postgres-db.js';
import { toPostgresPlaceholders } from '../postgres/placeholders.js';
import { StoreUnavailableError } from '../sql-db.js';
import { RECORD_TABLE } from './record-sql.js';
import { BATCH_MEMORY_MS, PRUNE_EVERY } from './sqlite-records.js';
import {
  QueryInterrupted,
  RECORD_COLUMNS,
  RecordQueryError,
  estimateRowBytes,
  type BoundedQueryOptions,
  type BoundedRows,
  type LogstoreRef,
  type QueryOptions,
  type RecordRow,
  type RecordStore,
} from './record-store.js';

export interface PostgresRecordOptions {
  /** The `--database-url` (its schema already migrated by openPostgres). */
  url: string;
  /** Connections of the record store's own pool. */
  poolSize?: number | undefined;
  onIdleError?: ((err: Error) => void) | undefined;
}

/** A record's expiry: its logstore's records older than `beforeTime` (Unix seconds) may go. */
export interface ExpiryCutoff {
  store: LogstoreRef;
  beforeTime: number;
}

const DAY = 86_400;
/** Rows per INSERT statement: bounds one statement's arrays (and the JS strings that build them). */
const ROWS_PER_STATEMENT = 5_000;
/** Rows per FETCH of a bounded read: at most this many beyond the bounds are ever held. */
const FETCH_ROWS = 500;
/** Arbitrary constant: the advisory lock nodes take to create a day's partition. */
const PARTITION_LOCK = 7_346_102_030;
/** How long retention waits to lock the table for dropping a day before deleting by range instead. */
const DROP_LOCK_TIMEOUT = '2s';
/** How long an append waits to create tomorrow's partition ahead of time before leaving it for later. */
const PREPARE_LOCK_TIMEOUT = '1s';
const CANCEL_REPEAT_MS = 20;
/** The id crash recovery gives the SKIPDATA records replacing a batch (src/dataplane/pipeline/delivery.ts). */
const SKIPDATA_SUFFIX = ':skipdata';
const CONNECT_TIMEOUT_MS = 5_000;
/** Appends retried when the day's partition was dropped between its creation and the insert. */
const PARTITION_RETRIES = 3;

const INT8_OID = 20;
const NUMERIC_OID = 1700;

/** Integers as numbers when safe, bigint beyond (the RecordStore contract); NUMERIC as a double. */
const TYPES = {
  getTypeParser: ((oid: number, format?: string) => {
    if (oid === INT8_OID) {
      return (text: string): number | bigint => {
        const n = Number(text);
        return Number.isSafeInteger(n) ? n : BigInt(text);
      };
    }
    if (oid === NUMERIC_OID) return (text: string): number => Number(text);
    return pg.types.getTypeParser(oid, format as 'text');
  }) as typeof pg.types.getTypeParser,
};

type ColumnKind = 'text' | 'bigint';
const KIND: Record<(typeof RECORD_COLUMNS)[number], ColumnKind> = {
  region_id: 'text',
  project_name: 'text',
  logstore_name: 'text',
  flow_log_id: 'text',
  time: 'bigint',
  topic: 'text',
  source: 'text',
  version: 'bigint',
  vswitch_id: 'text',
  vm_id: 'text',
  vpc_id: 'text',
  account_id: 'text',
  eni_id: 'text',
  region: 'text',
  srcaddr: 'text',
  srcport: 'bigint',
  dstaddr: 'text',
  dstport: 'bigint',
  protocol: 'bigint',
  direction: 'text',
  packets: 'bigint',
  bytes: 'bigint',
  start: 'bigint',
  end: 'bigint',
  log_status: 'text',
  action: 'text',
  tcp_flags: 'bigint',
};

const INSERT_SQL = `INSERT INTO ${RECORD_TABLE} (${RECORD_COLUMNS.map((c) => `"${c}"`).join(', ')})
  SELECT * FROM unnest(${RECORD_COLUMNS.map((c, i) => `$${i + 1}::${KIND[c]}[]`).join(', ')})`;

/**
 * SQLSTATE classes of a statement at fault for what it asks: data exceptions (22: division by zero,
 * overflow, bad cast), syntax and access rules (42), unsupported features (0A), cardinality (21),
 * program limits (54: too complex), and running out of memory for it (53200).
 */
const QUERY_FAULT = /^(22|42|0A|21|54)/;

/** The partition of `day` (days since the epoch) is `log_records_YYYYMMDD` (UTC). */
export function partitionName(day: number): string {
  const iso = new Date(day * DAY * 1000).toISOString().slice(0, 10);
  return `${RECORD_TABLE}_${iso.replace(/[^0-9]/g, '')}`;
}

function dayOf(time: number): number {
  return Math.floor(time / DAY);
}

/** A row of record_days: a logstore with records in a day's partition. */
interface LogstoreDay {
  day: number;
  region_id: string;
  project_name: string;
  logstore_name: string;
}

function logstoreKey(region: string, project: string, logstore: string): string {
  return `${region}\n${project}\n${logstore}`;
}

export class PostgresRecordStore implements RecordStore {
  readonly dialect = 'postgres' as const;
  /** Days whose partition this node created or found (cleared when an insert finds one missing). */
  readonly #days = new Set<number>();
  #appends = 0;
  #closed = false;

  private constructor(
    private readonly pool: pg.Pool,
    private readonly url: string,
    readonly location: string,
  ) {}

  static async open(opts: PostgresRecordOptions): Promise<PostgresRecordStore> {
    const pool = new pg.Pool({
      connectionString: opts.url,
      max: opts.poolSize ?? 10,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      idleTimeoutMillis: 30_000,
      application_name: 'vpcflow-records',
      types: TYPES,
    });
    pool.on('error', (err) => opts.onIdleError?.(err));
    const store = new PostgresRecordStore(pool, opts.url, describeUrl(opts.url));
    try {
      // The schema is the control plane's migrations; refuse a database that lacks it.
      await store
        .#run((c) =>
          c.query(`SELECT 1 FROM pg_partitioned_table WHERE partrelid = '${RECORD_TABLE}'::regclass`),
        )
        .then((r) => {
          if (r.rowCount !== 1) throw new Error(`${RECORD_TABLE} is not partitioned: migration 23 missing`);
        });
    } catch (err) {
      await pool.end().catch(() => undefined);
      throw err;
    }
    return store;
  }

  async append(rows: readonly RecordRow[], batch?: string): Promise<void> {
    if (rows.length === 0 && batch === undefined) return;
    const days = [...new Set(rows.map((r) => dayOf(Number(r.time))))].sort((a, b) => a - b);
    const prune = ++this.#appends % PRUNE_EVERY === 0;
    const last = days[days.length - 1];
    // The day after the batch's newest, ahead of time: creating a partition locks the whole table
    // (waiting for running reads, and new reads wait behind it), best done before records need it.
    if (last !== undefined) await this.#ensurePartitions([last + 1], PREPARE_LOCK_TIMEOUT);
    for (let attempt = 1; ; attempt++) {
      await this.#ensurePartitions(days);
      try {
        await this.#transaction(async (c) => {
          if (batch !== undefined && (await this.#alreadyStored(c, batch))) return;
          for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
            await c.query(INSERT_SQL, columnArrays(rows.slice(i, i + ROWS_PER_STATEMENT)));
          }
          await this.#noteDays(c, rows);
          const now = Date.now();
          if (batch !== undefined) {
            await c.query('INSERT INTO record_batches (id, committed_at) VALUES ($1, $2)', [batch, now]);
          }
          if (prune) {
            await c.query('DELETE FROM record_batches WHERE committed_at < $1', [now - BATCH_MEMORY_MS]);
          }
        });
        return;
      } catch (err) {
        // 23514 "no partition of relation found for row": retention dropped the day meanwhile.
        if ((err as { code?: unknown }).code !== '23514' || attempt >= PARTITION_RETRIES) throw err;
        this.#days.clear();
      }
    }
  }

  /**
   * Whether `batch`, or the SKIPDATA records standing for it (`<batch>:skipdata`, written by crash
   * recovery in src/dataplane/pipeline/delivery.ts), is already stored. With several nodes on one
   * journal, a node starting up may settle a batch another node is still appending: whichever commits
   * second stores nothing, so never both the records and their SKIPDATA. The advisory lock on the batch
   * makes the second wait for the first and then see its commit.
   */
  async #alreadyStored(c: pg.PoolClient, batch: string): Promise<boolean> {
    const base = batch.endsWith(SKIPDATA_SUFFIX) ? batch.slice(0, -SKIPDATA_SUFFIX.length) : batch;
    await c.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [base]);
    const found = await c.query('SELECT 1 FROM record_batches WHERE id = ANY($1::text[])', [
      [base, `${base}${SKIPDATA_SUFFIX}`],
    ]);
    return (found.rowCount ?? 0) > 0;
  }

  /** The (day, logstore) pairs of a batch, for retention (record_days, migration 23). */
  async #noteDays(c: pg.PoolClient, rows: readonly RecordRow[]): Promise<void> {
    const seen = new Map<string, [number, string, string, string]>();
    for (const r of rows) {
      const day = dayOf(Number(r.time));
      const key = `${day}\n${r.region_id}\n${r.project_name}\n${r.logstore_name}`;
      if (!seen.has(key)) seen.set(key, [day, r.region_id, r.project_name, r.logstore_name]);
    }
    if (seen.size === 0) return;
    // In key order, so concurrent appends take the same row locks in the same order (no deadlock).
    const pairs = [...seen.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
    await c.query(
      `INSERT INTO record_days (day, region_id, project_name, logstore_name)
       SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[])
       ON CONFLICT DO NOTHING`,
      [pairs.map((p) => p[0]), pairs.map((p) => p[1]), pairs.map((p) => p[2]), pairs.map((p) => p[3])],
    );
  }

  /**
   * Creates the partitions of `days` this node has not seen yet (each node, each day: once). With
   * `lockTimeout` it is best effort: when the table cannot be locked that soon, nothing happens (the
   * append that needs the day creates it, waiting as long as it takes).
   */
  async #ensurePartitions(days: readonly number[], lockTimeout?: string): Promise<void> {
    const missing = days.filter((d) => !this.#days.has(d));
    if (missing.length === 0) return;
    const created = this.#transaction(async (c) => {
      if (lockTimeout !== undefined) await c.query(`SET LOCAL lock_timeout = '${lockTimeout}'`);
      // Two sessions running CREATE TABLE IF NOT EXISTS for the same name at once can both pass the
      // check and one fail on the catalog; the lock makes them take turns.
      await c.query('SELECT pg_advisory_xact_lock($1)', [PARTITION_LOCK]);
      for (const day of missing) {
        await c.query(
          `CREATE TABLE IF NOT EXISTS ${partitionName(day)} PARTITION OF ${RECORD_TABLE}
           FOR VALUES FROM (${day * DAY}) TO (${(day + 1) * DAY})`,
        );
      }
    });
    if (lockTimeout === undefined) await created;
    else if (
      !(await created.then(
        () => true,
        () => false,
      ))
    )
      return;
    for (const day of missing) this.#days.add(day);
  }

  async committedBatches(batches: readonly string[]): Promise<Set<string>> {
    if (batches.length === 0) return new Set();
    const r = await this.#run((c) =>
      c.query<{ id: string }>('SELECT id FROM record_batches WHERE id = ANY($1::text[])', [[...batches]]),
    );
    return new Set(r.rows.map((row) => row.id));
  }

  async query(
    sql: string,
    params: readonly unknown[],
    opts: QueryOptions = {},
  ): Promise<Record<string, unknown>[]> {
    return this.#read(opts, async (c) => (await c.query(statement(sql, params))).rows);
  }

  /**
   * Through a cursor in a read-only transaction, FETCH_ROWS at a time, stopping at the bounds: the rest
   * of the result is never sent, and ending the transaction closes the cursor.
   */
  async queryBounded(
    sql: string,
    params: readonly unknown[],
    opts: BoundedQueryOptions,
  ): Promise<BoundedRows> {
    return this.#read(opts, async (c) => {
      await c.query('BEGIN READ ONLY');
      try {
        await c.query(statement(`DECLARE bounded NO SCROLL CURSOR FOR ${sql}`, params));
        const rows: Record<string, unknown>[] = [];
        let bytes = 0;
        for (;;) {
          const chunk = (await c.query(`FETCH ${FETCH_ROWS} FROM bounded`)).rows;
          for (const row of chunk) {
            bytes += estimateRowBytes(row);
            if (rows.length >= opts.maxRows || bytes > opts.maxBytes) return { rows, truncated: true };
            rows.push(row);
          }
          if (chunk.length < FETCH_ROWS) return { rows, truncated: false };
        }
      } finally {
        await c.query('ROLLBACK').catch(() => undefined);
      }
    });
  }

  /** One read on its own connection, cancelled when `opts.signal` aborts. */
  async #read<T>(opts: QueryOptions, run: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    const { signal } = opts;
    if (signal?.aborted) throw new QueryInterrupted(signal.reason);
    const client = await this.#connect(signal);
    let cancelled = false;
    let repeat: NodeJS.Timeout | undefined;
    let done = false;
    let sending = false;
    const cancel = (): void => {
      if (done || sending) return;
      cancelled = true;
      sending = true;
      void this.#cancel((client as unknown as { processID?: number }).processID).finally(() => {
        sending = false;
      });
    };
    // A cancel that lands just before the statement starts is lost; repeat it until the read ends.
    const onAbort = (): void => {
      cancel();
      repeat ??= setInterval(cancel, CANCEL_REPEAT_MS);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    let broken: Error | undefined;
    try {
      if (signal?.aborted) throw new QueryInterrupted(signal.reason);
      return await run(client);
    } catch (err) {
      if (err instanceof QueryInterrupted) throw err;
      if (isConnectionError(err)) broken = err as Error;
      if (signal?.aborted) throw new QueryInterrupted(signal.reason);
      const code = (err as { code?: unknown }).code;
      if (typeof code === 'string' && (QUERY_FAULT.test(code) || code === '53200')) {
        throw new RecordQueryError((err as Error).message);
      }
      throw asStoreError(err);
    } finally {
      done = true;
      clearInterval(repeat);
      signal?.removeEventListener('abort', onAbort);
      // A cancel may still be on its way: never hand this connection to another statement.
      client.release(cancelled ? new Error('cancelled') : (broken ?? false));
    }
  }

  /** `pg_cancel_backend` from a connection of its own (the pool may be busy with the very reads). */
  async #cancel(pid: number | undefined): Promise<void> {
    if (pid === undefined) return;
    const c = new pg.Client({ connectionString: this.url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
    c.on('error', () => undefined);
    try {
      await c.connect();
      await c.query('SELECT pg_cancel_backend($1)', [pid]);
    } catch {
      // Not delivered (the server is unreachable): the read ends with its connection, or by itself.
    } finally {
      await c.end().catch(() => undefined);
    }
  }

  /**
   * Expires one logstore (`expireAll` with one cutoff): its days wholly before the cutoff are dropped
   * when no other logstore has records in them; its other expired records are deleted by range.
   */
  expire(store: LogstoreRef, beforeTime: number): Promise<number> {
    return this.expireAll([{ store, beforeTime }]);
  }

  /**
   * One retention pass over several logstores: a day is dropped whole when every logstore with records
   * in it has a cutoff at or after the day's end (logstores absent from `cutoffs` keep theirs); then
   * each logstore's remaining expired records are deleted by time range.
   */
  async expireAll(cutoffs: readonly ExpiryCutoff[]): Promise<number> {
    const cutoffOf = new Map<string, number>();
    let latest = -Infinity;
    for (const { store, beforeTime } of cutoffs) {
      const key = logstoreKey(store.regionId, store.projectName, store.logstoreName);
      cutoffOf.set(key, Math.max(cutoffOf.get(key) ?? -Infinity, beforeTime));
      latest = Math.max(latest, beforeTime);
    }
    const before = (ref: LogstoreDay): number =>
      cutoffOf.get(logstoreKey(ref.region_id, ref.project_name, ref.logstore_name)) ?? -Infinity;
    let deleted = 0;
    const days = await this.#daysBefore(latest);
    if (days.length > 0) {
      // Which days qualify, read without locks; #dropDay reads them again under its lock, so that only
      // days about to go are ever locked (a day a permanent logstore shares is skipped every sweep).
      const noted = await this.#run((c) =>
        c.query<LogstoreDay>('SELECT * FROM record_days WHERE day <= $1', [days[days.length - 1]]),
      );
      const byDay = new Map<number, LogstoreDay[]>();
      for (const r of noted.rows) {
        const list = byDay.get(Number(r.day));
        if (list) list.push(r);
        else byDay.set(Number(r.day), [r]);
      }
      for (const day of days) {
        const end = (day + 1) * DAY;
        const allows = (ref: LogstoreDay): boolean => before(ref) >= end;
        if (!(byDay.get(day) ?? []).every(allows)) continue;
        const dropped = await this.#dropDay(day, allows);
        if (dropped !== undefined) deleted += dropped;
      }
    }
    for (const { store, beforeTime } of cutoffs) {
      const r = await this.#run((c) =>
        c.query(
          `DELETE FROM ${RECORD_TABLE} WHERE region_id = $1 AND project_name = $2 AND logstore_name = $3 AND time < $4`,
          [store.regionId, store.projectName, store.logstoreName, Math.trunc(beforeTime)],
        ),
      );
      deleted += r.rowCount ?? 0;
    }
    return deleted;
  }

  async deleteLogstore(store: LogstoreRef): Promise<number> {
    const ref = [store.regionId, store.projectName, store.logstoreName];
    const r = await this.#transaction(async (c) => {
      const del = await c.query(
        `DELETE FROM ${RECORD_TABLE} WHERE region_id = $1 AND project_name = $2 AND logstore_name = $3`,
        ref,
      );
      const days = await c.query<{ day: number }>(
        'DELETE FROM record_days WHERE region_id = $1 AND project_name = $2 AND logstore_name = $3 RETURNING day',
        ref,
      );
      return { n: del.rowCount ?? 0, days: days.rows.map((d) => Number(d.day)) };
    });
    // Days no other logstore has records in are empty now: drop their partitions.
    for (const day of r.days) await this.#dropDay(day, () => false);
    return r.n;
  }

  /** Empties the records of every logstore (POST /_vpcflow/reset); the partitions stay. */
  async clear(): Promise<void> {
    await this.#run((c) => c.query(`TRUNCATE ${RECORD_TABLE}, record_days`));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.pool.end();
  }

  /** Days that have a partition and end at or before `time`. */
  async #daysBefore(time: number): Promise<number[]> {
    if (!Number.isFinite(time)) return [];
    const r = await this.#run((c) =>
      c.query<{ name: string }>(
        `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
         WHERE i.inhparent = '${RECORD_TABLE}'::regclass`,
      ),
    );
    const days: number[] = [];
    for (const { name } of r.rows) {
      const m = new RegExp(`^${RECORD_TABLE}_(\\d{4})(\\d{2})(\\d{2})$`).exec(name);
      if (!m) continue;
      const day = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / 1000 / DAY;
      if ((day + 1) * DAY <= time) days.push(day);
    }
    return days.sort((a, b) => a - b);
  }

  /**
   * Drops `day`'s partition if every logstore noted in it passes `allows` (a day with none left is
   * empty); returns the records dropped, or undefined when it stays. The table is locked first (appends
   * into that day wait, then go to a new partition) and the logstores read again under the lock, so a
   * logstore's records appended meanwhile are never dropped; when the lock cannot be had within
   * DROP_LOCK_TIMEOUT (long reads), the day stays for range deletes and the next sweep.
   */
  async #dropDay(day: number, allows: (ref: LogstoreDay) => boolean): Promise<number | undefined> {
    const name = partitionName(day);
    try {
      return await this.#transaction(async (c) => {
        await c.query(`SET LOCAL lock_timeout = '${DROP_LOCK_TIMEOUT}'`);
        const exists = await c.query('SELECT to_regclass($1) AS t', [name]);
        if (exists.rows[0]?.['t'] === null) return undefined;
        // The parent first: DROP of a partition locks it anyway, and the same order as appends and
        // reads (parent, then partition) cannot deadlock.
        await c.query(`LOCK TABLE ${RECORD_TABLE}, ${name} IN ACCESS EXCLUSIVE MODE`);
        const refs = await c.query<LogstoreDay>('SELECT * FROM record_days WHERE day = $1', [day]);
        if (!refs.rows.every(allows)) return undefined;
        const n = await c.query<{ n: number }>(`SELECT count(*) AS n FROM ${name}`);
        await c.query(`DROP TABLE ${name}`);
        await c.query('DELETE FROM record_days WHERE day = $1', [day]);
        return Number(n.rows[0]?.n ?? 0);
      });
    } catch (err) {
      if ((err as { code?: unknown }).code === '55P03') return undefined; // lock_not_available
      throw err;
    } finally {
      this.#days.delete(day);
    }
  }

  /** A pooled connection; an abort while waiting for one (a busy pool) ends the wait. */
  async #connect(signal?: AbortSignal): Promise<pg.PoolClient> {
    if (this.#closed) throw new Error('record store is closed');
    const pending = this.pool.connect();
    let onAbort = (): void => undefined;
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(new QueryInterrupted(signal?.reason));
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    try {
      return await Promise.race([pending, aborted]);
    } catch (err) {
      if (!(err instanceof QueryInterrupted)) throw new StoreUnavailableError(err);
      // The connection still comes: straight back to the pool.
      pending.then(
        (c) => c.release(),
        () => undefined,
      );
      throw err;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /** A statement on a pooled connection (errors: connection loss -> StoreUnavailableError). */
  async #run<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    const c = await this.#connect();
    let broken: Error | undefined;
    try {
      return await fn(c);
    } catch (err) {
      if (isConnectionError(err)) broken = err as Error;
      throw asStoreError(err);
    } finally {
      c.release(broken ?? false);
    }
  }

  /** `fn` in one READ COMMITTED transaction: all of it or nothing. */
  #transaction<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    return this.#run(async (c) => {
      await c.query('BEGIN');
      try {
        const result = await fn(c);
        await c.query('COMMIT');
        return result;
      } catch (err) {
        await c.query('ROLLBACK').catch(() => undefined);
        throw err;
      }
    });
  }
}

/**
 * A read as pg takes it. The compiler writes `$n`; `?` placeholders (what DuckDB also accepts, and
 * record reads written for any engine use) become `$n` too.
 */
function statement(sql: string, params: readonly unknown[]): pg.QueryConfig {
  return { text: toPostgresPlaceholders(sql), values: [...params] };
}

/** One array per column, in RECORD_COLUMNS order, for the unnest() INSERT. */
function columnArrays(rows: readonly RecordRow[]): unknown[][] {
  return RECORD_COLUMNS.map((c) =>
    rows.map((r) => {
      const v = r[c];
      if (v === null || v === undefined) return null;
      return KIND[c] === 'text' ? String(v) : v;
    }),
  );
}
