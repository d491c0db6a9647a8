/**
 * The evaluator: a pure function of the caller's policies and one request. An explicit Deny in any
 * statement that applies wins; otherwise an Allow that applies allows; otherwise the request is
 * implicitly denied. With a session policy (STS AssumeRole `Policy`), both the identity policies and
 * the session policy must allow, and a Deny in either wins.
 */
import { conditionsHold, type RequestContextKeys } from './conditions.js';
import type { PolicyDocument, Statement } from './policy-document.js';
import { matchesAction, matchesResource } from './wildcard.js';

export type Decision = 'Allow' | 'ImplicitDeny' | 'ExplicitDeny';

export interface EvaluationRequest {
  /** `vpc:DescribeFlowLogs`. */
  action: string;
  /** Every resource the operation touches; each must be allowed. */
  resources: readonly string[];
  /** Lower-cased condition keys (`acs:sourceip`, ...). */
  context: RequestContextKeys;
}

export function evaluatePolicies(policies: readonly PolicyDocument[], req: EvaluationRequest): Decision {
  let denied = false;
  let allAllowed = req.resources.length > 0;
  for (const resource of req.resources) {
    let allowed = false;
    for (const policy of policies) {
      for (const st of policy.statements) {
        if (!applies(st, req.action, resource, req.context)) continue;
        if (st.effect === 'Deny') denied = true;
        else allowed = true;
      }
    }
    if (!allowed) allAllowed = false;
  }
  if (denied) return 'ExplicitDeny';
  return allAllowed ? 'Allow' : 'ImplicitDeny';
}

/** Identity policies, narrowed by an optional session policy. */
export function evaluateSession(
  identity: readonly PolicyDocument[],
  session: PolicyDocument | undefined,
  req: EvaluationRequest,
): Decision {
  const first = evaluatePolicies(identity, req);
  if (!session || first === 'ExplicitDeny') return first;
  const second = evaluatePolicies([session], req);
  if (second === 'ExplicitDeny') return 'ExplicitDeny';
  return first === 'Allow' && second === 'Allow' ? 'Allow' : 'ImplicitDeny';
}

function applies(st: Statement, action: string, resource: string, context: RequestContextKeys): boolean {
  if (st.action && !st.action.some((p) => matchesAction(p, action))) return false;
  if (st.notAction?.some((p) => matchesAction(p, action))) return false;
  if (st.resource && !st.resource.some((p) => matchesResource(p, resource))) return false;
  if (st.notResource?.some((p) => matchesResource(p, resource))) return false;
  return conditionsHold(st.condition, context);
}
