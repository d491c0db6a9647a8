/**
 * Verifies an SLS request's signature against the AccessKeys of the RPC API. The verifiers take a
 * synchronous secret lookup while the identity service is async, so the key is fetched first: a dry run
 * with an empty lookup reports which AccessKeyId the request names (or fails earlier, on a missing or
 * malformed header, which is then the answer), and the real run gets that key's secret.
 */
import { createHash } from 'node:crypto';
import type { AccessKeyRecord } from '../../../protocol/authenticate.js';
import type { SlsRequestDescription } from '../../../protocol/sls/sls-auth.js';
import { authFailureToSlsError, verifySlsRequest } from '../../../protocol/sls/sls-auth.js';
import { slsError, type SlsError } from '../../../protocol/sls/sls-errors.js';

export type SlsAuthOutcome =
  { ok: true; key: AccessKeyRecord } | { ok: false; error: SlsError; detail?: string };

export async function authenticateSls(
  request: SlsRequestDescription,
  lookupAccessKey: (id: string) => Promise<AccessKeyRecord | undefined>,
  now: Date,
): Promise<SlsAuthOutcome> {
  const probe = verifySlsRequest(request, { lookupSecret: () => undefined, now });
  if (probe.ok) throw new Error('SLS verifier accepted a request without a secret');
  if (probe.failure.kind !== 'unknown-access-key') {
    return { ok: false, error: authFailureToSlsError(probe.failure) };
  }
  const key = await lookupAccessKey(probe.failure.accessKeyId);
  if (!key) return { ok: false, error: authFailureToSlsError(probe.failure) };
  const result = verifySlsRequest(request, {
    lookupSecret: (id) => (id === key.accessKeyId ? key.secret : undefined),
    now,
  });
  if (!result.ok) {
    const detail = result.failure.kind === 'signature-mismatch' ? result.failure.stringToSign : undefined;
    return { ok: false, error: authFailureToSlsError(result.failure), detail };
  }
  // A disabled key: SLS's "the access key id you provided is invalid" (an unknown one is `Unauthorized`,
  // worded `AccessKeyId not found`, as the live service answers).
  if (!key.active)
    return { ok: false, error: slsError('InvalidAccessKeyId', { accessKeyId: key.accessKeyId }) };
  // STS keys: the session's token in x-acs-security-token, unexpired (as on the RPC gateway).
  const token = request.headers['x-acs-security-token'];
  if (key.session) {
    if (!token || createHash('sha256').update(token).digest('hex') !== key.session.tokenHash)
      return { ok: false, error: slsError('InvalidSecurityToken') };
    if (now.getTime() >= key.session.expiresAt) return { ok: false, error: slsError('SecurityTokenExpired') };
  } else if (token) {
    return { ok: false, error: slsError('InvalidSecurityToken') };
  }
  return { ok: true, key };
}
