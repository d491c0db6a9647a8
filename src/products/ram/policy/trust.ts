/**
 * Role trust policies: who may assume a role. `"RAM": ["acs:ram::{accountId}:root"]` (or the bare
 * account ID) trusts the account and every RAM identity in it; `acs:ram::{accountId}:user/{name}` and
 * `acs:ram::{accountId}:role/{name}` trust one identity. A Deny that applies wins, as in identity policies.
 */
import { conditionsHold, type RequestContextKeys } from './conditions.js';
import type { PolicyDocument } from './policy-document.js';
import { matchesAction, matchesResource } from './wildcard.js';

export interface TrustPrincipal {
  accountId: string;
  /** `root`, `user/{name}` or `role/{name}`. */
  relative: string;
}

export function trustAllows(doc: PolicyDocument, who: TrustPrincipal, context: RequestContextKeys): boolean {
  let allowed = false;
  for (const st of doc.statements) {
    if (st.action && !st.action.some((a) => matchesAction(a, 'sts:AssumeRole'))) continue;
    if (!conditionsHold(st.condition, context)) continue;
    const names = st.principal?.ram ?? [];
    if (!names.some((n) => principalMatches(n, who))) continue;
    if (st.effect === 'Deny') return false;
    allowed = true;
  }
  return allowed;
}

function principalMatches(pattern: string, who: TrustPrincipal): boolean {
  if (pattern === '*') return true;
  if (/^\d+$/.test(pattern)) return pattern === who.accountId;
  const rootOf = /^acs:ram::(\d+|\*):root$/.exec(pattern);
  if (rootOf) return rootOf[1] === '*' || rootOf[1] === who.accountId;
  return matchesResource(pattern, `acs:ram::${who.accountId}:${who.relative}`);
}
