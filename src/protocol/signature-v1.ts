/**
 * Signature v1 (HMAC-SHA1 in the `Signature` parameter), as pop-core, Terraform and the Tea clients with
 * `signatureAlgorithm: 'v2'` build it (`getRPCSignature` in `@alicloud/openapi-core` src/utils.ts,
 * `@alicloud/pop-core` lib/rpc.js; https://www.alibabacloud.com/help/en/sdk/product-overview/rpc-mechanism).
 * The server always signs decoded values, never raw bytes.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { percentEncode, sortedKeys } from './encode.js';

/** The v1 string to sign over every parameter (query and body) except `Signature`. */
export function v1StringToSign(method: string, params: Record<string, string>): string {
  const canonical = sortedKeys(params)
    .filter((k) => k !== 'Signature')
    .map((k) => `${percentEncode(k)}=${percentEncode(params[k] ?? '')}`)
    .join('&');
  return `${method.toUpperCase()}&${percentEncode('/')}&${percentEncode(canonical)}`;
}

/** Base64(HMAC-SHA1(secret + "&", stringToSign)). */
export function v1Sign(stringToSign: string, secret: string): string {
  return createHmac('sha1', `${secret}&`).update(stringToSign, 'utf8').digest('base64');
}

/** Constant-time comparison of two signature strings. */
export function signaturesEqual(a: string, b: string): boolean {
  const ba = Buffer.from(a, 'utf8');
  const bb = Buffer.from(b, 'utf8');
  return ba.length === bb.length && timingSafeEqual(ba, bb);
}
