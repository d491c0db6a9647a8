/**
 * Applies schema migrations in version order, each in its own transaction, and records them in
 * `schema_migrations`. A database written by a newer vpcflow (a higher version than we know) is refused
 * rather than silently misread. On PostgreSQL the caller holds an advisory lock meanwhile, so nodes
 * starting together migrate once (postgres-db.ts).
 */
import type { Migration, SqlDb } from './sql-db.js';

export async function runMigrations(db: SqlDb, migrations: Migration[]): Promise<void> {
  await db.run(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)',
  );
  const rows = await db.all<{ version: number }>('SELECT version FROM schema_migrations');
  const applied = new Set(rows.map((r) => Number(r.version)));
  const known = Math.max(0, ...migrations.map((m) => m.version));
  const newest = Math.max(0, ...applied);
  if (newest > known) {
    throw new Error(`database schema version ${newest} is newer than this vpcflow supports (${known})`);
  }
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (applied.has(m.version)) continue;
    await db.transaction(async (tx) => {
      const own = db.dialect.name === 'postgres' ? (m.postgres ?? []) : [];
      for (const statement of [...m.statements, ...own]) await tx.run(statement);
      await tx.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [
        m.version,
        m.name,
        Date.now(),
      ]);
    });
  }
}
