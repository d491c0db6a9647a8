/**
 * Where flow-log records live: a narrow interface every record engine implements (DuckDB, the default;
 * the SQLite rows of earlier versions; PostgreSQL, shared by every node of a `--database-url`). Records are append-only, read
 * by SQL the SLS query compiler produces for the engine's dialect (see record-sql.ts), and deleted by
 * logstore or by age (TTL). The control plane stays in the SQLite `SqlDb`; records are not part of its
 * transactions.
 */
import { availableParallelism } from 'node:os';

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

export interface LogstoreRef {
  regionId: string;
  projectName: string;
  logstoreName: string;
}

/** Where records live on one node: DuckDB (default), or the SQLite rows of earlier versions. */
export type RecordEngine = 'duckdb' | 'sqlite';

/** Every record store: the embedded engines, or PostgreSQL (the default with `--database-url`, shared). */
export type RecordStoreKind = RecordEngine | 'postgres';

/** DuckDB `memory_limit` by default. */
export const DEFAULT_RECORDS_MEMORY_LIMIT = '1GB';

/** DuckDB threads by default: leave one core to the event loop (collector, API), at least one. */
export function defaultRecordsThreads(): number {
  return Math.max(1, availableParallelism() - 1);
}

/** SQL dialect of a record engine, for the query compiler and record-sql.ts. */
export type RecordDialect = 'sqlite' | 'duckdb' | 'postgres';

export interface QueryOptions {
  /**
   * Aborting interrupts the running statement (DuckDB: `connection.interrupt()`); the query then
   * rejects with `QueryInterrupted`. The tenant-safety time budget aborts through this.
   */
  signal?: AbortSignal;
}

/** A read that must not hold more than this many rows or (estimated) bytes of one answer. */
export interface BoundedQueryOptions extends QueryOptions {
  maxRows: number;
  maxBytes: number;
}

/** Rows of a bounded read; `truncated` when the statement had more than fitted the bounds. */
export interface BoundedRows {
  rows: Record<string, unknown>[];
  truncated: boolean;
}

/**
 * Bytes a row takes in a JSON answer, estimated from its keys and values (strings by length, other
 * values by their decimal text): what a bounded read counts against its byte budget.
 */
export function estimateRowBytes(row: Record<string, unknown>): number {
  let bytes = 2;
  for (const [k, v] of Object.entries(row)) {
    bytes += k.length + 6;
    if (typeof v === 'string') bytes += v.length;
    else if (v !== null && v !== undefined) bytes += String(v).length;
  }
  return bytes;
}

/** Keeps rows while they fit `maxRows` / `maxBytes`; for engines that hand back all rows at once. */
export function boundRows(all: Record<string, unknown>[], opts: BoundedQueryOptions): BoundedRows {
  let bytes = 0;
  for (let i = 0; i < all.length; i++) {
    bytes += estimateRowBytes(all[i]!);
    if (i >= opts.maxRows || bytes > opts.maxBytes) return { rows: all.slice(0, i), truncated: true };
  }
  return { rows: all, truncated: false };
}

/** A query stopped by its abort signal before it finished. */
export class QueryInterrupted extends Error {
  override readonly name = 'QueryInterrupted';
  constructor(readonly reason: unknown) {
    super('query interrupted');
  }
}

/** A statement the engine refused for what it asks (bad column, type, overflow): the query's fault. */
export class RecordQueryError extends Error {
  override readonly name = 'RecordQueryError';
}

export interface RecordStore {
  readonly dialect: RecordDialect;
  /** Where the records live, for logs and the health endpoint. */
  readonly location: string;
  /**
   * Appends a batch in one commit: when the promise resolves the records are durable (they survive a
   * `kill -9`); when it rejects none of them were stored. `batch`, when given, is noted in the same
   * commit, so that after a crash `committedBatches` tells whether the batch landed.
   */
  append(rows: readonly RecordRow[], batch?: string): Promise<void>;
  /** Which of these batch ids an `append` committed (crash recovery; recent batches only, see engines). */
  committedBatches(batches: readonly string[]): Promise<Set<string>>;
  /**
   * Runs one read-only statement (compiled by src/products/sls/query for `dialect`, or built by
   * record-sql.ts) off the JavaScript thread where the engine allows it. Integers come back as JS
   * numbers when they are safe integers, as bigint otherwise.
   */
  query(sql: string, params: readonly unknown[], opts?: QueryOptions): Promise<Record<string, unknown>[]>;
  /**
   * As `query`, but stops materialising rows once `maxRows` rows or `maxBytes` (estimated JSON bytes)
   * are held, so that one request never holds more than its budget (GetLogs' bounded answers).
   */
  queryBounded(sql: string, params: readonly unknown[], opts: BoundedQueryOptions): Promise<BoundedRows>;
  /**
   * The number an engine files a logstore's records under, for the base filter (record-sql.ts);
   * undefined where the engine has none (it filters by names) or the logstore has no records yet.
   */
  logstoreKey?(store: LogstoreRef): number | undefined;
  /** Deletes a logstore's records older than `beforeTime` (Unix seconds): the logstore TTL. */
  expire(store: LogstoreRef, beforeTime: number): Promise<number>;
  /**
   * One retention pass over every logstore with a TTL, where an engine can do better than one `expire`
   * per logstore (PostgreSQL drops a day whose every logstore allows it). Logstores not listed keep
   * their records.
   */
  expireAll?(cutoffs: readonly { store: LogstoreRef; beforeTime: number }[]): Promise<number>;
  /** Deletes every record of a logstore (the logstore or its project was deleted). */
  deleteLogstore(store: LogstoreRef): Promise<number>;
  /** Deletes every record of every logstore (POST /_vpcflow/reset). */
  clear(): Promise<void>;
  close(): Promise<void>;
}

/** What a read selects besides the logstore: the time range `[from, to)` and optional narrowing. */
export interface RecordFilter {
  /** Unix seconds, inclusive. */
  from: number;
  /** Unix seconds, exclusive. */
  to: number;
  /**
   * The record's ENI is one of these (exact, lower-case IDs as stored). Redundant with a search condition
   * `eni-id: X` the caller also applies, but sargable, so an index (or zone map) serves the query.
   */
  eniIds?: readonly string[];
  /** `__topic__` equals this (GetLogs `topic`); absent or empty = any topic. */
  topic?: string;
}
