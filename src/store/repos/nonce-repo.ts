/**
 * Signature nonces shared by every node (migration 21): one row per (AccessKey, nonce) until it
 * expires. The primary key makes the check atomic across nodes: of two requests with one nonce, on
 * any nodes, exactly one inserts the row.
 */
import type { SqlExecutor } from '../sql-db.js';

export class NonceRepo {
  constructor(private readonly db: SqlExecutor) {}

  /** Remembers the nonce until `untilMs`; false if a live row (expires after `nowMs`) already has it. */
  async remember(accessKeyId: string, nonce: string, nowMs: number, untilMs: number): Promise<boolean> {
    // An expired row is taken over in place, so a sweep that has not run yet never refuses a nonce.
    const res = await this.db.run(
      `INSERT INTO signature_nonces (access_key_id, nonce, expires_at) VALUES (?, ?, ?)
       ON CONFLICT (access_key_id, nonce) DO UPDATE SET expires_at = excluded.expires_at
       WHERE signature_nonces.expires_at <= ?`,
      [accessKeyId, nonce, untilMs, nowMs],
    );
    return res.changes === 1;
  }

  /** Whether the nonce is remembered and has not expired at `nowMs`. */
  async isLive(accessKeyId: string, nonce: string, nowMs: number): Promise<boolean> {
    const row = await this.db.get(
      'SELECT 1 AS live FROM signature_nonces WHERE access_key_id = ? AND nonce = ? AND expires_at > ?',
      [accessKeyId, nonce, nowMs],
    );
    return row !== undefined;
  }

  /**
   * Live nonces of one key, counted up to `limit` (the quota: the scan stops there), and the earliest
   * expiry among those counted.
   */
  async liveCount(
    accessKeyId: string,
    nowMs: number,
    limit: number,
  ): Promise<{ count: number; oldest: number | undefined }> {
    const row = await this.db.get<{ n: number | string; oldest: number | string | null }>(
      `SELECT COUNT(*) AS n, MIN(expires_at) AS oldest FROM (
         SELECT expires_at FROM signature_nonces WHERE access_key_id = ? AND expires_at > ?
         ORDER BY expires_at LIMIT ?
       ) live`,
      [accessKeyId, nowMs, limit],
    );
    return {
      count: Number(row?.n ?? 0),
      oldest: row?.oldest === null || row?.oldest === undefined ? undefined : Number(row.oldest),
    };
  }

  /** Deletes expired nonces; returns how many. */
  async sweep(nowMs: number): Promise<number> {
    return (await this.db.run('DELETE FROM signature_nonces WHERE expires_at <= ?', [nowMs])).changes;
  }
}
