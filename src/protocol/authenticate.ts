/**
 * Verifies who sent a request: signature v1 (HMAC-SHA1 `Signature` parameter) or v3 (ACS3-HMAC-SHA256
 * `Authorization` header), the timestamp window and the nonce. Checks run in this order: credential
 * shape, AccessKey lookup, timestamp, signature, then nonce, so that a request with a bad signature
 * never uses up a nonce.
 */
import { createHash } from 'node:crypto';
import { ApiError, ERROR_CATALOG, throttled } from './errors.js';
import type { NonceStore } from './nonce-cache.js';
import type { Caller } from './operation.js';
import { headerOf, type ParsedParams, type RawRequest } from './request.js';
import { signaturesEqual, v1Sign, v1StringToSign } from './signature-v1.js';
import {
  parseV3Authorization,
  sha256Hex,
  V3_ALGORITHM,
  v3CanonicalRequest,
  v3Sign,
  v3StringToSign,
} from './signature-v3.js';

/** What the identity layer knows about an AccessKey. */
export interface AccessKeyRecord {
  accessKeyId: string;
  secret: string;
  accountId: string;
  active: boolean;
  principalType: Caller['principalType'];
  /** STS credentials: the requests must carry the session's token, before it expires. */
  session?: { tokenHash: string; expiresAt: number };
}

export interface AuthOptions {
  lookupAccessKey(accessKeyId: string): Promise<AccessKeyRecord | undefined>;
  nonces: NonceStore;
  /** Allowed clock skew either way; the real gateway allows 15 minutes. */
  skewMs: number;
  now(): number;
}

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,3})?Z$/;

/** Parses `YYYY-MM-DDThh:mm:ssZ` (milliseconds tolerated); NaN when malformed. */
export function parseTimestamp(value: string): number {
  const m = TIMESTAMP.exec(value);
  if (!m) return NaN;
  const ms = Date.parse(value);
  // Month 13 or hour 25 do not parse at all; impossible dates like 02-31 parse by rolling over.
  if (Number.isNaN(ms)) return NaN;
  return new Date(ms).toISOString().slice(0, 19) === value.slice(0, 19) ? ms : NaN;
}

export async function authenticate(
  req: RawRequest,
  params: ParsedParams,
  opts: AuthOptions,
): Promise<Caller> {
  const authorization = headerOf(req.headers, 'authorization');
  if (authorization?.startsWith('ACS3-')) return verifyV3(req, params, authorization, opts);
  return verifyV1(req, params, opts);
}

async function verifyV1(req: RawRequest, params: ParsedParams, opts: AuthOptions): Promise<Caller> {
  const p = params.all;
  const accessKeyId = p['AccessKeyId'];
  if (!accessKeyId) throw new ApiError(ERROR_CATALOG.InvalidAccessKeyIdNotFound);
  const signature = p['Signature'];
  if (!signature) throw incomplete('Signature is missing.');
  const method = p['SignatureMethod'];
  if (method !== undefined && method !== 'HMAC-SHA1')
    throw incomplete(`SignatureMethod ${method} is not supported.`);
  if (p['SignatureVersion'] !== undefined && p['SignatureVersion'] !== '1.0') {
    throw incomplete('SignatureVersion must be 1.0.');
  }
  const key = await activeKey(accessKeyId, opts);
  const sentAt = checkTimestamp(p['Timestamp'], 'Timestamp', opts);
  const stringToSign = v1StringToSign(req.method, p);
  if (!signaturesEqual(v1Sign(stringToSign, key.secret), signature)) {
    throw new ApiError(ERROR_CATALOG.SignatureDoesNotMatchV1, { stringToSign });
  }
  await checkNonce(accessKeyId, p['SignatureNonce'], sentAt, opts);
  checkSecurityToken(key, p['SecurityToken'], opts);
  return caller(key, p['SecurityToken']);
}

async function verifyV3(
  req: RawRequest,
  params: ParsedParams,
  authorization: string,
  opts: AuthOptions,
): Promise<Caller> {
  const auth = parseV3Authorization(authorization);
  if (!auth) throw incomplete('The Authorization header is malformed.');
  if (auth.algorithm !== V3_ALGORITHM) throw incomplete(`Algorithm ${auth.algorithm} is not supported.`);
  const header = (name: string): string | undefined => headerOf(req.headers, name);
  // Everything the server acts on must be covered by the signature, or a captured signature could be
  // replayed with a new date and nonce, or for another action. The SDKs sign every x-acs-* header.
  for (const name of ['host', 'x-acs-date', 'x-acs-signature-nonce', 'x-acs-content-sha256']) {
    if (!auth.signedHeaders.includes(name)) throw incomplete(`SignedHeaders must include ${name}.`);
  }
  for (const name of ['x-acs-action', 'x-acs-version', 'x-acs-security-token', 'x-acs-accesskey-id']) {
    if (header(name) !== undefined && !auth.signedHeaders.includes(name)) {
      throw incomplete(`SignedHeaders must include ${name}.`);
    }
  }
  const key = await activeKey(auth.accessKeyId, opts);
  const sentAt = checkTimestamp(header('x-acs-date'), 'x-acs-date', opts);
  // The payload line uses the hash of the body as received: a body that differs from the
  // client's x-acs-content-sha256 then fails the signature, as it would on the real gateway.
  const canonical = v3CanonicalRequest({
    method: req.method,
    path: params.path,
    query: params.query,
    header,
    signedHeaders: auth.signedHeaders,
    payloadHash: sha256Hex(req.body),
  });
  const stringToSign = v3StringToSign(canonical);
  if (!signaturesEqual(v3Sign(stringToSign, key.secret), auth.signature)) {
    throw new ApiError(ERROR_CATALOG.SignatureDoesNotMatchV3, { stringToSign });
  }
  await checkNonce(auth.accessKeyId, header('x-acs-signature-nonce'), sentAt, opts);
  const token = header('x-acs-security-token') ?? params.all['SecurityToken'];
  checkSecurityToken(key, token, opts);
  return caller(key, token);
}

async function activeKey(accessKeyId: string, opts: AuthOptions): Promise<AccessKeyRecord> {
  const key = await opts.lookupAccessKey(accessKeyId);
  if (!key) throw new ApiError(ERROR_CATALOG.InvalidAccessKeyIdNotFound);
  if (!key.active) throw new ApiError(ERROR_CATALOG.InvalidAccessKeyIdInactive);
  return key;
}

/** Checks the request time against the allowed skew; returns it (ms). */
function checkTimestamp(value: string | undefined, name: string, opts: AuthOptions): number {
  if (!value)
    throw new ApiError(ERROR_CATALOG.MissingParameter, { name: name === 'Timestamp' ? 'Timestamp' : 'Date' });
  const ms = parseTimestamp(value);
  if (Number.isNaN(ms)) throw new ApiError(ERROR_CATALOG.InvalidTimeStampFormat);
  if (Math.abs(opts.now() - ms) > opts.skewMs) throw new ApiError(ERROR_CATALOG.InvalidTimeStampExpired);
  return ms;
}

async function checkNonce(
  accessKeyId: string,
  nonce: string | undefined,
  sentAt: number,
  opts: AuthOptions,
): Promise<void> {
  if (!nonce) throw new ApiError(ERROR_CATALOG.MissingParameter, { name: 'SignatureNonce' });
  // Remembered for as long as the request's own timestamp stays acceptable: a request dated ahead
  // of the server clock is valid for longer than the window, and so must its nonce be.
  const now = opts.now();
  const until = Math.max(now, sentAt) + opts.skewMs;
  const checked = await opts.nonces.check(accessKeyId, nonce, now, until);
  if (checked.ok) return;
  if (checked.reason === 'used') throw new ApiError(ERROR_CATALOG.SignatureNonceUsed);
  // The key holds its whole quota of live nonces: flow control until the oldest leaves the window.
  throw throttled(checked.retryAfterMs);
}

/**
 * STS keys need their session's token (v1 `SecurityToken`, v3 `x-acs-security-token`), unexpired; a
 * token sent with a permanent key names no session and is refused the same way as a wrong one.
 */
function checkSecurityToken(key: AccessKeyRecord, token: string | undefined, opts: AuthOptions): void {
  if (!key.session) {
    if (token) throw new ApiError(ERROR_CATALOG.InvalidSecurityTokenMismatch);
    return;
  }
  if (!token) throw new ApiError(ERROR_CATALOG.MissingSecurityToken);
  if (createHash('sha256').update(token).digest('hex') !== key.session.tokenHash)
    throw new ApiError(ERROR_CATALOG.InvalidSecurityTokenMismatch);
  if (opts.now() >= key.session.expiresAt) throw new ApiError(ERROR_CATALOG.InvalidSecurityTokenExpired);
}

function incomplete(detail: string): ApiError {
  return new ApiError(ERROR_CATALOG.IncompleteSignature, { detail });
}

function caller(key: AccessKeyRecord, securityToken: string | undefined): Caller {
  return {
    accountId: key.accountId,
    accessKeyId: key.accessKeyId,
    principalType: key.principalType,
    securityToken: securityToken || undefined,
  };
}
