/**
 * Records as rows of the control-plane SQLite database (`log_records`, migration 11): the engine of
 * earlier versions, kept for `--record-store sqlite`, for reading a data directory that is being
 * migrated to DuckDB, and as the reference the differential test compares DuckDB against.
 */
import { setImmediate as yieldToIo } from 'node:timers/promises';
import { placeholders, type SqlDb } from '../sql-db.js';
import { RECORD_TABLE } from './record-sql.js';
import {
  QueryInterrupted,
  RECORD_COLUMNS,
  boundRows,
  type BoundedQueryOptions,
  type BoundedRows,
  type LogstoreRef,
  type QueryOptions,
  type RecordRow,
  type RecordStore,
} from './record-store.js';

const INSERT_COLUMNS = RECORD_COLUMNS.map((c) => `"${c}"`).join(', ');
/** Rows per INSERT statement: below SQLite's 32,766 bound-parameter limit. */
const ROWS_PER_STATEMENT = 500;
/** Rows per DELETE statement (TTL sweeps, logstore and project deletion); the event loop runs between. */
const DELETE_CHUNK = 5_000;
/**
 * Batch notes are needed only until the delivery has cleared its journal entry, milliseconds later; they
 * are pruned after a day, every PRUNE_EVERY appends.
 */
export const BATCH_MEMORY_MS = 86_400_000;
export const PRUNE_EVERY = 1_000;

export class SqliteRecordStore implements RecordStore {
  readonly dialect = 'sqlite' as const;
  #appends = 0;

  constructor(private readonly db: SqlDb) {}

  get location(): string {
    return this.db.location;
  }

  /** One transaction per batch: one commit (WAL, durable against a process crash) for all its rows. */
  async append(rows: readonly RecordRow[], batch?: string): Promise<void> {
    if (rows.length === 0 && batch === undefined) return;
    const now = Date.now();
    const prune = ++this.#appends % PRUNE_EVERY === 0;
    await this.db.transaction(async (tx) => {
      if (batch !== undefined) {
        await tx.run('INSERT INTO record_batches (id, committed_at) VALUES (?, ?)', [batch, now]);
      }
      if (prune) await tx.run('DELETE FROM record_batches WHERE committed_at < ?', [now - BATCH_MEMORY_MS]);
      for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
        const chunk = rows.slice(i, i + ROWS_PER_STATEMENT);
        const values = chunk.map(() => `(${placeholders(RECORD_COLUMNS.length)})`).join(', ');
        const params: unknown[] = [];
        for (const row of chunk) for (const c of RECORD_COLUMNS) params.push(row[c]);
        await tx.run(`INSERT INTO ${RECORD_TABLE} (${INSERT_COLUMNS}) VALUES ${values}`, params);
      }
    });
  }

  async committedBatches(batches: readonly string[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (let i = 0; i < batches.length; i += 500) {
      const chunk = batches.slice(i, i + 500);
      const rows = await this.db.all<{ id: string }>(
        `SELECT id FROM record_batches WHERE id IN (${placeholders(chunk.length)})`,
        chunk,
      );
      for (const r of rows) found.add(r.id);
    }
    return found;
  }

  /**
   * better-sqlite3 runs a statement synchronously on the JavaScript thread, so it cannot be interrupted
   * once started; an abort before it starts is honoured.
   */
  async query(
    sql: string,
    params: readonly unknown[],
    opts: QueryOptions = {},
  ): Promise<Record<string, unknown>[]> {
    if (opts.signal?.aborted) throw new QueryInterrupted(opts.signal.reason);
    return this.db.all(sql, params);
  }

  /**
   * better-sqlite3 hands back every row at once, so the bounds apply after the statement (the rows of
   * an analytic statement are limited by its LIMIT, 100 by default); DuckDB streams instead.
   */
  async queryBounded(
    sql: string,
    params: readonly unknown[],
    opts: BoundedQueryOptions,
  ): Promise<BoundedRows> {
    return boundRows(await this.query(sql, params, opts), opts);
  }

  /** In chunks, each its own statement, with the event loop running in between (see `deleteChunked`). */
  async expire(store: LogstoreRef, beforeTime: number): Promise<number> {
    return this.deleteChunked('region_id = ? AND project_name = ? AND logstore_name = ? AND time < ?', [
      store.regionId,
      store.projectName,
      store.logstoreName,
      beforeTime,
    ]);
  }

  async deleteLogstore(store: LogstoreRef): Promise<number> {
    return this.deleteChunked('region_id = ? AND project_name = ? AND logstore_name = ?', [
      store.regionId,
      store.projectName,
      store.logstoreName,
    ]);
  }

  /** Reset empties log_records inside its own transaction (src/store/world-reset.ts). */
  async clear(): Promise<void> {}

  /** The SQLite database is the control plane's; its owner closes it. */
  async close(): Promise<void> {}

  /**
   * Deletes the records matching `where` DELETE_CHUNK at a time, each chunk its own statement, yielding
   * to the event loop between chunks: better-sqlite3 is synchronous, so one DELETE of millions of rows
   * would stall the collector and the API for seconds.
   */
  private async deleteChunked(where: string, params: readonly unknown[]): Promise<number> {
    const sql = `DELETE FROM ${RECORD_TABLE} WHERE rowid IN (SELECT rowid FROM ${RECORD_TABLE} WHERE ${where} LIMIT ${DELETE_CHUNK})`;
    let deleted = 0;
    for (;;) {
      const { changes } = await this.db.run(sql, params);
      deleted += changes;
      if (changes < DELETE_CHUNK) return deleted;
      await yieldToIo();
    }
  }
}
