/**
 * SLS GetLogs signed in the browser with signature v4 (SLS4-HMAC-SHA256), as @alicloud/gateway-sls builds it
 * (src/protocol/sls/sls-signature-v4.ts is what the server verifies). Not v1: v1 signs the `Date` header,
 * which a page may not set. The project goes in `x-log-project` (signed, like every `x-log-*` header)
 * instead of the `{project}.` host prefix, which would be another origin; see docs/sls-api.md.
 */
import { ApiError } from './api-error.js';
import { bytes, hex, hmac, percentEncode, sha256Hex } from './crypto.js';
import type { Credentials } from './rpc.js';

export interface SlsTarget {
  project: string;
  logstore: string;
  /** The project's region: the v4 credential scope names it. */
  region: string;
}

export interface GetLogsQuery {
  /** Unix seconds, [from, to). */
  from: number;
  to: number;
  query: string;
  line?: number;
  offset?: number;
  reverse?: boolean;
}

export interface SlsOptions {
  /** Server base URL; empty for the page's own origin. */
  baseUrl?: string;
  /** The `Host` the server will receive (the page's `location.host`). */
  host: string;
  fetch?: typeof fetch;
}

export interface GetLogsResult {
  rows: Record<string, string>[];
  /** `x-log-progress`: `Complete` or `Incomplete`. */
  progress: string;
}

function xLogDate(now: Date): string {
  return now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
}

/** The headers (Authorization included) of one signed GET. Exported for the signing tests. */
export async function signSlsGet(
  credentials: Credentials,
  target: Pick<SlsTarget, 'project' | 'region'>,
  path: string,
  query: Record<string, string>,
  host: string,
  now = new Date(),
): Promise<Record<string, string>> {
  const date = xLogDate(now);
  const day = date.slice(0, 8);
  const contentSha256 = await sha256Hex(new Uint8Array(0));
  const signed: Record<string, string> = {
    host,
    'x-log-apiversion': '0.6.0',
    'x-log-content-sha256': contentSha256,
    'x-log-date': date,
    'x-log-project': target.project,
  };
  const names = Object.keys(signed).sort();
  const canonicalQuery = Object.keys(query)
    .sort()
    .map((k) => (query[k] === '' ? k : `${k}=${percentEncode(query[k] ?? '')}`))
    .join('&');
  const canonicalRequest = [
    'GET',
    path,
    canonicalQuery,
    names.map((n) => `${n}:${(signed[n] ?? '').trim()}\n`).join(''),
    names.join(';'),
    contentSha256,
  ].join('\n');
  const scope = `${day}/${target.region}/sls/aliyun_v4_request`;
  const stringToSign = `SLS4-HMAC-SHA256\n${date}\n${scope}\n${await sha256Hex(bytes(canonicalRequest))}`;
  let key = bytes(`aliyun_v4${credentials.accessKeySecret}`);
  for (const part of [day, target.region, 'sls', 'aliyun_v4_request']) key = await hmac('SHA-256', key, part);
  const signature = hex(await hmac('SHA-256', key, stringToSign));
  const { host: _host, ...headers } = signed;
  return {
    ...headers,
    authorization: `SLS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope},Signature=${signature}`,
  };
}

export async function getLogs(
  credentials: Credentials,
  target: SlsTarget,
  q: GetLogsQuery,
  options: SlsOptions,
): Promise<GetLogsResult> {
  const path = `/logstores/${encodeURIComponent(target.logstore)}`;
  const query: Record<string, string> = {
    type: 'log',
    from: String(Math.floor(q.from)),
    to: String(Math.floor(q.to)),
    query: q.query,
    line: String(q.line ?? 100),
    offset: String(q.offset ?? 0),
    reverse: String(q.reverse ?? true),
  };
  const headers = await signSlsGet(credentials, target, path, query, options.host);
  const search = Object.keys(query)
    .map((k) => `${percentEncode(k)}=${percentEncode(query[k] ?? '')}`)
    .join('&');
  const res = await (options.fetch ?? fetch)(`${options.baseUrl ?? ''}${path}?${search}`, { headers });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ApiError('InvalidResponse', `The server answered HTTP ${res.status} with no JSON.`, res.status);
  }
  if (!res.ok || !Array.isArray(json)) {
    const body = (json ?? {}) as Record<string, unknown>;
    throw new ApiError(
      String(body['errorCode'] ?? `HTTP${res.status}`),
      String(body['errorMessage'] ?? 'The request failed.'),
      res.status,
      res.headers.get('x-log-requestid') ?? undefined,
    );
  }
  return { rows: json as Record<string, string>[], progress: res.headers.get('x-log-progress') ?? '' };
}
