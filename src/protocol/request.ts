/**
 * The transport-neutral view of one HTTP request and response, so the gateway can be driven in process
 * (tests, benchmarks) or from node:http alike.
 */
import { ApiError, ERROR_CATALOG } from './errors.js';

export interface RawRequest {
  method: string;
  /** Path and query as received, e.g. `/?Action=...`. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** The peer address (`socket.remoteAddress`), for the `acs:SourceIp` condition key. */
  remoteAddress?: string | undefined;
  /** True when the request arrived over TLS. */
  secure?: boolean | undefined;
  /**
   * Aborted when the client goes away before the answer is written (its connection closed): work done
   * only for this answer, such as a GetLogs query, stops there.
   */
  signal?: AbortSignal | undefined;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface RequestLimits {
  maxParameters: number;
  maxValueBytes: number;
}

export const DEFAULT_LIMITS: RequestLimits = { maxParameters: 1000, maxValueBytes: 64 * 1024 };

/** Reads one header as a single string (first value of a repeated header). */
export function headerOf(headers: RawRequest['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export interface ParsedParams {
  path: string;
  /** Decoded query parameters (signed by v3 as the canonical query). */
  query: Record<string, string>;
  /** Query and form body merged; the body wins on a clash. */
  all: Record<string, string>;
}

/**
 * Splits the URL and form body into decoded parameters. `+` decodes to a space in both, as the
 * form encoding defines and Go's url.Values (Terraform) sends; the SDKs encode a literal `+` as %2B.
 */
export function parseParams(req: RawRequest, limits: RequestLimits): ParsedParams {
  const q = req.url.indexOf('?');
  const path = q < 0 ? req.url : req.url.slice(0, q);
  const query = decodeForm(q < 0 ? '' : req.url.slice(q + 1), limits);
  const all = { ...query };
  const contentType = headerOf(req.headers, 'content-type') ?? '';
  if (req.body.length > 0 && contentType.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    Object.assign(all, decodeForm(req.body.toString('utf8'), limits));
  }
  if (Object.keys(all).length > limits.maxParameters) {
    throw new ApiError(ERROR_CATALOG.TooManyParameters, { limit: limits.maxParameters });
  }
  return { path, query, all };
}

function decodeForm(text: string, limits: RequestLimits): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  if (!text) return out;
  let count = 0;
  for (const [key, value] of new URLSearchParams(text)) {
    if (++count > limits.maxParameters) {
      throw new ApiError(ERROR_CATALOG.TooManyParameters, { limit: limits.maxParameters });
    }
    if (Buffer.byteLength(value) > limits.maxValueBytes) {
      throw new ApiError(ERROR_CATALOG.ParameterValueTooLong, { name: key, limit: limits.maxValueBytes });
    }
    out[key] = value;
  }
  return out;
}
