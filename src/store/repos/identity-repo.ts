/** Accounts, AccessKeys and resource groups. */
import type { SqlExecutor } from '../sql-db.js';

export interface AccessKeyRow {
  access_key_id: string;
  account_id: string;
  secret: string;
  status: 'Active' | 'Inactive';
  principal_type: 'account' | 'ram-user' | 'assumed-role';
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
      `INSERT INTO access_keys (access_key_id, account_id, secret, status, principal_type, created_at, is_bootstrap)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (access_key_id) DO UPDATE SET account_id = excluded.account_id, secret = excluded.secret,
         status = excluded.status, principal_type = excluded.principal_type, is_bootstrap = excluded.is_bootstrap`,
      [
        key.access_key_id,
        key.account_id,
        key.secret,
        key.status,
        key.principal_type,
        now,
        isBootstrap ? 1 : 0,
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
      'SELECT access_key_id, account_id, secret, status, principal_type FROM access_keys WHERE access_key_id = ?',
      [accessKeyId],
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
