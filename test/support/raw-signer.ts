/**
 * Signs requests by hand (v1 and v3), for the tests that need to send what no SDK sends: a wrong
 * signature, an old timestamp, a reused nonce, a missing part. Uses the algorithms of the V2 and V3 signature
 * pages (https://www.alibabacloud.com/help/en/sdk/product-overview/rpc-mechanism,
 * https://www.alibabacloud.com/help/en/sdk/product-overview/v3-request-structure-and-signature),
 * implemented here independently of src/protocol so a shared bug cannot hide.
 */
import { createHash, createHmac, randomUUID } from 'node:crypto';
import { DEV_ACCESS_KEY_ID, DEV_ACCESS_KEY_SECRET } from '../../src/products/identity/identity-service.js';

const enc = (s: string): string =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

export function isoSeconds(ms: number = Date.now()): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export interface V1Options {
  method?: 'GET' | 'POST';
  accessKeyId?: string;
  secret?: string;
  timestamp?: string;
  nonce?: string;
  /** Put the parameters in a form body (POST only). */
  form?: boolean;
  /** With `form`: common parameters in the query, business parameters in the body, as Terraform's tea-rpc sends. */
  commonInQuery?: boolean;
  /** Drop these common parameters after signing-field assembly. */
  omit?: string[];
  /** Replace the computed signature. */
  signature?: string;
}

/** Sends a v1-signed request; returns status, headers and the text body. */
export async function sendV1(
  url: string,
  params: Record<string, string>,
  opts: V1Options = {},
): Promise<{ status: number; headers: Headers; text: string; json: () => Record<string, unknown> }> {
  const method = opts.method ?? 'GET';
  const all: Record<string, string> = {
    Format: 'JSON',
    Version: '2016-04-28',
    AccessKeyId: opts.accessKeyId ?? DEV_ACCESS_KEY_ID,
    SignatureMethod: 'HMAC-SHA1',
    SignatureVersion: '1.0',
    SignatureNonce: opts.nonce ?? randomUUID(),
    Timestamp: opts.timestamp ?? isoSeconds(),
    ...params,
  };
  for (const k of opts.omit ?? []) delete all[k];
  const canonical = Object.keys(all)
    .sort()
    .map((k) => `${enc(k)}=${enc(all[k]!)}`)
    .join('&');
  const sts = `${method}&${enc('/')}&${enc(canonical)}`;
  const signature =
    opts.signature ??
    createHmac('sha1', `${opts.secret ?? DEV_ACCESS_KEY_SECRET}&`)
      .update(sts)
      .digest('base64');
  if (!opts.omit?.includes('Signature')) all['Signature'] = signature;
  const encode = (entries: [string, string][]): string =>
    entries.map(([k, v]) => `${enc(k)}=${enc(v)}`).join('&');
  const common = new Set([
    'Format',
    'Version',
    'AccessKeyId',
    'SignatureMethod',
    'SignatureVersion',
    'SignatureNonce',
    'Timestamp',
    'Signature',
    'Action',
  ]);
  const entries = Object.entries(all);
  let res: Response;
  if (opts.form && method === 'POST') {
    const inQuery = opts.commonInQuery ? entries.filter(([k]) => common.has(k)) : [];
    const inBody = opts.commonInQuery ? entries.filter(([k]) => !common.has(k)) : entries;
    res = await fetch(`${url}/${inQuery.length ? `?${encode(inQuery)}` : ''}`, {
      method,
      body: encode(inBody),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
  } else {
    res = await fetch(`${url}/?${encode(entries)}`, { method });
  }
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    text,
    json: () => JSON.parse(text) as Record<string, unknown>,
  };
}

export interface V3Options {
  action: string;
  version?: string;
  accessKeyId?: string;
  secret?: string;
  date?: string;
  nonce?: string;
  body?: string;
  contentType?: string;
  /** Claimed body hash; defaults to the real one. */
  contentSha256?: string;
  /** Replace the whole Authorization header. */
  authorization?: string;
  signature?: string;
  /** Sign only these headers (the request still carries all of them). */
  signedHeaders?: string[];
}

export async function sendV3(
  url: string,
  query: Record<string, string>,
  opts: V3Options,
): Promise<{ status: number; headers: Headers; text: string; json: () => Record<string, unknown> }> {
  const host = new URL(url).host;
  const body = opts.body ?? '';
  const headers: Record<string, string> = {
    host,
    'x-acs-action': opts.action,
    'x-acs-version': opts.version ?? '2016-04-28',
    'x-acs-date': opts.date ?? isoSeconds(),
    'x-acs-signature-nonce': opts.nonce ?? randomUUID().replace(/-/g, ''),
    'x-acs-content-sha256': opts.contentSha256 ?? createHash('sha256').update(body).digest('hex'),
  };
  if (opts.contentType) headers['content-type'] = opts.contentType;
  const names = (opts.signedHeaders ?? Object.keys(headers)).sort();
  const canonicalQuery = Object.keys(query)
    .sort()
    .map((k) => `${enc(k)}=${enc(query[k]!)}`)
    .join('&');
  const canonical = [
    'POST',
    '/',
    canonicalQuery,
    names.map((n) => `${n}:${headers[n]}\n`).join(''),
    names.join(';'),
    headers['x-acs-content-sha256'],
  ].join('\n');
  const sts = `ACS3-HMAC-SHA256\n${createHash('sha256').update(canonical).digest('hex')}`;
  const signature =
    opts.signature ??
    createHmac('sha256', opts.secret ?? DEV_ACCESS_KEY_SECRET)
      .update(sts)
      .digest('hex');
  const authorization =
    opts.authorization ??
    `ACS3-HMAC-SHA256 Credential=${opts.accessKeyId ?? DEV_ACCESS_KEY_ID},SignedHeaders=${names.join(';')},Signature=${signature}`;
  const qs = Object.entries(query)
    .map(([k, v]) => `${enc(k)}=${enc(v)}`)
    .join('&');
  const { host: _host, ...sendHeaders } = headers;
  const res = await fetch(`${url}/?${qs}`, {
    method: 'POST',
    headers: { ...sendHeaders, authorization, accept: 'application/json' },
    body: body || undefined,
  });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    text,
    json: () => JSON.parse(text) as Record<string, unknown>,
  };
}
