/**
 * The gateway's authorization step, product-agnostic: after the parameters validate, the operation's
 * declared RAM action and resource ARNs go to an injected Authorizer (the RAM policy evaluator in
 * vpcflow). A denial becomes `Forbidden.RAM` (403) with `AccessDeniedDetail`, which the Tea SDKs expose
 * as `err.accessDeniedDetail` (openapi-core `getAccessDeniedDetail`).
 *
 * Before that, the rule of the `Owner*` common parameters: a caller naming another account in
 * `OwnerId`, `ResourceOwnerId`, `OwnerAccount` or `ResourceOwnerAccount` gets `Unauthorized`
 * ("This api does not support sub user or role.").
 */
import { ApiError, ERROR_CATALOG } from './errors.js';
import type { Caller, Operation, ResourceScope } from './operation.js';
import type { ParamSpecs, ParamsOf } from './params.js';
import { headerOf, type RawRequest } from './request.js';

/** Where a request came from, for the `acs:SourceIp` and `acs:SecureTransport` condition keys. */
export interface RequestOrigin {
  /** The peer address, IPv4-mapped IPv6 unwrapped; undefined for in-process requests. */
  readonly sourceIp: string | undefined;
  readonly secureTransport: boolean;
}

export interface AuthorizationRequest {
  readonly caller: Caller;
  /** `vpc:DescribeFlowLogs`. */
  readonly action: string;
  readonly resources: readonly string[];
  readonly origin: RequestOrigin;
  readonly now: number;
}

/**
 * The fields of `AccessDeniedDetail`, as `getAccessDeniedDetail` in `@alicloud/openapi-core` src/client.ts
 * reads them from a denial; RAM's DecodeDiagnosticMessage reference describes the same fields:
 * https://www.alibabacloud.com/help/en/ram/developer-reference/api-ram-2015-05-01-decodediagnosticmessage
 */
export interface AccessDeniedDetail {
  AuthAction: string;
  /** `SubUser` or `AssumedRoleUser`. */
  AuthPrincipalType: string;
  AuthPrincipalOwnerId: string;
  AuthPrincipalDisplayName: string;
  PolicyType: string;
  NoPermissionType: 'ImplicitDeny' | 'ExplicitDeny';
  EncodedDiagnosticMessage: string;
}

export type AuthorizationResult = { allowed: true } | { allowed: false; detail: AccessDeniedDetail };

export interface Authorizer {
  authorize(req: AuthorizationRequest): Promise<AuthorizationResult>;
}

export function requestOrigin(req: RawRequest): RequestOrigin {
  const raw = req.remoteAddress;
  const sourceIp = raw?.startsWith('::ffff:') && raw.includes('.') ? raw.slice(7) : raw;
  const proto = headerOf(req.headers, 'x-forwarded-proto');
  return { sourceIp, secureTransport: req.secure === true || proto === 'https' };
}

const OWNER_ID_PARAMS = ['OwnerId', 'ResourceOwnerId'] as const;
const OWNER_ACCOUNT_PARAMS = ['OwnerAccount', 'ResourceOwnerAccount'] as const;

/** Runs the Owner* rule, then the authorizer; throws the wire error on a denial. */
export async function authorizeOperation<TServices, P extends ParamSpecs>(
  op: Operation<TServices, P>,
  params: ParamsOf<P>,
  raw: Readonly<Record<string, string>>,
  caller: Caller,
  origin: RequestOrigin,
  authorizer: Authorizer | undefined,
  now: number,
): Promise<void> {
  for (const name of [...OWNER_ID_PARAMS, ...OWNER_ACCOUNT_PARAMS]) {
    const value = raw[name];
    if (value !== undefined && value !== '' && value !== caller.accountId) {
      throw new ApiError(ERROR_CATALOG.Unauthorized);
    }
  }
  if (!authorizer || caller.principalType === 'account' || op.authorization === 'none') return;
  const scope: ResourceScope = { accountId: caller.accountId, regionId: raw['RegionId'] ?? '' };
  const declared = op.authorization;
  const code = op.product.ramCode ?? op.product.code.toLowerCase();
  const action = declared ? declared.action : `${code}:${op.action}`;
  const built = declared ? declared.resources(params, scope) : '*';
  const resources = typeof built === 'string' ? [built] : [...built];
  const result = await authorizer.authorize({ caller, action, resources, origin, now });
  if (!result.allowed) {
    const entry = op.product.forbidden ?? ERROR_CATALOG.ForbiddenRam;
    throw new ApiError(entry, {}, { AccessDeniedDetail: result.detail });
  }
}
