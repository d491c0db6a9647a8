/** Accounts, AccessKeys and resource groups. */
import type { SqlExecutor } from '../sql-db.js';

export interface AccessKeyRow {
  access_key_id: string;
  account_id: string;
  secret: string;
  status: 'Active' | 'Inactive';
  principal_type: 'account' | 'ram-user' | 'assumed-role';
  /** The RAM user owning the key; null for the account's own keys. */
  user_id?: string | null;
}

export interface UserAccessKeyRow {
  access_key_id: string;
  status: 'Active' | 'Inactive';
  created_at: number;
}

export interface ResourceGroupRow {
  account_id: string;
  resource_group_id: string;
  name: string;
  display_name: string;
  is_default: number;
  created_at: number;
}

export class IdentityRepo {
  constructor(private readonly db: SqlExecutor) {}

  async ensureAccount(accountId: string, now: number): Promise<void> {
    await this.db.run(
      'INSERT INTO accounts (account_id, created_at) VALUES (?, ?) ON CONFLICT (account_id) DO NOTHING',
      [accountId, now],
    );
  }

  async accountExists(accountId: string): Promise<boolean> {
    return (await this.db.get('SELECT 1 AS x FROM accounts WHERE account_id = ?', [accountId])) !== undefined;
  }

  /** Creates or replaces an AccessKey (the bootstrap key follows the configured secret). */
  async putAccessKey(key: AccessKeyRow, now: number, isBootstrap = false): Promise<void> {
    await this.db.run(
      `INSERT INTO access_keys (access_key_id, account_id, secret, status, principal_type, created_at, is_bootstrap, user_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (access_key_id) DO UPDATE SET account_id = excluded.account_id, secret = excluded.secret,
         status = excluded.status, principal_type = excluded.principal_type, is_bootstrap = excluded.is_bootstrap,
         user_id = excluded.user_id`,
      [
        key.access_key_id,
        key.account_id,
        key.secret,
        key.status,
        key.principal_type,
        now,
        isBootstrap ? 1 : 0,
        key.user_id ?? null,
      ],
    );
  }

  /** Removes bootstrap keys other than `keep`: the configured key replaces the previous one. */
  async retireBootstrapKeys(keep: string): Promise<number> {
    const res = await this.db.run('DELETE FROM access_keys WHERE is_bootstrap = 1 AND access_key_id <> ?', [
      keep,
    ]);
    return res.changes;
  }

  async getAccessKey(accessKeyId: string): Promise<AccessKeyRow | undefined> {
    return this.db.get<AccessKeyRow>(
      'SELECT access_key_id, account_id, secret, status, principal_type, user_id FROM access_keys WHERE access_key_id = ?',
      [accessKeyId],
    );
  }

  /** Keys whose secret is not sealed yet (`enc:` prefix, see SecretBox). */
  plainSecretKeys(): Promise<AccessKeyRow[]> {
    return this.db.all<AccessKeyRow>(
      "SELECT access_key_id, account_id, secret, status, principal_type, user_id FROM access_keys WHERE secret NOT LIKE 'enc:%'",
    );
  }

  async anySealedSecret(): Promise<string | undefined> {
    const row = await this.db.get<{ secret: string }>(
      "SELECT secret FROM access_keys WHERE secret LIKE 'enc:%' ORDER BY created_at LIMIT 1",
    );
    return row?.secret;
  }

  async setSecret(accessKeyId: string, secret: string): Promise<void> {
    await this.db.run('UPDATE access_keys SET secret = ? WHERE access_key_id = ?', [secret, accessKeyId]);
  }

  userAccessKeys(userId: string): Promise<UserAccessKeyRow[]> {
    return this.db.all<UserAccessKeyRow>(
      'SELECT access_key_id, status, created_at FROM access_keys WHERE user_id = ? ORDER BY created_at, access_key_id',
      [userId],
    );
  }

  async setAccessKeyStatus(
    userId: string,
    accessKeyId: string,
    status: 'Active' | 'Inactive',
  ): Promise<number> {
    const res = await this.db.run(
      'UPDATE access_keys SET status = ? WHERE user_id = ? AND access_key_id = ?',
      [status, userId, accessKeyId],
    );
    return res.changes;
  }

  async deleteUserAccessKey(userId: string, accessKeyId: string): Promise<number> {
    const res = await this.db.run('DELETE FROM access_keys WHERE user_id = ? AND access_key_id = ?', [
      userId,
      accessKeyId,
    ]);
    return res.changes;
  }

  /** Every account's own (root) key IDs and secrets, for re-encrypting or listing. */
  accountKeys(accountId: string): Promise<AccessKeyRow[]> {
    return this.db.all<AccessKeyRow>(
      `SELECT access_key_id, account_id, secret, status, principal_type, user_id FROM access_keys
       WHERE account_id = ? AND principal_type = 'account' ORDER BY created_at`,
      [accountId],
    );
  }

  async putResourceGroup(row: ResourceGroupRow): Promise<void> {
    await this.db.run(
      `INSERT INTO resource_groups (account_id, resource_group_id, name, display_name, is_default, created_at)
       VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (account_id, resource_group_id) DO NOTHING`,
      [row.account_id, row.resource_group_id, row.name, row.display_name, row.is_default, row.created_at],
    );
  }

  async getResourceGroup(accountId: string, id: string): Promise<ResourceGroupRow | undefined> {
    return this.db.get<ResourceGroupRow>(
      'SELECT * FROM resource_groups WHERE account_id = ? AND resource_group_id = ?',
      [accountId, id],
    );
  }

  async defaultResourceGroup(accountId: string): Promise<ResourceGroupRow | undefined> {
    return this.db.get<ResourceGroupRow>(
      'SELECT * FROM resource_groups WHERE account_id = ? AND is_default = 1',
      [accountId],
    );
  }

  async serviceEnabled(accountId: string, service: string): Promise<boolean> {
    const row = await this.db.get(
      'SELECT 1 AS x FROM account_services WHERE account_id = ? AND service = ?',
      [accountId, service],
    );
    return row !== undefined;
  }

  async enableService(accountId: string, service: string, now: number): Promise<void> {
    await this.db.run(
      'INSERT INTO account_services (account_id, service, enabled_at) VALUES (?, ?, ?) ON CONFLICT (account_id, service) DO NOTHING',
      [accountId, service, now],
    );
  }
}
