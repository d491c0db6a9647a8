/**
 * Flow-log records in logstores. Writes come in batches from the data plane; reads run the SQL the
 * SLS query compiler produces over `recordSource(...)`, the logstore's rows in a time range.
 */
import type { SqlExecutor } from '../sql-db.js';
import { placeholders } from './tag-repo.js';

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

  /** Deletes a logstore's records older than `beforeTime` (Unix seconds): the logstore TTL. */
  async expire(store: LogstoreRef, beforeTime: number): Promise<number> {
    const res = await this.db.run(
      'DELETE FROM log_records WHERE region_id = ? AND project_name = ? AND logstore_name = ? AND time < ?',
      [store.regionId, store.projectName, store.logstoreName, beforeTime],
    );
    return res.changes;
  }

  /** Deletes every record of a logstore (when the logstore or its project is deleted). */
  async deleteLogstore(store: LogstoreRef): Promise<void> {
    await this.db.run(
      'DELETE FROM log_records WHERE region_id = ? AND project_name = ? AND logstore_name = ?',
      [store.regionId, store.projectName, store.logstoreName],
    );
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
