/**
 * Types shared by the SLS v1 and v4 signature verifiers (sls-signature-v1.ts, sls-signature-v4.ts) and the
 * dispatcher in sls-auth.ts.
 */

/** One SLS request as the verifiers see it: a plain description, independent of the HTTP server. */
export interface SlsRequestDescription {
  /** Upper-case HTTP method. */
  method: string;
  /** URL path without the query string, as received (see `parseSlsUrl` in sls-request.ts). */
  path: string;
  /** Query parameters, percent-decoded, from the raw URL. */
  query: Record<string, string>;
  /** Request headers with lower-case names. */
  headers: Record<string, string>;
  /** The body bytes exactly as received (compressed ones stay compressed: SLS hashes the wire bytes). */
  body: Buffer;
}

/** Returns the AccessKeySecret of an AccessKeyId, or undefined when the id is unknown. */
export type SlsSecretLookup = (accessKeyId: string) => string | undefined;

export interface SlsVerifyOptions {
  lookupSecret: SlsSecretLookup;
  /** The server clock; defaults to now. Tests pass the capture time to replay fixtures. */
  now?: Date;
  /** Largest accepted distance between the request time and `now`; SLS allows 15 minutes. */
  maxSkewMs?: number;
}

/** SLS rejects requests whose time is more than 15 minutes away from its clock (SLS error-code reference). */
export const SLS_MAX_SKEW_MS = 15 * 60 * 1000;

export type SlsSignatureVersion = 'v1' | 'v4';

export type SlsAuthFailure =
  | { kind: 'missing-authorization' }
  | { kind: 'malformed-authorization'; authorization: string; detail: string }
  | { kind: 'unsupported-signature-method'; method: string }
  | { kind: 'missing-date'; header: string }
  | { kind: 'invalid-date'; header: string; value: string }
  | { kind: 'request-time-expired'; requestTime: Date; serverTime: Date }
  | { kind: 'unknown-access-key'; accessKeyId: string }
  | { kind: 'content-md5-mismatch'; received: string; computed: string }
  | { kind: 'content-sha256-mismatch'; received: string; computed: string }
  | {
      kind: 'signature-mismatch';
      version: SlsSignatureVersion;
      accessKeyId: string;
      /** The signature the client sent. */
      signature: string;
      /** What the server signed (the SDK-standard form), for logs and debugging. */
      stringToSign: string;
      /** v4 only: the canonical request hashed into the string to sign. */
      canonicalRequest?: string;
    };

export interface SlsAuthSuccess {
  ok: true;
  version: SlsSignatureVersion;
  accessKeyId: string;
  /** v1: `hmac-sha1` or `hmac-sha256`; v4: `SLS4-HMAC-SHA256`. */
  algorithm: string;
  /** v4 only: the region of the credential scope. */
  region?: string;
}

export type SlsAuthResult = SlsAuthSuccess | { ok: false; failure: SlsAuthFailure };
