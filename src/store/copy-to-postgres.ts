/**
 * `vpcflow migrate --to postgres://...`: copies a SQLite data directory into an empty PostgreSQL
 * database, so nodes started with `--database-url` carry on with its accounts, network, flow logs, tags
 * and (where the record store is shared) records.
 *
 * - The target gets the schema first (the ordinary migrations, each committed on its own); then the
 *   copy checks that every table the copy writes is empty, and refuses otherwise: nothing is merged.
 * - Records go first, through the stores' own interfaces (source `records` read in rowid order, the
 *   target's `records.append`); a failure deletes what was appended. Then every control-plane table
 *   in one transaction, parents before children (foreign keys), each table's row count checked
 *   against the source before the commit, then ANALYZE. A failure at any step leaves the target as
 *   empty as it was, so the command can simply run again.
 * - Secrets are copied as stored: sealed with the data directory's key (secret.key or
 *   VPCFLOW_SECRET_KEY), which every node on the database must then use.
 */
import type { SqlDb, SqlExecutor } from './sql-db.js';
import { RECORD_TABLE } from './records/record-sql.js';
import { RECORD_COLUMNS, type RecordRow } from './records/record-store.js';
import type { Store } from './store.js';

/**
 * Tables not copied: the schema's own bookkeeping (the target has its own), the record tables (records
 * go through the record stores), and what belongs to running nodes (leases, window marks, nonces,
 * PostgreSQL's change counters).
 */
const NOT_COPIED = new Set([
  'schema_migrations',
  RECORD_TABLE,
  'record_batches',
  'record_journal',
  'background_leases',
  'window_marks',
  'signature_nonces',
  'data_changes',
]);

/** Rows per read and per multi-row INSERT. */
const CHUNK = 500;
const RECORD_CHUNK = 20_000;

export interface CopyResult {
  /** Rows copied per control-plane table (also those with none). */
  tables: Record<string, number>;
  /** Records copied; undefined when the target keeps records per node (nothing to copy into). */
  records: number | undefined;
}

export class TargetNotEmptyError extends Error {
  override readonly name = 'TargetNotEmptyError';
}

export class CopyMismatchError extends Error {
  override readonly name = 'CopyMismatchError';
}

/** The source's tables, oldest first (sqlite_master keeps creation order). */
async function sqliteTables(db: SqlExecutor): Promise<string[]> {
  const rows = await db.all<{ name: string }>(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY rowid",
  );
  return rows.map((r) => r.name);
}

/** The target's tables (current schema) and, per table, the tables its foreign keys point to. */
async function postgresTables(db: SqlExecutor): Promise<Map<string, Set<string>>> {
  const tables = await db.all<{ name: string }>(
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
  );
  const refs = await db.all<{ child: string; parent: string }>(
    `SELECT c.conrelid::regclass::text AS child, c.confrelid::regclass::text AS parent
     FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
     WHERE c.contype = 'f' AND n.nspname = current_schema()`,
  );
  const out = new Map<string, Set<string>>(tables.map((t) => [t.name, new Set<string>()]));
  for (const r of refs) out.get(r.child)?.add(r.parent);
  return out;
}

/** `tables` ordered so that every table comes after the tables its foreign keys point to. */
function parentsFirst(tables: readonly string[], parents: Map<string, Set<string>>): string[] {
  const done = new Set<string>();
  const out: string[] = [];
  const visit = (t: string, path: Set<string>): void => {
    if (done.has(t) || path.has(t)) return;
    path.add(t);
    for (const p of parents.get(t) ?? []) if (tables.includes(p)) visit(p, path);
    done.add(t);
    out.push(t);
  };
  for (const t of tables) visit(t, new Set());
  return out;
}

async function count(db: SqlExecutor, table: string): Promise<number> {
  const row = await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${quote(table)}`);
  return Number(row?.n ?? 0);
}

function quote(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Whether the target's record store is one every node shares (then records are copied into it). */
export function recordsShared(store: Store): boolean {
  return store.records.dialect === 'postgres';
}

async function recordCount(store: Store): Promise<number> {
  const [row] = await store.records.query(`SELECT COUNT(*) AS n FROM ${RECORD_TABLE}`, []);
  return Number(row?.['n'] ?? 0);
}

/**
 * The tables the copy writes and their source row counts; throws TargetNotEmptyError when the target
 * holds rows in any of them, or records.
 */
async function plan(
  source: Store,
  target: Store,
): Promise<{ tables: string[]; counts: Map<string, number> }> {
  const targetTables = await postgresTables(target.db);
  const sourceTables = (await sqliteTables(source.db)).filter((t) => !NOT_COPIED.has(t));
  const missing = sourceTables.filter((t) => !targetTables.has(t));
  if (missing.length > 0) {
    throw new Error(`the target database has no table ${missing.join(', ')}: is it a vpcflow database?`);
  }
  const occupied: string[] = [];
  for (const t of sourceTables) {
    const n = await count(target.db, t);
    if (n > 0) occupied.push(`${t} (${n} ${n === 1 ? 'row' : 'rows'})`);
  }
  if (recordsShared(target)) {
    const n = await recordCount(target);
    if (n > 0) occupied.push(`records (${n})`);
  }
  if (occupied.length > 0) {
    throw new TargetNotEmptyError(
      `the target database is not empty: ${occupied.join(', ')}. migrate --to copies into an empty database only (create a new one, or drop this one's tables)`,
    );
  }
  const counts = new Map<string, number>();
  for (const t of sourceTables) counts.set(t, await count(source.db, t));
  return { tables: parentsFirst(sourceTables, targetTables), counts };
}

async function copyTable(source: SqlDb, tx: SqlExecutor, table: string): Promise<void> {
  // rowid order is stable and indexed; tables are read a chunk at a time.
  let after = -Infinity;
  for (;;) {
    const rows = await source.all<Record<string, unknown> & { _rowid: number }>(
      `SELECT rowid AS _rowid, * FROM ${quote(table)} WHERE rowid > ? ORDER BY rowid LIMIT ${CHUNK}`,
      [after === -Infinity ? -1 : after],
    );
    if (rows.length === 0) return;
    after = rows[rows.length - 1]!._rowid;
    const columns = Object.keys(rows[0]!).filter((c) => c !== '_rowid');
    const values = rows.map(() => `(${columns.map(() => '?').join(', ')})`).join(', ');
    await tx.run(
      `INSERT INTO ${quote(table)} (${columns.map(quote).join(', ')}) VALUES ${values}`,
      rows.flatMap((r) => columns.map((c) => r[c])),
    );
  }
}

async function copyRecords(source: Store, target: Store): Promise<number> {
  let after = -1;
  let copied = 0;
  const cols = RECORD_COLUMNS.map(quote).join(', ');
  for (;;) {
    const rows = await source.records.query(
      `SELECT rowid AS _rowid, ${cols} FROM ${RECORD_TABLE} WHERE rowid > ? ORDER BY rowid LIMIT ${RECORD_CHUNK}`,
      [after],
    );
    if (rows.length === 0) return copied;
    after = Number(rows[rows.length - 1]!['_rowid']);
    const batch = rows.map((r) => {
      const row = {} as Record<string, unknown>;
      for (const c of RECORD_COLUMNS) row[c] = typeof r[c] === 'bigint' ? Number(r[c]) : r[c];
      return row as unknown as RecordRow;
    });
    await target.records.append(batch);
    copied += batch.length;
  }
}

/**
 * Copies `source` (a SQLite store) into `target` (an empty PostgreSQL store, migrated). On any failure
 * the target is left without the copied rows and records, and the error is thrown.
 */
export async function copyToPostgres(source: Store, target: Store): Promise<CopyResult> {
  if (source.kind !== 'sqlite' || target.kind !== 'postgres') {
    throw new Error('migrate --to copies a SQLite data directory into PostgreSQL');
  }
  const { tables, counts } = await plan(source, target);
  let records: number | undefined;
  if (recordsShared(target)) {
    try {
      records = await copyRecords(source, target);
      const want = await recordCount(source);
      const got = await recordCount(target);
      if (got !== want) throw new CopyMismatchError(`records: ${want} in the source, ${got} copied`);
    } catch (err) {
      await target.records.clear().catch(() => undefined);
      throw err;
    }
  }
  try {
    await target.db.transaction(async (tx) => {
      for (const t of tables) {
        await copyTable(source.db, tx, t);
        const got = await count(tx, t);
        if (got !== counts.get(t)) {
          throw new CopyMismatchError(`${t}: ${counts.get(t)} rows in the source, ${got} copied`);
        }
      }
    });
  } catch (err) {
    if (records !== undefined) await target.records.clear().catch(() => undefined);
    throw err;
  }
  // Planner statistics now, not at autovacuum's next round: the first requests on the new database
  // would otherwise be planned as if its tables were empty (as after a pg_restore).
  await target.db.run('ANALYZE');
  return { tables: Object.fromEntries(tables.map((t) => [t, counts.get(t) ?? 0])), records };
}
