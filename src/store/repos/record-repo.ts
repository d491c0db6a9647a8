/**
 * Flow-log records in logstores. Writes come in batches from the data plane; reads run the SQL the
 * SLS query compiler produces over `recordSource(...)`, the logstore's rows in a time range.
 */
import { setImmediate as yieldToIo } from 'node:timers/promises';
import { placeholders, type SqlExecutor } from '../sql-db.js';

/** The typed columns of one record, as stored. */
export interface RecordRow {
  region_id: string;
  project_name: string;
  logstore_name: string;
  flow_log_id: string;
  /** `__time__`, Unix seconds. */
  time: number;
  topic: string;
  source: string;
  version: number;
  vswitch_id: string;
  vm_id: string;
  vpc_id: string;
  account_id: string;
  eni_id: string;
  region: string;
  srcaddr: string | null;
  srcport: number | null;
  dstaddr: string | null;
  dstport: number | null;
  protocol: number | null;
  direction: string | null;
  packets: number | null;
  bytes: number | null;
  start: number;
  end: number;
  log_status: string;
  action: string | null;
  tcp_flags: number | null;
}

export const RECORD_COLUMNS = [
  'region_id',
  'project_name',
  'logstore_name',
  'flow_log_id',
  'time',
  'topic',
  'source',
  'version',
  'vswitch_id',
  'vm_id',
  'vpc_id',
  'account_id',
  'eni_id',
  'region',
  'srcaddr',
  'srcport',
  'dstaddr',
  'dstport',
  'protocol',
  'direction',
  'packets',
  'bytes',
  'start',
  'end',
  'log_status',
  'action',
  'tcp_flags',
] as const satisfies readonly (keyof RecordRow)[];

const INSERT_COLUMNS = RECORD_COLUMNS.map((c) => `"${c}"`).join(', ');
/** Rows per INSERT statement: below SQLite's 32,766 bound-parameter limit. */
const ROWS_PER_STATEMENT = 500;
/** Rows per DELETE statement (TTL sweeps, logstore and project deletion); the event loop runs between. */
const DELETE_CHUNK = 5_000;

export interface LogstoreRef {
  regionId: string;
  projectName: string;
  logstoreName: string;
}

export class RecordRepo {
  constructor(private readonly db: SqlExecutor) {}

  /** Inserts records; call inside a transaction for one commit per batch. */
  async insertBatch(rows: readonly RecordRow[]): Promise<void> {
    for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
      const chunk = rows.slice(i, i + ROWS_PER_STATEMENT);
      const values = chunk.map(() => `(${placeholders(RECORD_COLUMNS.length)})`).join(', ');
      const params: unknown[] = [];
      for (const row of chunk) for (const c of RECORD_COLUMNS) params.push(row[c]);
      await this.db.run(`INSERT INTO log_records (${INSERT_COLUMNS}) VALUES ${values}`, params);
    }
  }

  /** Runs compiled query SQL (from src/products/sls/query) and returns its rows. */
  async query(sql: string, params: readonly unknown[]): Promise<Record<string, unknown>[]> {
    return this.db.all(sql, params);
  }

  /**
   * Deletes a logstore's records older than `beforeTime` (Unix seconds): the logstore TTL. In chunks, each
   * its own statement, with the event loop running in between (see `deleteChunked`).
   */
  async expire(store: LogstoreRef, beforeTime: number): Promise<number> {
    return this.deleteChunked('region_id = ? AND project_name = ? AND logstore_name = ? AND time < ?', [
      store.regionId,
      store.projectName,
      store.logstoreName,
      beforeTime,
    ]);
  }

  /**
   * One page of search results: the logstore's records matching `filter` and the compiled search
   * condition `where` (bare record columns, `?` placeholders), in time order (`reverse`: newest first).
   * `rowid` breaks ties so that paging with `offset` never repeats or skips a record; SQLite keeps index
   * entries in rowid order within equal keys, so the order still comes straight from an index.
   */
  async search(
    store: LogstoreRef,
    filter: RecordFilter,
    where: { sql: string; params: readonly unknown[] },
    page: { offset: number; limit: number; reverse: boolean },
  ): Promise<Record<string, unknown>[]> {
    const base = recordFilter(store, filter);
    const dir = page.reverse ? 'DESC' : 'ASC';
    // With an ENI filter, SQLite (no statistics) still walks `log_records_time` to avoid a sort and reads
    // every record of the hour; `+` makes the ORDER BY terms non-indexable so `log_records_eni` seeks the
    // few records of that ENI and sorts them (0.8 ms instead of 20-50 ms over 2 M records).
    const order = filter.eniIds?.length ? `+time ${dir}, +rowid ${dir}` : `time ${dir}, rowid ${dir}`;
    return this.db.all(
      `SELECT * FROM log_records WHERE ${base.sql} AND (${where.sql}) ORDER BY ${order} LIMIT ? OFFSET ?`,
      [...base.params, ...where.params, page.limit, page.offset],
    );
  }

  /**
   * Deletes every record of a logstore (when the logstore or its project is deleted), in chunks like
   * `expire`. Returns the number of records deleted.
   */
  async deleteLogstore(store: LogstoreRef): Promise<number> {
    return this.deleteChunked('region_id = ? AND project_name = ? AND logstore_name = ?', [
      store.regionId,
      store.projectName,
      store.logstoreName,
    ]);
  }

  /**
   * Deletes the records matching `where` DELETE_CHUNK at a time, each chunk its own statement, yielding
   * to the event loop between chunks: better-sqlite3 is synchronous, so one DELETE of millions of rows
   * would stall the collector and the API for seconds. (Called outside a transaction, each chunk commits
   * on its own.) `rowid` is SQLite's; the PostgreSQL record store will use `ctid` or a key column.
   */
  private async deleteChunked(where: string, params: readonly unknown[]): Promise<number> {
    const sql = `DELETE FROM log_records WHERE rowid IN (SELECT rowid FROM log_records WHERE ${where} LIMIT ${DELETE_CHUNK})`;
    let deleted = 0;
    for (;;) {
      const { changes } = await this.db.run(sql, params);
      deleted += changes;
      if (changes < DELETE_CHUNK) return deleted;
      await yieldToIo();
    }
  }
}

/**
 * The `source` subquery for the query compiler: the logstore's records with `from <= time < to`.
 * Its parameters use `?` (SQLite) placeholders.
 */
export function recordSource(
  store: LogstoreRef,
  from: number,
  to: number,
): { source: string; params: unknown[] } {
  return {
    source:
      '(SELECT * FROM log_records WHERE region_id = ? AND project_name = ? AND logstore_name = ? AND time >= ? AND time < ?)',
    params: [store.regionId, store.projectName, store.logstoreName, from, to],
  };
}

/** What a read selects besides the logstore: the time range `[from, to)` and optional narrowing. */
export interface RecordFilter {
  /** Unix seconds, inclusive. */
  from: number;
  /** Unix seconds, exclusive. */
  to: number;
  /**
   * The record's ENI is one of these (exact, lower-case IDs as stored). Redundant with a search condition
   * `eni-id: X` the caller also applies, but sargable, so the `log_records_eni` index serves the query.
   */
  eniIds?: readonly string[];
  /** `__topic__` equals this (GetLogs `topic`); absent or empty = any topic. */
  topic?: string;
}

/** The base condition of a read, over the bare `log_records` columns, with `?` placeholders. */
export function recordFilter(store: LogstoreRef, filter: RecordFilter): { sql: string; params: unknown[] } {
  let sql = 'region_id = ? AND project_name = ? AND logstore_name = ? AND time >= ? AND time < ?';
  const params: unknown[] = [store.regionId, store.projectName, store.logstoreName, filter.from, filter.to];
  if (filter.eniIds && filter.eniIds.length > 0) {
    sql += ` AND eni_id IN (${placeholders(filter.eniIds.length)})`;
    params.push(...filter.eniIds);
  }
  if (filter.topic) {
    sql += ' AND topic = ?';
    params.push(filter.topic);
  }
  return { sql, params };
}

/** `recordSource` with the narrowing of a `RecordFilter`: the source subquery for analytic queries. */
export function filteredRecordSource(
  store: LogstoreRef,
  filter: RecordFilter,
): { source: string; params: unknown[] } {
  const base = recordFilter(store, filter);
  return { source: `(SELECT * FROM log_records WHERE ${base.sql})`, params: base.params };
}
