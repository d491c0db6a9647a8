/**
 * The Authorizer the gateway and the SLS endpoint call for RAM users and role sessions: it gathers the
 * principal's policies (the default versions of those attached to the user and its groups, or to the role plus the
 * session Policy of AssumeRole) and evaluates them (ram/policy/evaluate.ts). The account's own
 * AccessKey is the root identity and is never restricted.
 */
import type {
  AccessDeniedDetail,
  AuthorizationRequest,
  AuthorizationResult,
  Authorizer,
} from '../../protocol/authorize.js';
import { evaluateSession, type Decision } from '../ram/policy/evaluate.js';
import { parsePolicyDocument, type PolicyDocument } from '../ram/policy/policy-document.js';
import type { RamService } from '../ram/ram-service.js';
import { isoSeconds } from '../ram/ram-ids.js';
import type { IdentityService, Principal } from './identity-service.js';

export class RamAuthorizer implements Authorizer {
  constructor(
    private readonly identity: IdentityService,
    private readonly ram: RamService,
  ) {}

  async authorize(req: AuthorizationRequest): Promise<AuthorizationResult> {
    const principal = await this.identity.principalOf(req.caller);
    if (principal?.kind === 'account') return { allowed: true };
    let decision: Decision = 'ImplicitDeny';
    if (principal) {
      const { identity, session } = await this.policiesOf(principal);
      decision = evaluateSession(identity, session, {
        action: req.action,
        resources: req.resources,
        context: contextKeys(req),
      });
    }
    if (decision === 'Allow') return { allowed: true };
    return { allowed: false, detail: deniedDetail(req, principal, decision) };
  }

  /** The identity policies and the session policy of a RAM user or role session. */
  async policiesOf(principal: Principal): Promise<{ identity: PolicyDocument[]; session?: PolicyDocument }> {
    if (principal.kind === 'user')
      return { identity: await this.ram.userPolicies(principal.accountId, principal.userId) };
    if (principal.kind === 'session') {
      const identity = await this.ram.effectivePolicies(principal.accountId, 'Role', principal.roleId);
      const session = principal.sessionPolicy ? parsePolicyDocument(principal.sessionPolicy) : undefined;
      return session ? { identity, session } : { identity };
    }
    return { identity: [] };
  }
}

/** The global condition keys vpcflow knows, lower-cased as the evaluator reads them. */
export function contextKeys(req: AuthorizationRequest): Record<string, string | undefined> {
  return {
    'acs:sourceip': req.origin.sourceIp,
    'acs:currenttime': isoSeconds(req.now),
    'acs:securetransport': String(req.origin.secureTransport),
    'acs:accessid': req.caller.accessKeyId,
  };
}

function deniedDetail(
  req: AuthorizationRequest,
  principal: Principal | undefined,
  decision: 'ImplicitDeny' | 'ExplicitDeny',
): AccessDeniedDetail {
  const isSession = req.caller.principalType === 'assumed-role';
  const displayName =
    principal?.kind === 'user'
      ? principal.userId
      : principal?.kind === 'session'
        ? `${principal.roleName}:${principal.sessionName}`
        : req.caller.accessKeyId;
  // Real gateways encrypt this blob for their support tools; vpcflow's is readable base64 JSON.
  const diagnostic = {
    action: req.action,
    resources: req.resources,
    decision,
    sourceIp: req.origin.sourceIp,
  };
  return {
    AuthAction: req.action,
    AuthPrincipalType: isSession ? 'AssumedRoleUser' : 'SubUser',
    AuthPrincipalOwnerId: req.caller.accountId,
    AuthPrincipalDisplayName: displayName,
    PolicyType: 'AccountLevelIdentityBasedPolicy',
    NoPermissionType: decision,
    EncodedDiagnosticMessage: Buffer.from(JSON.stringify(diagnostic)).toString('base64'),
  };
}
