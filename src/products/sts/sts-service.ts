/**
 * STS (2015-04-01): AssumeRole issues temporary credentials for a role whose trust policy names the
 * caller; GetCallerIdentity says who the caller is. Sessions are rows in sts_sessions: the secret
 * sealed like every AccessKey secret, the token kept only as a hash. Sessions expired more than a day
 * are purged on the next AssumeRole (until then their token answers InvalidSecurityToken.Expired).
 */
import type { RequestOrigin } from '../../protocol/authorize.js';
import { ApiError } from '../../protocol/errors.js';
import type { Caller } from '../../protocol/operation.js';
import type { Store } from '../../store/store.js';
import type { IdentityService } from '../identity/identity-service.js';
import { contextKeys } from '../identity/ram-authorizer.js';
import { parsePolicyDocument, PolicyDocumentError } from '../ram/policy/policy-document.js';
import { trustAllows, type TrustPrincipal } from '../ram/policy/trust.js';
import { STS_ERRORS } from '../ram/ram-errors.js';
import {
  isoSeconds,
  newAccessKeySecret,
  newSecurityToken,
  newStsAccessKeyId,
  tokenHash,
} from '../ram/ram-ids.js';

export const STS_LIMITS = { minDurationSeconds: 900, defaultDurationSeconds: 3600, sessionPolicyBytes: 2048 };
const DAY = 24 * 3600 * 1000;

export interface AssumeRoleInput {
  RoleArn: string;
  RoleSessionName: string;
  Policy?: string | undefined;
  DurationSeconds?: number | undefined;
}

/** `acs:ram::{accountId}:role/{roleName}` (role names in ARNs are case-insensitive). */
export function parseRoleArn(arn: string): { accountId: string; roleName: string } | undefined {
  const m = /^acs:ram::(\d+):role\/([A-Za-z0-9._-]{1,64})$/.exec(arn);
  return m ? { accountId: m[1] as string, roleName: m[2] as string } : undefined;
}

export class StsService {
  constructor(
    private readonly store: Store,
    private readonly identity: IdentityService,
  ) {}

  async assumeRole(caller: Caller, input: AssumeRoleInput, origin: RequestOrigin | undefined, now: number) {
    const target = parseRoleArn(input.RoleArn);
    if (!target) throw new ApiError(STS_ERRORS.RoleArn);
    if (!/^[A-Za-z0-9._@-]{2,64}$/.test(input.RoleSessionName))
      throw new ApiError(STS_ERRORS.RoleSessionName);
    if (input.Policy !== undefined) {
      if (Buffer.byteLength(input.Policy) > STS_LIMITS.sessionPolicyBytes)
        throw new ApiError(STS_ERRORS.PolicySize);
      try {
        parsePolicyDocument(input.Policy);
      } catch (err) {
        if (err instanceof PolicyDocumentError)
          throw new ApiError(STS_ERRORS.PolicyGrammar, { detail: err.message });
        throw err;
      }
    }
    const role = await this.store.repos.ram.getRole(target.accountId, target.roleName);
    if (!role) throw new ApiError(STS_ERRORS.RoleNotExist, { arn: input.RoleArn });
    const max = Number(role.max_session_duration);
    const duration = input.DurationSeconds ?? Math.min(STS_LIMITS.defaultDurationSeconds, max);
    if (duration < STS_LIMITS.minDurationSeconds || duration > max)
      throw new ApiError(STS_ERRORS.DurationSeconds, { max: `${max / 3600}hr` });

    const who = await this.#trustPrincipal(caller);
    const context = contextKeys({
      caller,
      action: 'sts:AssumeRole',
      resources: [input.RoleArn],
      now,
      origin: origin ?? { sourceIp: undefined, secureTransport: false },
    });
    if (!who || !trustAllows(parsePolicyDocument(role.trust_policy, 'trust'), who, context))
      throw new ApiError(STS_ERRORS.NoPermission);

    const accessKeyId = newStsAccessKeyId();
    const secret = newAccessKeySecret();
    const token = newSecurityToken();
    const expiresAt = now + duration * 1000;
    await this.store.transaction(async (repos) => {
      await repos.ram.purgeSessions(now - DAY);
      await repos.ram.insertSession({
        access_key_id: accessKeyId,
        account_id: role.account_id,
        secret: this.identity.secrets.seal(secret),
        token_hash: tokenHash(token),
        role_id: role.role_id,
        role_name: role.role_name,
        session_name: input.RoleSessionName,
        session_policy: input.Policy ?? null,
        created_at: now,
        expires_at: expiresAt,
      });
    });
    return {
      Credentials: {
        AccessKeyId: accessKeyId,
        AccessKeySecret: secret,
        SecurityToken: token,
        Expiration: isoSeconds(expiresAt),
      },
      AssumedRoleUser: {
        Arn: `acs:ram::${role.account_id}:role/${role.role_name.toLowerCase()}/${input.RoleSessionName}`,
        AssumedRoleId: `${role.role_id}:${input.RoleSessionName}`,
      },
    };
  }

  async callerIdentity(caller: Caller) {
    const p = await this.identity.principalOf(caller);
    const accountId = caller.accountId;
    if (p?.kind === 'user')
      return {
        IdentityType: 'RAMUser',
        AccountId: accountId,
        UserId: p.userId,
        PrincipalId: p.userId,
        Arn: `acs:ram::${accountId}:user/${p.userName}`,
      };
    if (p?.kind === 'session')
      return {
        IdentityType: 'AssumedRoleUser',
        AccountId: accountId,
        RoleId: p.roleId,
        PrincipalId: `${p.roleId}:${p.sessionName}`,
        Arn: `acs:ram::${accountId}:assumed-role/${p.roleName}/${p.sessionName}`,
      };
    return {
      IdentityType: 'Account',
      AccountId: accountId,
      UserId: accountId,
      PrincipalId: accountId,
      Arn: `acs:ram::${accountId}:root`,
    };
  }

  async #trustPrincipal(caller: Caller): Promise<TrustPrincipal | undefined> {
    const p = await this.identity.principalOf(caller);
    if (!p) return undefined;
    if (p.kind === 'account') return { accountId: p.accountId, relative: 'root' };
    if (p.kind === 'user') return { accountId: p.accountId, relative: `user/${p.userName}` };
    return { accountId: p.accountId, relative: `role/${p.roleName}` };
  }
}
