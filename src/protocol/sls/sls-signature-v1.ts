/**
 * Verifies SLS signature v1: `Authorization: LOG {AccessKeyId}:{base64 signature}`.
 *
 * Built exactly as the clients build it (read from node_modules, checked against captured requests):
 *
 * - `@alicloud/gateway-sls` 0.3.x (`getSignature`, used by `@alicloud/sls20201230`): HMAC-SHA256 always,
 *   announced by `x-log-signaturemethod: hmac-sha256`; headers whose lower-cased name *contains* `x-log-` or
 *   `x-acs-`, sorted by name, as `name:value\n`; query keys sorted, `k=v` with decoded values, `k` alone
 *   when the value is null.
 * - `@alicloud/log` 1.2.x (`_sign`): HMAC-SHA1 (`x-log-signaturemethod: hmac-sha1`); headers whose name
 *   *starts with* `x-log-`/`x-acs-`, values trimmed; the `k=v` pairs are sorted as whole strings.
 *
 * String to sign: `METHOD\n{content-md5}\n{content-type}\n{date}\n` + canonical headers + path
 * (+ `?` + query when there is any). The variants above only differ in corner cases (a key that is a prefix
 * of another followed by a character sorting before `=`, an empty value, a header name with `x-log-` in the
 * middle), so every distinct variant is tried; the first one is the one reported on failure.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

import {
  SLS_MAX_SKEW_MS,
  type SlsAuthResult,
  type SlsRequestDescription,
  type SlsVerifyOptions,
} from './sls-auth-types.js';

const AUTHORIZATION_V1 = /^LOG ([^:\s]+):(\S+)$/;

/** `x-log-signaturemethod` values and their HMAC; SLS defaults to hmac-sha1 when the header is absent. */
const HMAC_BY_METHOD: Record<string, 'sha1' | 'sha256'> = { 'hmac-sha1': 'sha1', 'hmac-sha256': 'sha256' };

export function isSlsV1Authorization(authorization: string | undefined): boolean {
  return authorization !== undefined && authorization.startsWith('LOG ');
}

/** Canonical `x-log-`/`x-acs-` headers. `contains` = gateway-sls' rule, otherwise @alicloud/log's prefix rule. */
export function canonicalizeSlsV1Headers(
  headers: Record<string, string>,
  match: 'prefix' | 'contains',
): string {
  const isSigned =
    match === 'prefix'
      ? (name: string) => name.startsWith('x-log-') || name.startsWith('x-acs-')
      : (name: string) => name.includes('x-log-') || name.includes('x-acs-');
  return Object.keys(headers)
    .filter(isSigned)
    .sort()
    .map((name) => `${name}:${(headers[name] ?? '').trim()}\n`)
    .join('');
}

export interface SlsV1ResourceStyle {
  /** `key`: sort by key (gateway-sls); `pair`: sort the `k=v` strings (@alicloud/log). */
  sort: 'key' | 'pair';
  /** Render keys with an empty value as `k` instead of `k=` (gateway-sls with a null value). */
  bareEmpty: boolean;
}

export function canonicalizeSlsV1Resource(
  path: string,
  query: Record<string, string>,
  style: SlsV1ResourceStyle = { sort: 'key', bareEmpty: false },
): string {
  const keys = Object.keys(query);
  if (keys.length === 0) return path;
  const pairs = (style.sort === 'key' ? [...keys].sort() : keys).map((key) => {
    const value = query[key] ?? '';
    return style.bareEmpty && value === '' ? key : `${key}=${value}`;
  });
  if (style.sort === 'pair') pairs.sort();
  return `${path}?${pairs.join('&')}`;
}

export function buildSlsV1StringToSign(
  request: Pick<SlsRequestDescription, 'method' | 'path' | 'query' | 'headers'>,
  headerMatch: 'prefix' | 'contains' = 'prefix',
  resourceStyle?: SlsV1ResourceStyle,
): string {
  const h = request.headers;
  return (
    `${request.method}\n${h['content-md5'] ?? ''}\n${h['content-type'] ?? ''}\n${h['date'] ?? ''}\n` +
    canonicalizeSlsV1Headers(h, headerMatch) +
    canonicalizeSlsV1Resource(request.path, request.query, resourceStyle)
  );
}

/** The SDK-standard string to sign first, then the distinct variants (see the file comment). */
function candidateStringsToSign(request: SlsRequestDescription): string[] {
  const paths = [request.path];
  const decodedPath = safeDecode(request.path);
  if (decodedPath !== request.path) paths.push(decodedPath);
  const candidates = new Set<string>();
  for (const path of paths) {
    for (const headerMatch of ['prefix', 'contains'] as const) {
      for (const sort of ['key', 'pair'] as const) {
        for (const bareEmpty of [false, true]) {
          candidates.add(buildSlsV1StringToSign({ ...request, path }, headerMatch, { sort, bareEmpty }));
        }
      }
    }
  }
  return [...candidates];
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

export function signSlsV1(stringToSign: string, secret: string, hmac: 'sha1' | 'sha256'): string {
  return createHmac(hmac, secret).update(stringToSign, 'utf8').digest('base64');
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Parses an RFC 1123 / RFC 822 date as SLS requires for `Date`; undefined when it is not one. */
export function parseHttpDate(value: string): Date | undefined {
  // Date.parse accepts far more than RFC 822 (ISO strings, bare numbers); demand the `..., dd Mon yyyy` shape.
  if (!/^[A-Za-z]{3}, \d{1,2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} (GMT|UTC|[+-]\d{4})$/.test(value.trim())) {
    return undefined;
  }
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms);
}

export function verifySlsV1(request: SlsRequestDescription, options: SlsVerifyOptions): SlsAuthResult {
  const authorization = request.headers['authorization'];
  if (authorization === undefined || authorization === '') {
    return { ok: false, failure: { kind: 'missing-authorization' } };
  }
  const match = AUTHORIZATION_V1.exec(authorization);
  if (!match) {
    return {
      ok: false,
      failure: {
        kind: 'malformed-authorization',
        authorization,
        detail: 'expected "LOG {AccessKeyId}:{Signature}"',
      },
    };
  }
  const accessKeyId = match[1] ?? '';
  const signature = match[2] ?? '';

  const method = (request.headers['x-log-signaturemethod'] ?? 'hmac-sha1').toLowerCase();
  const hmac = HMAC_BY_METHOD[method];
  if (hmac === undefined) {
    return { ok: false, failure: { kind: 'unsupported-signature-method', method } };
  }

  const dateHeader = request.headers['date'];
  if (dateHeader === undefined || dateHeader === '') {
    return { ok: false, failure: { kind: 'missing-date', header: 'date' } };
  }
  const requestTime = parseHttpDate(dateHeader);
  if (requestTime === undefined) {
    return { ok: false, failure: { kind: 'invalid-date', header: 'date', value: dateHeader } };
  }
  const serverTime = options.now ?? new Date();
  if (Math.abs(serverTime.getTime() - requestTime.getTime()) > (options.maxSkewMs ?? SLS_MAX_SKEW_MS)) {
    return { ok: false, failure: { kind: 'request-time-expired', requestTime, serverTime } };
  }

  const secret = options.lookupSecret(accessKeyId);
  if (secret === undefined) {
    return { ok: false, failure: { kind: 'unknown-access-key', accessKeyId } };
  }

  // The signature covers the Content-MD5 header, not the body, so the body is tied to it here. Both clients
  // send upper-case hex; gateway-sls sends an empty `content-md5` when there is no body.
  const contentMd5 = request.headers['content-md5'];
  if (contentMd5 !== undefined && contentMd5 !== '') {
    const computed = createHash('md5').update(request.body).digest('hex').toUpperCase();
    if (contentMd5.toUpperCase() !== computed) {
      return { ok: false, failure: { kind: 'content-md5-mismatch', received: contentMd5, computed } };
    }
  }

  const candidates = candidateStringsToSign(request);
  for (const stringToSign of candidates) {
    if (sameText(signSlsV1(stringToSign, secret, hmac), signature)) {
      return { ok: true, version: 'v1', accessKeyId, algorithm: method };
    }
  }
  return {
    ok: false,
    failure: {
      kind: 'signature-mismatch',
      version: 'v1',
      accessKeyId,
      signature,
      stringToSign: candidates[0] ?? '',
    },
  };
}
