/**
 * Who may use the unsigned admin endpoints under `/_vpcflow/`. They are not tenant APIs: they list and
 * re-bind every account's exporters and flush the collector, so they belong to the operator only.
 *
 * - `--admin-token` / `VPCFLOW_ADMIN_TOKEN` set: every endpoint except `health` and `metrics` requires
 *   `Authorization: Bearer <token>`; none is 401 (with `WWW-Authenticate: Bearer`, RFC 6750 §3), a wrong
 *   one 403. The token is compared in constant time.
 * - unset: the same endpoints answer loopback peers only (127.0.0.0/8, `::1`), anything else is 403.
 *
 * `health` and `metrics` stay open for probes and scrapers; health shows the database location only
 * to the operator (see `isOperator`).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import { canonicalAddress } from '../dataplane/pipeline/exporter-address.js';
import type { RawResponse } from '../protocol/request.js';

export interface AdminAccess {
  /** The configured operator token; undefined = loopback-only mode. */
  adminToken?: string | undefined;
  /** The request's `Authorization` header. */
  authorization?: string | undefined;
  /** The peer's address (`req.socket.remoteAddress`). */
  remoteAddress?: string | undefined;
}

/** Endpoints anyone may read: liveness probes and metric scrapers carry no credentials. */
const PUBLIC_PATHS = new Set(['/_vpcflow/health', '/_vpcflow/metrics']);

/** Undefined when the request may proceed; otherwise the 401/403 answer. */
export function guardAdmin(method: string, path: string, access: AdminAccess): RawResponse | undefined {
  if (PUBLIC_PATHS.has(path)) return undefined;
  if (access.adminToken === undefined) {
    if (isLoopback(access.remoteAddress)) return undefined;
    return deny(403, 'Forbidden', `${method} ${path} is only accepted from a loopback address`);
  }
  const presented = bearerToken(access.authorization);
  if (presented === undefined) {
    return deny(
      401,
      'Unauthorized',
      `${method} ${path} requires the header Authorization: Bearer <admin token>`,
      {
        'www-authenticate': 'Bearer realm="vpcflow"',
      },
    );
  }
  if (!sameToken(presented, access.adminToken)) {
    return deny(403, 'Forbidden', 'The admin token is not valid.', {
      'www-authenticate': 'Bearer realm="vpcflow", error="invalid_token"',
    });
  }
  return undefined;
}

/** The operator: the right bearer token when one is configured, otherwise a loopback peer. */
export function isOperator(access: AdminAccess): boolean {
  if (access.adminToken === undefined) return isLoopback(access.remoteAddress);
  const presented = bearerToken(access.authorization);
  return presented !== undefined && sameToken(presented, access.adminToken);
}

/** 127.0.0.0/8, ::1 and IPv4-mapped 127.x. */
export function isLoopback(address: string | undefined): boolean {
  const canonical = address === undefined ? undefined : canonicalAddress(address);
  if (canonical === undefined) return false;
  return canonical === '::1' || (isIP(canonical) === 4 && canonical.startsWith('127.'));
}

function bearerToken(header: string | undefined): string | undefined {
  const m = /^Bearer +(\S+) *$/i.exec(header ?? '');
  return m?.[1];
}

/** Constant time whatever the lengths: both sides are hashed first. */
function sameToken(a: string, b: string): boolean {
  const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(a), digest(b));
}

function deny(
  status: 401 | 403,
  error: string,
  message: string,
  headers: Record<string, string> = {},
): RawResponse {
  return {
    status,
    headers: { 'content-type': 'application/json;charset=utf-8', ...headers },
    body: JSON.stringify({ error, message }),
  };
}
