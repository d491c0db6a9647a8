/**
 * One info line per SLS and admin request, like the RPC gateway's `request` line: what was asked, by whom
 * (the peer), the status and, for errors, the code, so "why did my call fail" is answered from the log.
 */
import type { Logger } from '../logger.js';
import type { RawResponse } from '../protocol/request.js';

export interface RequestFacts {
  method: string;
  url: string;
  host?: string | undefined;
  remoteAddress?: string | undefined;
  startedMs: number;
}

/** The error code of an SLS (`errorCode`) or admin (`error`) JSON error body. */
function errorCodeOf(reply: RawResponse): string | undefined {
  if (reply.status < 400) return undefined;
  try {
    const body = JSON.parse(reply.body) as { errorCode?: unknown; error?: unknown };
    const code = body.errorCode ?? body.error;
    return typeof code === 'string' ? code : undefined;
  } catch {
    return undefined;
  }
}

export function logHttpRequest(
  logger: Logger,
  kind: 'sls request' | 'admin request',
  req: RequestFacts,
  reply: RawResponse,
): void {
  if (!logger.enabled('info')) return;
  const [path, query] = req.url.split('?');
  const requestId = reply.headers['x-log-requestid'];
  logger.info(kind, {
    method: req.method,
    path,
    // GetLogs' query string is the search: useful, and it carries no secret (signatures are in headers).
    ...(query && kind === 'sls request' ? { query: decodeURIComponent(query.replace(/\+/g, ' ')) } : {}),
    ...(kind === 'sls request' && req.host ? { host: req.host } : {}),
    ...(requestId ? { requestId } : {}),
    peer: req.remoteAddress,
    status: reply.status,
    ...(errorCodeOf(reply) ? { code: errorCodeOf(reply) } : {}),
    ms: Math.round((performance.now() - req.startedMs) * 10) / 10,
  });
}
