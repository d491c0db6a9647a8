/**
 * Accounts and AccessKeys. On start the bootstrap account and its AccessKey exist (well-known
 * development values unless configured, like Azurite's devstoreaccount1), with a default resource group.
 */
import { createHash } from 'node:crypto';
import type { AccessKeyRecord } from '../../protocol/authenticate.js';
import type { Caller } from '../../protocol/operation.js';
import type { Repos, Store } from '../../store/store.js';
import { SecretBox } from './secret-box.js';

/** Who a verified caller is, for RAM: the account root, a RAM user, or an STS role session. */
export type Principal =
  | { kind: 'account'; accountId: string }
  | { kind: 'user'; accountId: string; userId: string; userName: string }
  | {
      kind: 'session';
      accountId: string;
      roleId: string;
      roleName: string;
      sessionName: string;
      /** The session `Policy` of AssumeRole, as given. */
      sessionPolicy: string | undefined;
    };

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
  constructor(
    private readonly store: Store,
    /** Seals AccessKey secrets at rest; a random in-memory key unless the app passes the operator's. */
    readonly secrets: SecretBox = SecretBox.random(),
  ) {}

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
      const existing = await repos.identity.getAccessKey(identity.accessKeyId);
      await repos.identity.putAccessKey(
        {
          access_key_id: identity.accessKeyId,
          account_id: identity.accountId,
          secret: this.sealedFor(identity.accessKeySecret, existing?.secret),
          status: 'Active',
          principal_type: 'account',
        },
        Date.now(),
        true,
      );
    });
  }

  /** Creates an account with a first root AccessKey (operator endpoint and CLI); the secret is returned once. */
  async createAccount(accountId: string, accessKeyId: string, secret: string): Promise<void> {
    await this.store.transaction(async (repos) => {
      if (await repos.identity.accountExists(accountId)) throw new AccountExistsError(accountId);
      await this.ensureAccount(accountId, repos);
      await repos.identity.putAccessKey(
        {
          access_key_id: accessKeyId,
          account_id: accountId,
          secret: this.secrets.seal(secret),
          status: 'Active',
          principal_type: 'account',
        },
        Date.now(),
      );
    });
  }

  /**
   * The key behind an AccessKeyId: an account's or RAM user's key (access_keys), or an STS session's
   * (`STS.` IDs, sts_sessions) with the token hash and expiry authentication checks.
   */
  async lookupAccessKey(accessKeyId: string): Promise<AccessKeyRecord | undefined> {
    if (accessKeyId.startsWith('STS.')) {
      const s = await this.store.repos.ram.getSession(accessKeyId);
      if (!s) return undefined;
      return {
        accessKeyId: s.access_key_id,
        secret: this.secrets.open(s.secret),
        accountId: s.account_id,
        active: true,
        principalType: 'assumed-role',
        session: { tokenHash: s.token_hash, expiresAt: Number(s.expires_at) },
      };
    }
    const row = await this.store.repos.identity.getAccessKey(accessKeyId);
    if (!row) return undefined;
    return {
      accessKeyId: row.access_key_id,
      secret: this.secrets.open(row.secret),
      accountId: row.account_id,
      active: row.status === 'Active',
      principalType: row.principal_type,
    };
  }

  /** Resolves a verified caller to its principal; undefined when the user or session is gone. */
  async principalOf(caller: Caller): Promise<Principal | undefined> {
    if (caller.principalType === 'account') return { kind: 'account', accountId: caller.accountId };
    if (caller.principalType === 'assumed-role') {
      const s = await this.store.repos.ram.getSession(caller.accessKeyId);
      if (!s) return undefined;
      return {
        kind: 'session',
        accountId: s.account_id,
        roleId: s.role_id,
        roleName: s.role_name,
        sessionName: s.session_name,
        sessionPolicy: s.session_policy ?? undefined,
      };
    }
    const key = await this.store.repos.identity.getAccessKey(caller.accessKeyId);
    if (!key?.user_id) return undefined;
    const user = await this.store.repos.ram.getUserById(key.user_id);
    if (!user) return undefined;
    return { kind: 'user', accountId: user.account_id, userId: user.user_id, userName: user.user_name };
  }

  /**
   * The stored form of `plain`: the stored value itself when it already opens to `plain` (a restart with
   * the same configuration or seed file rewrites nothing), else a new seal.
   */
  sealedFor(plain: string, stored: string | undefined): string {
    if (stored !== undefined && SecretBox.isSealed(stored)) {
      try {
        if (this.secrets.open(stored) === plain) return stored;
      } catch {
        // Sealed under another key: seal anew.
      }
    }
    return this.secrets.seal(plain);
  }

  /** Fails the start when the secret key cannot open the stored secrets (it was changed or lost). */
  async checkSecretKey(): Promise<void> {
    const sample = await this.store.repos.identity.anySealedSecret();
    if (sample === undefined) return;
    try {
      this.secrets.open(sample);
    } catch {
      throw new Error(
        'the secret key does not open the stored AccessKey secrets: VPCFLOW_SECRET_KEY or secret.key in the data directory changed',
      );
    }
  }

  /** Seals secrets stored in plain text by earlier versions; returns how many were sealed. */
  async sealLegacySecrets(): Promise<number> {
    return this.store.transaction(async (repos) => {
      let n = 0;
      for (const row of await repos.identity.plainSecretKeys()) {
        await repos.identity.setSecret(row.access_key_id, this.secrets.seal(row.secret));
        n++;
      }
      return n;
    });
  }
}

export class AccountExistsError extends Error {
  constructor(readonly accountId: string) {
    super(`account ${accountId} already exists`);
    this.name = 'AccountExistsError';
  }
}
