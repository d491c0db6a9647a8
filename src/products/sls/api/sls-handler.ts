/**
 * The SLS endpoint: one function from a raw HTTP request to a raw response. Flow (README.md in
 * src/protocol/sls): Host → project (and region), URL → path and query, signature verified with the RPC
 * API's AccessKeys, route matched to an operation of the registry (sls-operations.ts, the only way to
 * one), flow control, its parameter specs validated, RAM asked for its declared action and ARN, its
 * handler run with the typed parameters; every failure is rendered in SLS's error envelope with an
 * `x-log-requestid`, never thrown to the HTTP server.
 */
import { QueryInterrupted } from '../../../store/records/record-store.js';
import { isTemporaryFailure } from '../../../protocol/errors.js';
import { headerOf, type RawRequest, type RawResponse } from '../../../protocol/request.js';
import {
  parseSlsHost,
  parseSlsUrl,
  matchSlsRoute,
  SLS_PROJECT_HEADER,
  withSlsProjectHeader,
} from '../../../protocol/sls/sls-request.js';
import { newSlsRequestId, renderSlsError, slsError, SlsError } from '../../../protocol/sls/sls-errors.js';
import { validateSlsParams } from '../../../protocol/sls/sls-params.js';
import { REGIONS, regionExists } from '../../regions/region-catalog.js';
import { requestOrigin } from '../../../protocol/authorize.js';
import { authenticateSls } from './sls-authenticate.js';
import { DEFAULT_SLS_REGION, type SlsCall, type SlsDeps } from './sls-context.js';
import { resourceScope } from './region-resolve.js';
import { SLS_REGISTRY } from './sls-operations.js';

const REGION_IDS = REGIONS.map((r) => r.id);

function flatHeaders(headers: RawRequest['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

export async function handleSlsRequest(raw: RawRequest, deps: SlsDeps): Promise<RawResponse> {
  const nowMs = (deps.now ?? Date.now)();
  const requestId = newSlsRequestId(new Date(nowMs));
  try {
    return await dispatch(raw, deps, requestId, nowMs);
  } catch (err) {
    if (err instanceof SlsError) return renderSlsError(err, { requestId });
    if (err instanceof QueryInterrupted && raw.signal?.aborted) {
      // The client went away and its query was stopped: nobody reads this answer; the log says why.
      const ms = Math.round((deps.now ?? Date.now)() - nowMs);
      deps.logger?.info('SLS query stopped: the client closed the connection', { url: raw.url, ms });
      return renderSlsError(slsError('RequestTimeout', { ms }), { requestId });
    }
    if (isTemporaryFailure(err)) {
      deps.logger?.warn('SLS request failed: store unavailable', { error: String(err), url: raw.url });
      return renderSlsError(slsError('ServerBusy'), { requestId });
    }
    deps.logger?.error('SLS request failed', { error: String(err), url: raw.url });
    return renderSlsError(slsError('InternalServerError', { detail: 'internal server error' }), {
      requestId,
    });
  }
}

async function dispatch(
  raw: RawRequest,
  deps: SlsDeps,
  requestId: string,
  nowMs: number,
): Promise<RawResponse> {
  const host = withSlsProjectHeader(
    parseSlsHost(headerOf(raw.headers, 'host'), { regions: REGION_IDS }),
    headerOf(raw.headers, SLS_PROJECT_HEADER),
  );
  if (!host.ok) throw slsError('InvalidHost', { host: host.host });
  if (host.region !== undefined && !regionExists(host.region))
    throw slsError('InvalidHost', { host: host.endpoint });

  const { path, query } = parseSlsUrl(raw.url);
  const method = raw.method.toUpperCase();
  const headers = flatHeaders(raw.headers);
  const auth = await authenticateSls(
    { method, path, query, headers, body: raw.body },
    deps.lookupAccessKey,
    new Date(nowMs),
  );
  if (!auth.ok) {
    if (auth.detail !== undefined)
      deps.logger?.debug('SLS signature mismatch', { stringToSign: auth.detail });
    throw auth.error;
  }

  const match = matchSlsRoute(method, path, query, host.project ?? null);
  const op = match && SLS_REGISTRY.find(match.operation);
  if (!op) throw slsError('InvalidMethod', { path });
  if (deps.throttle && deps.throttle.take(`${auth.key.accountId}\n${op.name}`) > 0) {
    throw op.access === 'read'
      ? slsError('ReadQuotaExceed')
      : slsError('WriteQuotaExceed', { qps: deps.throttle.rps });
  }
  const call: SlsCall = {
    deps: { ...deps, now: deps.now ?? Date.now, defaultRegion: deps.defaultRegion ?? DEFAULT_SLS_REGION },
    requestId,
    accountId: auth.key.accountId,
    hostRegion: host.region,
    signal: raw.signal,
  };
  // As on the RPC gateway: parameters are validated before RAM is asked (the ARN is built from them).
  const params = validateSlsParams(op.params, {
    hostProject: host.project,
    path: match.params,
    query,
    headers,
    body: raw.body,
  });
  if (deps.authorizer && auth.key.principalType !== 'account') {
    const { action } = op.authorization;
    const resource = await op.authorization.resource(params, resourceScope(call));
    const caller = {
      accountId: auth.key.accountId,
      accessKeyId: auth.key.accessKeyId,
      principalType: auth.key.principalType,
      securityToken: headers['x-acs-security-token'],
    };
    const now = call.deps.now();
    const origin = requestOrigin(raw);
    const result = await deps.authorizer.authorize({ caller, action, resources: [resource], origin, now });
    if (!result.allowed) throw slsError('UnauthorizedDenied', { action, resource });
  }
  return op.handle(call, params);
}

/** The handler the HTTP server calls for requests `isSlsRequest` recognises. */
export function createSlsHandler(deps: SlsDeps): (req: RawRequest) => Promise<RawResponse> {
  return (req) => handleSlsRequest(req, deps);
}
