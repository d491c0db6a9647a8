/**
 * Accounts and AccessKeys. On start the bootstrap account and its AccessKey exist (well-known
 * development values unless configured, like Azurite's devstoreaccount1), with a default resource group.
 */
import { createHash } from 'node:crypto';
import type { AccessKeyRecord } from '../../protocol/authenticate.js';
import type { Repos, Store } from '../../store/store.js';

export const DEV_ACCOUNT_ID = '1234567890123456';
export const DEV_ACCESS_KEY_ID = 'LTAI5tVpcflowDevAccessKey';
export const DEV_ACCESS_KEY_SECRET = 'VpcflowDevAccessKeySecret00000';

export interface BootstrapIdentity {
  accountId: string;
  accessKeyId: string;
  accessKeySecret: string;
}

/** `rg-acfm` + 15 characters derived from the account: stable across restarts and nodes. */
export function defaultResourceGroupId(accountId: string): string {
  const digest = createHash('sha256').update(`default-rg:${accountId}`).digest();
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  let suffix = '';
  for (let i = 0; i < 15; i++) suffix += alphabet[(digest[i] ?? 0) % alphabet.length];
  return `rg-acfm${suffix}`;
}

export class IdentityService {
  constructor(private readonly store: Store) {}

  /** Makes sure an account exists with its default resource group. Idempotent. */
  async ensureAccount(accountId: string, repos: Repos = this.store.repos): Promise<void> {
    const now = Date.now();
    await repos.identity.ensureAccount(accountId, now);
    await repos.identity.putResourceGroup({
      account_id: accountId,
      resource_group_id: defaultResourceGroupId(accountId),
      name: 'default',
      display_name: 'default resource group',
      is_default: 1,
      created_at: now,
    });
  }

  /** Creates the bootstrap account and AccessKey; inside the caller's transaction when `inTx` is given. */
  async bootstrap(identity: BootstrapIdentity, inTx?: Repos): Promise<void> {
    const run = <T>(fn: (repos: Repos) => Promise<T>): Promise<T> =>
      inTx ? fn(inTx) : this.store.transaction(fn);
    await run(async (repos) => {
      await this.ensureAccount(identity.accountId, repos);
      await repos.identity.retireBootstrapKeys(identity.accessKeyId);
      await repos.identity.putAccessKey(
        {
          access_key_id: identity.accessKeyId,
          account_id: identity.accountId,
          secret: identity.accessKeySecret,
          status: 'Active',
          principal_type: 'account',
        },
        Date.now(),
        true,
      );
    });
  }

  async lookupAccessKey(accessKeyId: string): Promise<AccessKeyRecord | undefined> {
    const row = await this.store.repos.identity.getAccessKey(accessKeyId);
    if (!row) return undefined;
    return {
      accessKeyId: row.access_key_id,
      secret: row.secret,
      accountId: row.account_id,
      active: row.status === 'Active',
      principalType: row.principal_type,
    };
  }
}
