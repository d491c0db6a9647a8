/**
 * Records in DuckDB (`@duckdb/node-api`, the official Node client): a columnar file of its own in the
 * data directory, next to the SQLite file of the control plane. Flow analytics aggregate a few columns
 * over millions of rows, which a column store answers one to two orders of magnitude faster than SQLite
 * rows, in a tenth of the space (README, "Record store").
 *
 * - Writes: one appender per batch inside one transaction on a single write connection, so a batch is
 *   all or nothing; COMMIT writes DuckDB's WAL, so an acknowledged batch survives `kill -9`. DuckDB
 *   checkpoints the WAL into the file when it grows past `checkpoint_threshold`, and at close.
 * - Reads: a connection per query. The client runs statements on DuckDB's own threads (bounded by
 *   `threads`, memory by `memory_limit`), never on the JavaScript thread, and `interrupt()` stops a
 *   query when its abort signal fires.
 * - Deletes (TTL, logstore deletion): one DELETE by time range on the write connection; DuckDB marks
 *   rows deleted in place, so appends and queries go on around it.
 */
import { mkdirSync } from 'node:fs';
import { setImmediate as yieldToIo } from 'node:timers/promises';
import { dirname } from 'node:path';
import {
  DuckDBInstance,
  type DuckDBAppender,
  type DuckDBConnection,
  type DuckDBValue,
} from '@duckdb/node-api';
import { RECORD_TABLE } from './record-sql.js';
import { BATCH_MEMORY_MS, PRUNE_EVERY } from './sqlite-records.js';
import {
  QueryInterrupted,
  RecordQueryError,
  estimateRowBytes,
  type BoundedQueryOptions,
  type BoundedRows,
  type LogstoreRef,
  type QueryOptions,
  type RecordRow,
  type RecordStore,
} from './record-store.js';

/**
 * Schema version of the DuckDB file, kept in `record_schema` (independent of the SQLite migrations).
 * 2: records carry `logstore_key` (see `record_logstores`) and addresses are dictionary-compressed;
 * a version-1 file is rewritten once at open (upgradeFromV1).
 */
export const DUCKDB_SCHEMA_VERSION = 2;

export interface DuckDbRecordOptions {
  /** A file path, or `:memory:`. */
  path: string;
  /** DuckDB `memory_limit`, e.g. `1GB`. */
  memoryLimit: string;
  /** DuckDB `threads`: threads one query may use. */
  threads: number;
  /** Called once when a file of an earlier schema version was upgraded at open. */
  onUpgrade?: (result: { fromVersion: number; records: number }) => void;
}

/**
 * DuckDB error classes that mean the statement itself is at fault, not the engine; a statement that
 * needs more than `memory_limit` is one (GetLogs answers it as the caller's query, 400).
 */
const QUERY_FAULT =
  /^(Binder|Parser|Conversion|Catalog|Invalid Input|Out of Range|Not implemented|Out of Memory) Error\b/;

const INTERRUPT_REPEAT_MS = 20;
/** Time one append slice may hold the JavaScript thread (see appendSliced). */
const APPEND_SLICE_MS = 2;
/** Rows appended between two looks at the clock. */
const APPEND_STEP = 64;

type ColumnKind = 'text' | 'int' | 'bigint';

/** Column order and types of `log_records` (the order the appender writes). */
const COLUMNS: readonly (readonly [keyof RecordRow, ColumnKind, boolean])[] = [
  // [column, kind, NOT NULL]
  ['region_id', 'text', true],
  ['project_name', 'text', true],
  ['logstore_name', 'text', true],
  ['flow_log_id', 'text', true],
  ['time', 'bigint', true],
  ['topic', 'text', true],
  ['source', 'text', true],
  ['version', 'int', false],
  ['vswitch_id', 'text', false],
  ['vm_id', 'text', false],
  ['vpc_id', 'text', false],
  ['account_id', 'text', false],
  ['eni_id', 'text', false],
  ['region', 'text', false],
  ['srcaddr', 'text', false],
  ['srcport', 'int', false],
  ['dstaddr', 'text', false],
  ['dstport', 'int', false],
  ['protocol', 'int', false],
  ['direction', 'text', false],
  ['packets', 'bigint', false],
  ['bytes', 'bigint', false],
  ['start', 'bigint', false],
  ['end', 'bigint', false],
  ['log_status', 'text', false],
  ['action', 'text', false],
  ['tcp_flags', 'int', false],
];

const SQL_TYPE: Record<ColumnKind, string> = { text: 'VARCHAR', int: 'INTEGER', bigint: 'BIGINT' };

/**
 * Address columns are stored with DuckDB's dictionary compression (`USING COMPRESSION`, DuckDB's
 * column compression clause) rather than the FSST it picks for them by itself: FSST is smaller but
 * every scan decodes it, and addresses are what flow analytics group by. Measured over the
 * bench:getlogs data (10 M records, one thread): scanning srcaddr 177 ms with FSST, 109 ms with
 * dictionaries; top talkers over 7 days 336 ms against 262 ms; about 12 bytes more per record.
 */
const DICTIONARY_COLUMNS: ReadonlySet<string> = new Set(['srcaddr', 'dstaddr']);

/**
 * `log_records`: the record columns, then `logstore_key`, the logstore's number in `record_logstores`.
 * Reads filter on the key instead of three strings: DuckDB checks one integer per row, or none where a
 * row group's min/max show that every row matches (a row group of one logstore); `count(*)` over a
 * logstore's week then comes from metadata (1 ms against 80 ms over 10 M records).
 */
function recordTableSql(name: string): string {
  const columns = COLUMNS.map(
    ([c, k, notNull]) =>
      `"${c}" ${SQL_TYPE[k]}${DICTIONARY_COLUMNS.has(c) ? ' USING COMPRESSION dictionary' : ''}${notNull ? ' NOT NULL' : ''}`,
  );
  return `CREATE TABLE ${name} (${columns.join(', ')}, logstore_key INTEGER NOT NULL)`;
}

const LOGSTORES_SQL =
  'CREATE TABLE record_logstores (key INTEGER NOT NULL, region_id VARCHAR NOT NULL, project_name VARCHAR NOT NULL, logstore_name VARCHAR NOT NULL)';

/** The tables of a new file (version DUCKDB_SCHEMA_VERSION). */
const SCHEMA = [
  recordTableSql(RECORD_TABLE),
  LOGSTORES_SQL,
  // Ids of recently committed batches, for crash recovery (src/dataplane/pipeline/delivery.ts).
  'CREATE TABLE record_batches (id VARCHAR NOT NULL, committed_at BIGINT NOT NULL)',
  // One-time imports of records from earlier versions' SQLite rows (see record-migration.ts).
  'CREATE TABLE record_imports (source VARCHAR NOT NULL, records BIGINT NOT NULL, imported_at BIGINT NOT NULL)',
];

/** Map key of a logstore. */
const logstoreId = (s: LogstoreRef): string => `${s.regionId}\u0000${s.projectName}\u0000${s.logstoreName}`;

export class DuckDbRecordStore implements RecordStore {
  readonly dialect = 'duckdb' as const;
  #writes: Promise<unknown> = Promise.resolve();
  #closed = false;
  #appends = 0;
  readonly #open = new Set<DuckDBConnection>();
  /** `record_logstores` in memory: one process has the file open, so this copy is the truth. */
  readonly #keys = new Map<string, number>();

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly writer: DuckDBConnection,
    readonly location: string,
  ) {}

  static async open(opts: DuckDbRecordOptions): Promise<DuckDbRecordStore> {
    if (opts.path !== ':memory:') mkdirSync(dirname(opts.path), { recursive: true });
    const instance = await DuckDBInstance.create(opts.path, {
      memory_limit: opts.memoryLimit,
      threads: String(opts.threads),
      // Keep row order = append order, so `rowid` breaks time ties the same way every time.
      preserve_insertion_order: 'true',
    });
    const writer = await instance.connect();
    try {
      await writer.run('CREATE TABLE IF NOT EXISTS record_schema (version INTEGER NOT NULL)');
      const rows = (
        await writer.runAndReadAll('SELECT max(version) AS v FROM record_schema')
      ).getRowObjects();
      const version = rows[0]?.['v'];
      if (version === null || version === undefined) {
        await inTransaction(writer, async () => {
          for (const sql of SCHEMA) await writer.run(sql);
          await writer.run('INSERT INTO record_schema VALUES ($1::INTEGER)', [DUCKDB_SCHEMA_VERSION]);
        });
      } else if (Number(version) > DUCKDB_SCHEMA_VERSION) {
        throw new Error(
          `record file schema version ${String(version)} is newer than this vpcflow supports (${DUCKDB_SCHEMA_VERSION})`,
        );
      } else if (Number(version) === 1) {
        const records = await upgradeFromV1(writer);
        opts.onUpgrade?.({ fromVersion: 1, records });
      }
    } catch (err) {
      writer.closeSync();
      instance.closeSync();
      throw err;
    }
    const store = new DuckDbRecordStore(instance, writer, opts.path);
    const keys = await writer.runAndReadAll(
      'SELECT key, region_id, project_name, logstore_name FROM record_logstores',
    );
    for (const r of keys.getRowObjects()) {
      const ref = {
        regionId: String(r['region_id']),
        projectName: String(r['project_name']),
        logstoreName: String(r['logstore_name']),
      };
      store.#keys.set(logstoreId(ref), Number(r['key']));
    }
    return store;
  }

  /**
   * The logstore's key in `log_records.logstore_key`, for record-sql.ts to filter on; undefined while
   * the logstore has never had a record appended (then the name filter applies and finds none).
   */
  logstoreKey(store: LogstoreRef): number | undefined {
    return this.#keys.get(logstoreId(store));
  }

  append(rows: readonly RecordRow[], batchId?: string): Promise<void> {
    if (rows.length === 0 && batchId === undefined) return Promise.resolve();
    const now = Date.now();
    const prune = ++this.#appends % PRUNE_EVERY === 0;
    return this.#serial(async () => {
      const c = this.writer;
      const added = new Map<string, number>();
      await c.run('BEGIN TRANSACTION');
      try {
        if (rows.length > 0) await this.#appendKeyed(c, rows, added);
        if (batchId !== undefined) {
          await c.run('INSERT INTO record_batches VALUES ($1::VARCHAR, $2::BIGINT)', [batchId, BigInt(now)]);
        }
        if (prune) {
          await c.run('DELETE FROM record_batches WHERE committed_at < $1::BIGINT', [
            BigInt(now - BATCH_MEMORY_MS),
          ]);
        }
        await c.run('COMMIT');
      } catch (err) {
        await c.run('ROLLBACK').catch(() => undefined);
        throw err;
      }
      this.#keep(added);
    });
  }

  async query(
    sql: string,
    params: readonly unknown[],
    opts: QueryOptions = {},
  ): Promise<Record<string, unknown>[]> {
    return this.#read(opts, async (conn) => {
      const reader = await conn.runAndReadAll(sql, params.map(toDuckDb));
      return reader.getRowObjects().map(fromDuckDbRow);
    });
  }

  /**
   * Streams the result chunk by chunk (2,048 rows each) and stops at the bounds: the rest of the
   * result is never materialised, and closing the connection ends the statement.
   */
  async queryBounded(
    sql: string,
    params: readonly unknown[],
    opts: BoundedQueryOptions,
  ): Promise<BoundedRows> {
    return this.#read(opts, async (conn) => {
      const result = await conn.stream(sql, params.map(toDuckDb));
      const names = result.deduplicatedColumnNames();
      const rows: Record<string, unknown>[] = [];
      let bytes = 0;
      for (;;) {
        const chunk = await result.fetchChunk();
        if (!chunk || chunk.rowCount === 0) return { rows, truncated: false };
        for (const raw of chunk.getRowObjects(names)) {
          const row = fromDuckDbRow(raw);
          bytes += estimateRowBytes(row);
          if (rows.length >= opts.maxRows || bytes > opts.maxBytes) return { rows, truncated: true };
          rows.push(row);
        }
      }
    });
  }

  /** One read on its own connection, interrupted when `opts.signal` aborts. */
  async #read<T>(opts: QueryOptions, run: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
    const { signal } = opts;
    if (signal?.aborted) throw new QueryInterrupted(signal.reason);
    if (this.#closed) throw new Error('record store is closed');
    const conn = await this.instance.connect();
    this.#open.add(conn);
    // An interrupt that lands just before the statement starts could be lost; repeat it until it ends.
    let repeat: NodeJS.Timeout | undefined;
    const onAbort = (): void => {
      conn.interrupt();
      repeat ??= setInterval(() => conn.interrupt(), INTERRUPT_REPEAT_MS);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      if (signal?.aborted) throw new QueryInterrupted(signal.reason);
      return await run(conn);
    } catch (err) {
      if (err instanceof QueryInterrupted) throw err;
      if (signal?.aborted) throw new QueryInterrupted(signal.reason);
      // The first line: DuckDB appends tuning advice for the operator (`SET threads=...`) after it.
      if (err instanceof Error && QUERY_FAULT.test(err.message)) {
        throw new RecordQueryError(err.message.split('\n')[0] ?? err.message);
      }
      throw err;
    } finally {
      clearInterval(repeat);
      signal?.removeEventListener('abort', onAbort);
      this.#open.delete(conn);
      conn.closeSync();
    }
  }

  expire(store: LogstoreRef, beforeTime: number): Promise<number> {
    return this.#delete(store, beforeTime);
  }

  deleteLogstore(store: LogstoreRef): Promise<number> {
    return this.#delete(store);
  }

  clear(): Promise<void> {
    return this.#serial(async () => {
      await this.writer.run(`DELETE FROM ${RECORD_TABLE}`);
    });
  }

  async committedBatches(batches: readonly string[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (let i = 0; i < batches.length; i += 500) {
      const chunk = batches.slice(i, i + 500);
      const rows = await this.query(
        `SELECT id FROM record_batches WHERE id IN (${chunk.map((_, j) => `$${j + 1}::VARCHAR`).join(', ')})`,
        chunk,
      );
      for (const r of rows) found.add(String(r['id']));
    }
    return found;
  }

  /**
   * The one-time import of an earlier version's records: every chunk, and the note that `source` was
   * imported, in one transaction, so a crash mid-import leaves nothing and the import starts over.
   */
  importAll(source: string, chunks: AsyncIterable<readonly RecordRow[]>): Promise<number> {
    return this.#serial(async () => {
      const c = this.writer;
      const added = new Map<string, number>();
      await c.run('BEGIN TRANSACTION');
      try {
        let n = 0;
        for await (const rows of chunks) {
          await this.#appendKeyed(c, rows, added);
          n += rows.length;
        }
        await c.run('INSERT INTO record_imports VALUES ($1::VARCHAR, $2::BIGINT, $3::BIGINT)', [
          source,
          BigInt(n),
          BigInt(Date.now()),
        ]);
        await c.run('COMMIT');
        this.#keep(added);
        return n;
      } catch (err) {
        await c.run('ROLLBACK').catch(() => undefined);
        throw err;
      }
    });
  }

  /** Records imported from `source`, or undefined if it never was. */
  async imported(source: string): Promise<number | undefined> {
    const rows = await this.query('SELECT records FROM record_imports WHERE source = $1::VARCHAR', [source]);
    return rows.length > 0 ? Number(rows[0]?.['records']) : undefined;
  }

  /** Writes the WAL into the database file now. */
  checkpoint(): Promise<void> {
    return this.#serial(async () => {
      await this.writer.run('CHECKPOINT');
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const conn of this.#open) conn.interrupt();
    await this.#writes.catch(() => undefined);
    try {
      if (this.location !== ':memory:') await this.writer.run('CHECKPOINT');
    } finally {
      this.writer.closeSync();
      this.instance.closeSync();
    }
  }

  /**
   * Appends rows inside the caller's transaction. A logstore seen for the first time gets the next key,
   * its `record_logstores` row written in the same transaction; `added` collects those keys, which
   * #keep makes known once the transaction has committed (a rolled-back key is never handed out).
   */
  async #appendKeyed(
    c: DuckDBConnection,
    rows: readonly RecordRow[],
    added: Map<string, number>,
  ): Promise<void> {
    const keys = new Array<number>(rows.length);
    let prev: RecordRow | undefined;
    let key = 0;
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      if (
        prev === undefined ||
        row.logstore_name !== prev.logstore_name ||
        row.project_name !== prev.project_name ||
        row.region_id !== prev.region_id
      ) {
        const ref = {
          regionId: row.region_id,
          projectName: row.project_name,
          logstoreName: row.logstore_name,
        };
        const id = logstoreId(ref);
        const known = this.#keys.get(id) ?? added.get(id);
        if (known === undefined) {
          key = this.#maxKey() + added.size + 1;
          added.set(id, key);
          await c.run(
            'INSERT INTO record_logstores VALUES ($1::INTEGER, $2::VARCHAR, $3::VARCHAR, $4::VARCHAR)',
            [key, ref.regionId, ref.projectName, ref.logstoreName],
          );
        } else key = known;
        prev = row;
      }
      keys[i] = key;
    }
    await appendSliced(c, rows, keys);
  }

  #maxKey(): number {
    let max = 0;
    for (const k of this.#keys.values()) if (k > max) max = k;
    return max;
  }

  #keep(added: ReadonlyMap<string, number>): void {
    for (const [id, key] of added) this.#keys.set(id, key);
  }

  #delete(store: LogstoreRef, beforeTime?: number): Promise<number> {
    return this.#serial(async () => {
      const key = this.logstoreKey(store);
      // Never appended to: nothing to delete.
      if (key === undefined) return 0;
      const result = await this.writer.run(
        `DELETE FROM ${RECORD_TABLE} WHERE logstore_key = ${key}${beforeTime === undefined ? '' : ` AND time < ${Math.trunc(beforeTime)}`}`,
      );
      return result.rowsChanged;
    });
  }

  /** Writes run one at a time on the write connection, in call order. */
  #serial<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#closed) return Promise.reject(new Error('record store is closed'));
    const next = this.#writes.then(fn, fn);
    this.#writes = next.catch(() => undefined);
    return next;
  }
}

/**
 * Appends rows inside the caller's transaction. Appending runs on the JavaScript thread, and so does
 * the appender's flush into the table (at `flushSync`, or all at once at `closeSync`: about a quarter
 * of the work), so the rows go in slices of about APPEND_SLICE_MS, each flushed, with a turn of the
 * event loop between them. The slice is short because a turn lets the UDP collector read only 32
 * datagrams per socket (libuv's `uv__udp_recvmsg` batch): at 200k flows/s (6,700 datagrams/s) a
 * 2,048-row slice (about 18 ms) let the socket buffer fill during a delivery and flows were lost.
 */
async function appendSliced(
  c: DuckDBConnection,
  rows: readonly RecordRow[],
  keys: readonly number[],
): Promise<void> {
  const appender = await c.createAppender(RECORD_TABLE);
  try {
    let i = 0;
    while (i < rows.length) {
      if (i > 0) await yieldToIo();
      const until = performance.now() + APPEND_SLICE_MS;
      do {
        const to = Math.min(rows.length, i + APPEND_STEP);
        for (; i < to; i++) appendRow(appender, rows[i]!, keys[i]!);
      } while (i < rows.length && performance.now() < until);
      appender.flushSync();
    }
  } finally {
    appender.closeSync();
  }
}

/** One row, column by column; values already of the column's type go in without a conversion. */
function appendRow(a: DuckDBAppender, row: RecordRow, key: number): void {
  for (const [column, kind] of COLUMNS) {
    const v = row[column];
    if (v === null || v === undefined) a.appendNull();
    else if (kind === 'text') a.appendVarchar(typeof v === 'string' ? v : String(v));
    else if (kind === 'int') a.appendInteger(typeof v === 'number' ? v : Number(v));
    else a.appendBigInt(BigInt(v));
  }
  a.appendInteger(key);
  a.endRow();
}

/** Runs `fn` in one transaction on `c`. */
async function inTransaction(c: DuckDBConnection, fn: () => Promise<void>): Promise<void> {
  await c.run('BEGIN TRANSACTION');
  try {
    await fn();
    await c.run('COMMIT');
  } catch (err) {
    await c.run('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

/**
 * Version 1 -> 2, in one transaction: numbers the logstores, and rewrites `log_records` with their keys
 * (in the old row order) into the new table, whose address columns are dictionary-compressed. A crash
 * part way leaves the version-1 file as it was. Returns the records rewritten.
 */
async function upgradeFromV1(c: DuckDBConnection): Promise<number> {
  let records = 0;
  await inTransaction(c, async () => {
    await c.run(LOGSTORES_SQL);
    await c.run(`INSERT INTO record_logstores
      SELECT row_number() OVER (ORDER BY region_id, project_name, logstore_name), region_id, project_name, logstore_name
      FROM (SELECT DISTINCT region_id, project_name, logstore_name FROM ${RECORD_TABLE})`);
    await c.run(`ALTER TABLE ${RECORD_TABLE} RENAME TO log_records_v1`);
    await c.run(recordTableSql(RECORD_TABLE));
    const moved = await c.run(`INSERT INTO ${RECORD_TABLE}
      SELECT r.*, k.key FROM log_records_v1 r
      JOIN record_logstores k USING (region_id, project_name, logstore_name) ORDER BY r.rowid`);
    records = Number(moved.rowsChanged);
    await c.run('DROP TABLE log_records_v1');
    await c.run('UPDATE record_schema SET version = 2');
  });
  return records;
}

/** JS parameter -> DuckDB value: integers that do not fit a double exactly go in as BIGINT. */
function toDuckDb(v: unknown): DuckDBValue {
  if (v === undefined) return null;
  if (typeof v === 'boolean' || typeof v === 'string' || typeof v === 'bigint' || v === null) return v;
  if (typeof v === 'number') return v;
  return String(v);
}

/** DuckDB value -> the JS value SQLite would give: safe integers as numbers, bigint beyond. */
function fromDuckDbRow(row: Record<string, DuckDBValue>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) out[k] = fromDuckDb(v);
  return out;
}

function fromDuckDb(v: DuckDBValue): unknown {
  if (typeof v === 'bigint') {
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  }
  if (v === null || typeof v !== 'object') return v;
  // Other values (timestamps, decimals) print through their own toString, as DuckDB does.
  return v.toString();
}
