/**
 * Verifies SLS signature v4 as `@alicloud/gateway-sls` 0.3.x builds it (`signatureVersion: 'v4'`):
 *
 *   Authorization: SLS4-HMAC-SHA256 Credential={ak}/{yyyymmdd}/{region}/sls/aliyun_v4_request,Signature={hex}
 *   x-log-date: {yyyymmdd}T{hhmmss}Z            x-log-content-sha256: {hex sha256 of the body bytes}
 *
 * There is no `SignedHeaders` field: both sides sign every header whose lower-cased name starts with `x-log-`
 * or `x-acs-`, plus `host` and `content-type`, sorted by name (`getSignedHeaderStrV4`).
 *
 *   canonical request = METHOD \n path \n query \n (name:trimmed value \n)* \n signed;names \n content sha256
 *   query             = keys sorted, `k=percentEncode(v)`, `k` alone when v is empty; keys not encoded
 *   string to sign    = SLS4-HMAC-SHA256 \n x-log-date \n yyyymmdd/region/sls/aliyun_v4_request \n hex(sha256(canonical))
 *   signing key       = HMAC(HMAC(HMAC(HMAC("aliyun_v4" + secret, yyyymmdd), region), "sls"), "aliyun_v4_request")
 *   signature         = hex(HMAC-SHA256(signing key, string to sign))
 *
 * Quirk kept on purpose: `@alicloud/darabonba-encode-util` `percentEncode` is `encodeURIComponent` followed by
 * single-occurrence `String.replace`, so only the FIRST `*` becomes `%2A` and `!'()` stay literal. The
 * RFC 3986 form (every `*`, `!`, `'`, `(`, `)` encoded) is tried too, for other SDKs.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

import {
  SLS_MAX_SKEW_MS,
  type SlsAuthResult,
  type SlsRequestDescription,
  type SlsVerifyOptions,
} from './sls-auth-types.js';

export const SLS_V4_ALGORITHM = 'SLS4-HMAC-SHA256';
/** sha256 of zero bytes: gateway-sls sends it when there is no body. */
export const EMPTY_BODY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

const AUTHORIZATION_V4 =
  /^SLS4-HMAC-SHA256\s+Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/sls\/aliyun_v4_request\s*,\s*Signature=([0-9a-fA-F]+)\s*$/;
const X_LOG_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

export function isSlsV4Authorization(authorization: string | undefined): boolean {
  return authorization !== undefined && authorization.startsWith(`${SLS_V4_ALGORITHM} `);
}

/** gateway-sls' `percentEncode`, quirks included (see the file comment). */
export function percentEncodeLikeSdk(value: string): string {
  return encodeURIComponent(value).replace('+', '%20').replace('*', '%2A').replace('%7E', '~');
}

/** Strict RFC 3986 unreserved-only encoding. */
export function percentEncodeRfc3986(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

export function canonicalizeSlsV4Query(
  query: Record<string, string>,
  encode: (value: string) => string = percentEncodeLikeSdk,
): string {
  return Object.keys(query)
    .sort()
    .map((key) => {
      const value = query[key] ?? '';
      return value === '' ? key : `${key}=${encode(value)}`;
    })
    .join('&');
}

/** `host;content-type;x-log-…` style list of the headers present that v4 signs. */
export function slsV4SignedHeaderNames(headers: Record<string, string>): string[] {
  return Object.keys(headers)
    .map((name) => name.toLowerCase())
    .filter(
      (name) =>
        name.startsWith('x-log-') || name.startsWith('x-acs-') || name === 'host' || name === 'content-type',
    )
    .sort();
}

export function buildSlsV4CanonicalRequest(
  request: Pick<SlsRequestDescription, 'method' | 'path' | 'query' | 'headers'>,
  contentSha256: string,
  encode?: (value: string) => string,
): string {
  const names = slsV4SignedHeaderNames(request.headers);
  const canonicalHeaders = names.map((name) => `${name}:${(request.headers[name] ?? '').trim()}\n`).join('');
  return [
    request.method,
    request.path === '' ? '/' : request.path,
    canonicalizeSlsV4Query(request.query, encode),
    canonicalHeaders,
    names.join(';'),
    contentSha256,
  ].join('\n');
}

export function buildSlsV4StringToSign(canonicalRequest: string, xLogDate: string, scope: string): string {
  const hash = createHash('sha256').update(canonicalRequest, 'utf8').digest('hex');
  return `${SLS_V4_ALGORITHM}\n${xLogDate}\n${scope}\n${hash}`;
}

export function slsV4SigningKey(secret: string, day: string, region: string): Buffer {
  const step = (key: string | Buffer, data: string) =>
    createHmac('sha256', key).update(data, 'utf8').digest();
  return step(step(step(step(`aliyun_v4${secret}`, day), region), 'sls'), 'aliyun_v4_request');
}

export function signSlsV4(stringToSign: string, signingKey: Buffer): string {
  return createHmac('sha256', signingKey).update(stringToSign, 'utf8').digest('hex');
}

function sameHex(a: string, b: string): boolean {
  const left = Buffer.from(a.toLowerCase());
  const right = Buffer.from(b.toLowerCase());
  return left.length === right.length && timingSafeEqual(left, right);
}

function parseXLogDate(value: string): Date | undefined {
  const m = X_LOG_DATE.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  // Reject 20241340T… style values that Date.UTC would roll over.
  return date.getUTCMonth() === mo - 1 && date.getUTCDate() === d ? date : undefined;
}

export function verifySlsV4(request: SlsRequestDescription, options: SlsVerifyOptions): SlsAuthResult {
  const authorization = request.headers['authorization'];
  if (authorization === undefined || authorization === '') {
    return { ok: false, failure: { kind: 'missing-authorization' } };
  }
  const match = AUTHORIZATION_V4.exec(authorization);
  if (!match) {
    return {
      ok: false,
      failure: {
        kind: 'malformed-authorization',
        authorization,
        detail: `expected "${SLS_V4_ALGORITHM} Credential={ak}/{yyyymmdd}/{region}/sls/aliyun_v4_request,Signature={hex}"`,
      },
    };
  }
  const accessKeyId = match[1] ?? '';
  const day = match[2] ?? '';
  const region = match[3] ?? '';
  const signature = match[4] ?? '';

  const xLogDate = request.headers['x-log-date'];
  if (xLogDate === undefined || xLogDate === '') {
    return { ok: false, failure: { kind: 'missing-date', header: 'x-log-date' } };
  }
  const requestTime = parseXLogDate(xLogDate);
  if (requestTime === undefined || !xLogDate.startsWith(day)) {
    return { ok: false, failure: { kind: 'invalid-date', header: 'x-log-date', value: xLogDate } };
  }
  const serverTime = options.now ?? new Date();
  if (Math.abs(serverTime.getTime() - requestTime.getTime()) > (options.maxSkewMs ?? SLS_MAX_SKEW_MS)) {
    return { ok: false, failure: { kind: 'request-time-expired', requestTime, serverTime } };
  }

  const secret = options.lookupSecret(accessKeyId);
  if (secret === undefined) {
    return { ok: false, failure: { kind: 'unknown-access-key', accessKeyId } };
  }

  // The signature covers x-log-content-sha256, so that header must describe the body actually received.
  const computed =
    request.body.length === 0 ? EMPTY_BODY_SHA256 : createHash('sha256').update(request.body).digest('hex');
  const received = request.headers['x-log-content-sha256'] ?? '';
  if (received.toLowerCase() !== computed) {
    return { ok: false, failure: { kind: 'content-sha256-mismatch', received, computed } };
  }

  const scope = `${day}/${region}/sls/aliyun_v4_request`;
  const signingKey = slsV4SigningKey(secret, day, region);
  const paths = [request.path];
  try {
    const decoded = decodeURIComponent(request.path);
    if (decoded !== request.path) paths.push(decoded);
  } catch {
    // A malformed escape: only the raw path can have been signed.
  }
  let first: { canonicalRequest: string; stringToSign: string } | undefined;
  const tried = new Set<string>();
  for (const path of paths) {
    for (const encode of [percentEncodeLikeSdk, percentEncodeRfc3986]) {
      const canonicalRequest = buildSlsV4CanonicalRequest({ ...request, path }, received, encode);
      if (tried.has(canonicalRequest)) continue;
      tried.add(canonicalRequest);
      const stringToSign = buildSlsV4StringToSign(canonicalRequest, xLogDate, scope);
      first ??= { canonicalRequest, stringToSign };
      if (sameHex(signSlsV4(stringToSign, signingKey), signature)) {
        return { ok: true, version: 'v4', accessKeyId, algorithm: SLS_V4_ALGORITHM, region };
      }
    }
  }
  return {
    ok: false,
    failure: {
      kind: 'signature-mismatch',
      version: 'v4',
      accessKeyId,
      signature,
      stringToSign: first?.stringToSign ?? '',
      canonicalRequest: first?.canonicalRequest ?? '',
    },
  };
}
