/**
 * Moving an earlier version's records (rows of `log_records` in the SQLite file) into DuckDB: once, at
 * open or by `vpcflow migrate`. The copy commits in one DuckDB transaction together with a note in
 * `record_imports`; only then are the SQLite rows deleted. A crash before the commit leaves DuckDB
 * without them (the next start copies again); a crash after it leaves the note, and the next start only
 * finishes deleting the SQLite rows. Records keep their order (SQLite rowid = DuckDB append order).
 */
import type { SqlDb } from '../sql-db.js';
import type { DuckDbRecordStore } from './duckdb-records.js';
import { RECORD_TABLE } from './record-sql.js';
import type { RecordRow } from './record-store.js';

const SOURCE = 'sqlite:log_records';
const CHUNK = 50_000;

export interface ImportResult {
  /** Records moved from SQLite into DuckDB. */
  records: number;
  /** An earlier import had committed; this run only removed the SQLite copies. */
  resumed: boolean;
}

export async function importSqliteRecords(db: SqlDb, duck: DuckDbRecordStore): Promise<ImportResult> {
  const any = await db.get(`SELECT 1 AS x FROM ${RECORD_TABLE} LIMIT 1`);
  if (any === undefined) return { records: 0, resumed: false };
  const done = await duck.imported(SOURCE);
  const records = done ?? (await duck.importAll(SOURCE, sqliteChunks(db)));
  // Deleting every row without a WHERE is SQLite's truncate; VACUUM gives the space back to the disk.
  await db.run(`DELETE FROM ${RECORD_TABLE}`);
  if (db.location !== ':memory:') await db.run('VACUUM');
  return { records, resumed: done !== undefined };
}

async function* sqliteChunks(db: SqlDb): AsyncGenerator<RecordRow[]> {
  let after = -1;
  for (;;) {
    const rows = await db.all<RecordRow & { _rowid: number }>(
      `SELECT rowid AS _rowid, * FROM ${RECORD_TABLE} WHERE rowid > ? ORDER BY rowid LIMIT ${CHUNK}`,
      [after],
    );
    if (rows.length === 0) return;
    after = Number(rows[rows.length - 1]?._rowid);
    yield rows;
  }
}
