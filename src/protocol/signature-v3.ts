/**
 * Signature v3 (`Authorization: ACS3-HMAC-SHA256 Credential=..,SignedHeaders=..,Signature=..`), the default of
 * `@alicloud/vpc20160428` 6.x and 7.x (`getAuthorization` in `@alicloud/openapi-core` src/utils.ts;
 * https://www.alibabacloud.com/help/en/sdk/product-overview/v3-request-structure-and-signature).
 * Canonical headers are rebuilt from the names the client
 * lists in SignedHeaders, because clients add headers over time (x-acs-credentials-provider, retry headers).
 */
import { createHash, createHmac } from 'node:crypto';
import { percentEncode, sortedKeys } from './encode.js';

export const V3_ALGORITHM = 'ACS3-HMAC-SHA256';

export interface V3Authorization {
  algorithm: string;
  accessKeyId: string;
  signedHeaders: string[];
  signature: string;
}

/** Parses an ACS3 Authorization header; undefined when any of its three parts is missing. */
export function parseV3Authorization(header: string): V3Authorization | undefined {
  const space = header.indexOf(' ');
  if (space <= 0) return undefined;
  const algorithm = header.slice(0, space);
  const parts = new Map<string, string>();
  for (const piece of header.slice(space + 1).split(',')) {
    const eq = piece.indexOf('=');
    if (eq > 0) parts.set(piece.slice(0, eq).trim(), piece.slice(eq + 1).trim());
  }
  const accessKeyId = parts.get('Credential');
  const signedHeaders = parts.get('SignedHeaders');
  const signature = parts.get('Signature');
  if (!accessKeyId || !signedHeaders || !signature) return undefined;
  return {
    algorithm,
    accessKeyId,
    signedHeaders: signedHeaders.split(';').map((h) => h.trim().toLowerCase()),
    signature,
  };
}

export interface V3CanonicalInput {
  method: string;
  path: string;
  /** Decoded query parameters. */
  query: Record<string, string>;
  /** Header lookup by lower-case name. */
  header: (name: string) => string | undefined;
  signedHeaders: string[];
  /** Hex SHA-256 of the body as received (not the value the client claims). */
  payloadHash: string;
}

export function v3CanonicalRequest(input: V3CanonicalInput): string {
  const query = sortedKeys(input.query)
    .map((k) => `${percentEncode(k)}=${percentEncode(input.query[k] ?? '')}`)
    .join('&');
  const names = [...input.signedHeaders].sort();
  const headers = names.map((n) => `${n}:${(input.header(n) ?? '').trim()}\n`).join('');
  return [
    input.method.toUpperCase(),
    input.path || '/',
    query,
    headers,
    names.join(';'),
    input.payloadHash,
  ].join('\n');
}

export function v3StringToSign(canonicalRequest: string): string {
  return `${V3_ALGORITHM}\n${sha256Hex(canonicalRequest)}`;
}

export function v3Sign(stringToSign: string, secret: string): string {
  return createHmac('sha256', secret).update(stringToSign, 'utf8').digest('hex');
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
