/**
 * RPC (Vpc 2016-04-28, Ecs 2014-05-26) calls signed in the browser with signature v1 (HMAC-SHA1), exactly
 * as pop-core builds it (src/protocol/signature-v1.ts is what the server verifies): every parameter but
 * `Signature`, keys sorted, `k=v` percent-encoded, joined with `&`, then `POST&%2F&` + percentEncode of that.
 * The parameters travel in a form body, so nothing of the request (not even the signature) is in a URL.
 */
import { ApiError } from './api-error.js';
import { base64, bytes, hmac, percentEncode } from './crypto.js';

export interface Credentials {
  accessKeyId: string;
  accessKeySecret: string;
}

export const PRODUCTS = { Vpc: '2016-04-28', Ecs: '2014-05-26' } as const;
export type ProductCode = keyof typeof PRODUCTS;

export type RpcParams = Record<string, string | number | undefined>;

export interface RpcOptions {
  /** Server base URL; empty for the page's own origin. */
  baseUrl?: string;
  fetch?: typeof fetch;
}

function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The signed form body of one call. Exported for the signing tests. */
export async function signRpc(
  credentials: Credentials,
  product: ProductCode,
  action: string,
  params: RpcParams,
  now = new Date(),
): Promise<string> {
  const all: Record<string, string> = {
    Action: action,
    Version: PRODUCTS[product],
    Format: 'JSON',
    AccessKeyId: credentials.accessKeyId,
    SignatureMethod: 'HMAC-SHA1',
    SignatureVersion: '1.0',
    SignatureNonce: crypto.randomUUID(),
    Timestamp: isoSeconds(now),
  };
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') all[key] = String(value);
  }
  const canonical = Object.keys(all)
    .sort()
    .map((k) => `${percentEncode(k)}=${percentEncode(all[k] ?? '')}`)
    .join('&');
  const stringToSign = `POST&${percentEncode('/')}&${percentEncode(canonical)}`;
  const signature = base64(await hmac('SHA-1', bytes(`${credentials.accessKeySecret}&`), stringToSign));
  return `${canonical}&Signature=${percentEncode(signature)}`;
}

export async function callRpc<T>(
  credentials: Credentials,
  product: ProductCode,
  action: string,
  params: RpcParams = {},
  options: RpcOptions = {},
): Promise<T> {
  const body = await signRpc(credentials, product, action, params);
  const res = await (options.fetch ?? fetch)(`${options.baseUrl ?? ''}/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body,
  });
  const text = await res.text();
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new ApiError('InvalidResponse', `The server answered HTTP ${res.status} with no JSON.`, res.status);
  }
  if (!res.ok) {
    throw new ApiError(
      String(json['Code'] ?? `HTTP${res.status}`),
      String(json['Message'] ?? 'The request failed.'),
      res.status,
      typeof json['RequestId'] === 'string' ? json['RequestId'] : undefined,
    );
  }
  return json as T;
}
