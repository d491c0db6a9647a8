/**
 * Background leases (migration 22): which node runs one kind of background work (TTL sweeping, the
 * NODATA / SKIPDATA pass) when several nodes share a PostgreSQL database. A lease is a row with a holder
 * and an expiry; the holder renews it well before it expires, and any node may take it once it has
 * expired, so a node that dies (kill -9, lost network) is replaced within one lease time. A row, not a
 * session-level advisory lock: a lock lives as long as its connection, and the server may keep a dead
 * peer's connection open for as long as TCP keepalive takes to notice, while an expiry is bounded.
 *
 * Expiry uses the database server's clock, so nodes whose clocks disagree still agree on who holds it.
 * Only used on PostgreSQL (a single SQLite process is always the one node, src/cluster/leadership.ts).
 */
import type { SqlExecutor } from '../sql-db.js';

/** The database's own clock in Unix ms: one clock for every node. */
const DB_NOW_MS = '(EXTRACT(EPOCH FROM clock_timestamp()) * 1000)::BIGINT';

export class LeaseRepo {
  constructor(private readonly db: SqlExecutor) {}

  /**
   * Takes the lease `name` for `holder` until `ttlMs` from now, or extends it when `holder` already
   * holds it. True when `holder` holds it now. One statement: of nodes racing for an expired lease,
   * exactly one wins (the upsert locks the row and checks the condition again on the locked row).
   */
  async acquire(name: string, holder: string, ttlMs: number): Promise<boolean> {
    const row = await this.db.get<{ holder: string }>(
      `INSERT INTO background_leases (name, holder, expires_at) VALUES (?, ?, ${DB_NOW_MS} + ?)
       ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
       WHERE background_leases.holder = excluded.holder OR background_leases.expires_at < ${DB_NOW_MS}
       RETURNING holder`,
      [name, holder, ttlMs],
    );
    return row?.holder === holder;
  }

  /** Gives the lease up (a clean stop), so another node takes over at its next attempt. */
  async release(name: string, holder: string): Promise<void> {
    await this.db.run('DELETE FROM background_leases WHERE name = ? AND holder = ?', [name, holder]);
  }

  /** Who holds the lease now, if anyone (tests, the health endpoint). */
  async holder(name: string): Promise<string | undefined> {
    const row = await this.db.get<{ holder: string }>(
      `SELECT holder FROM background_leases WHERE name = ? AND expires_at >= ${DB_NOW_MS}`,
      [name],
    );
    return row?.holder;
  }
}
