/**
 * ClientTokens and the first answer given to each (src/protocol/safe-retries.ts), keyed by account,
 * operation and token. Reads ignore expired rows; each write sweeps them (one indexed range delete).
 */
import type { SqlExecutor } from '../sql-db.js';

export interface ClientTokenKey {
  accountId: string;
  action: string;
  clientToken: string;
}

export interface KeptAnswer {
  fingerprint: string;
  answer: Record<string, unknown>;
}

export class ClientTokenRepo {
  constructor(private readonly db: SqlExecutor) {}

  async find(key: ClientTokenKey, now: number): Promise<KeptAnswer | undefined> {
    const row = await this.db.get<{ fingerprint: string; answer: string }>(
      'SELECT fingerprint, answer FROM client_tokens WHERE account_id = ? AND action = ? AND client_token = ? AND expires_at > ?',
      [key.accountId, key.action, key.clientToken, now],
    );
    if (!row) return undefined;
    return { fingerprint: row.fingerprint, answer: JSON.parse(row.answer) as Record<string, unknown> };
  }

  async keep(key: ClientTokenKey, kept: KeptAnswer, now: number, expiresAt: number): Promise<void> {
    await this.db.run('DELETE FROM client_tokens WHERE expires_at <= ?', [now]);
    await this.db.run(
      `INSERT INTO client_tokens (account_id, action, client_token, fingerprint, answer, created_at, expires_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
      [
        key.accountId,
        key.action,
        key.clientToken,
        kept.fingerprint,
        JSON.stringify(kept.answer),
        now,
        expiresAt,
      ],
    );
  }
}
