/**
 * Recognising an SLS request, reading the project from its Host, splitting its URL, and the route table of
 * the SLS operations the emulator serves. Wire facts behind each route are in README.md (same folder).
 */

/** An SLS client marks every request with `x-log-apiversion` and signs with `LOG ` (v1) or `SLS4-HMAC-SHA256` (v4). */
export function isSlsRequest(headers: Record<string, string | string[] | undefined>): boolean {
  if (headers['x-log-apiversion'] !== undefined) return true;
  const authorization = headers['authorization'];
  return (
    typeof authorization === 'string' &&
    (authorization.startsWith('LOG ') || authorization.startsWith('SLS4-HMAC-SHA256 '))
  );
}

/** SLS project names: 3-63 characters, lower-case letters, digits and `-`, starting and ending with a letter or digit. */
export const SLS_PROJECT_NAME = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;

/** SLS logstore names: 3-63 characters, lower-case letters, digits, `-` and `_`, starting and ending with a letter or digit. */
export const SLS_LOGSTORE_NAME = /^[a-z0-9][a-z0-9_-]{1,61}[a-z0-9]$/;

export function isValidSlsProjectName(name: string): boolean {
  return SLS_PROJECT_NAME.test(name);
}

export function isValidSlsLogstoreName(name: string): boolean {
  return SLS_LOGSTORE_NAME.test(name);
}

export interface SlsHostOptions {
  /**
   * Extra endpoint host names (no port) the server answers as, besides `localhost` and IP addresses,
   * e.g. `sls.example.internal`: then `p.sls.example.internal` is project `p`.
   */
  endpoints?: readonly string[];
  /**
   * Region ids that may appear as the only label before `localhost` (`cn-hangzhou.localhost` = the bare
   * endpoint of that region, not project `cn-hangzhou`).
   */
  regions?: readonly string[];
}

export type SlsHostParse =
  | {
      ok: true;
      /** Undefined for the bare endpoint (CreateProject, ListProject). */
      project: string | undefined;
      /** From `{project}.{region}.localhost`, when given. */
      region: string | undefined;
      /** The endpoint part: the host name without the project label and without the port. */
      endpoint: string;
    }
  | { ok: false; reason: 'missing-host' | 'invalid-project' | 'unknown-host'; host: string };

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function stripPort(host: string): string {
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    return end === -1 ? host : host.slice(0, end + 1);
  }
  const colon = host.lastIndexOf(':');
  return colon === -1 ? host : host.slice(0, colon);
}

/**
 * Reads the project from a Host header. The SDKs build `{project}.{endpoint}` from the configured endpoint
 * (gateway-sls `getHost`), so with endpoint `127.0.0.1:PORT` the host is `{project}.127.0.0.1:PORT` and with
 * `localhost:PORT` it is `{project}.localhost:PORT`; without a project it is the endpoint itself.
 */
export function parseSlsHost(hostHeader: string | undefined, options: SlsHostOptions = {}): SlsHostParse {
  if (hostHeader === undefined || hostHeader.trim() === '') {
    return { ok: false, reason: 'missing-host', host: hostHeader ?? '' };
  }
  const host = stripPort(hostHeader.trim()).toLowerCase().replace(/\.$/, '');
  const withProject = (prefix: string, endpoint: string, region?: string): SlsHostParse =>
    isValidSlsProjectName(prefix)
      ? { ok: true, project: prefix, region, endpoint }
      : { ok: false, reason: 'invalid-project', host: hostHeader };

  // IP endpoints: bare `a.b.c.d` / `[v6]`, or `{project}.a.b.c.d`.
  if (host.startsWith('[') || IPV4.test(host))
    return { ok: true, project: undefined, region: undefined, endpoint: host };
  const labels = host.split('.');
  if (labels.length >= 5 && IPV4.test(labels.slice(-4).join('.'))) {
    return labels.length === 5
      ? withProject(labels[0] ?? '', labels.slice(1).join('.'))
      : { ok: false, reason: 'invalid-project', host: hostHeader };
  }

  for (const endpoint of options.endpoints ?? []) {
    const base = endpoint.toLowerCase();
    if (host === base) return { ok: true, project: undefined, region: undefined, endpoint: base };
    if (host.endsWith(`.${base}`)) {
      const prefix = host.slice(0, -(base.length + 1));
      return prefix.includes('.')
        ? { ok: false, reason: 'invalid-project', host: hostHeader }
        : withProject(prefix, base);
    }
  }

  if (labels[labels.length - 1] === 'localhost') {
    const before = labels.slice(0, -1);
    if (before.length === 0) return { ok: true, project: undefined, region: undefined, endpoint: host };
    if (before.length === 1) {
      const only = before[0] ?? '';
      if (options.regions?.includes(only))
        return { ok: true, project: undefined, region: only, endpoint: host };
      return withProject(only, 'localhost');
    }
    if (before.length === 2) {
      const region = before[1] ?? '';
      return withProject(before[0] ?? '', `${region}.localhost`, region);
    }
    return { ok: false, reason: 'invalid-project', host: hostHeader };
  }
  return { ok: false, reason: 'unknown-host', host: hostHeader };
}

/**
 * The header a same-origin browser client (vpcflow's console) names the project with: a page cannot set
 * `Host`, and `{project}.localhost` is another origin. A vpcflow extension, not an SLS one. Its `x-log-`
 * prefix puts it under both signatures (v1 and v4 sign every `x-log-*` header), so a captured request cannot
 * be replayed against another project. Honoured only when the Host names no project; a Host that names one
 * and a header that names another is `invalid-project`.
 */
export const SLS_PROJECT_HEADER = 'x-log-project';

/** Applies `x-log-project` (SLS_PROJECT_HEADER) to a parsed Host; see there. */
export function withSlsProjectHeader(host: SlsHostParse, header: string | undefined): SlsHostParse {
  if (!host.ok || header === undefined) return host;
  const project = header.trim();
  if (!isValidSlsProjectName(project) || (host.project !== undefined && host.project !== project))
    return { ok: false, reason: 'invalid-project', host: header };
  return { ...host, project };
}

function decodeComponent(value: string): string {
  // `+` is a space in query strings (the Java SDK encodes spaces so); the Node clients send `%20` and `%2B`.
  const spaced = value.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}

/** Splits a raw request URL (`req.url`) into the path as sent and the decoded query (first value wins). */
export function parseSlsUrl(rawUrl: string): { path: string; query: Record<string, string> } {
  const mark = rawUrl.indexOf('?');
  const rawPath = mark === -1 ? rawUrl : rawUrl.slice(0, mark);
  const query: Record<string, string> = {};
  if (mark !== -1) {
    for (const part of rawUrl.slice(mark + 1).split('&')) {
      if (part === '') continue; // `@alicloud/log` sends `/?` with nothing after it
      const eq = part.indexOf('=');
      const key = decodeComponent(eq === -1 ? part : part.slice(0, eq));
      const value = eq === -1 ? '' : decodeComponent(part.slice(eq + 1));
      if (!(key in query)) query[key] = value;
    }
  }
  return { path: rawPath === '' ? '/' : rawPath, query };
}

export type SlsOperation =
  | 'CreateProject'
  | 'GetProject'
  | 'ListProject'
  | 'DeleteProject'
  | 'CreateLogStore'
  | 'GetLogStore'
  | 'ListLogStores'
  | 'UpdateLogStore'
  | 'DeleteLogStore'
  | 'GetLogs'
  | 'GetLogsV2';

export interface SlsRoute {
  operation: SlsOperation;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path pattern; `{name}` matches one non-empty segment. */
  path: string;
  /** Query parameters that must have exactly this value (`type=log` for GetLogs). */
  queryEquals?: Readonly<Record<string, string>>;
  /** Query parameters that must be absent (GetLogStore has no `type`). */
  queryAbsent?: readonly string[];
  /** `required`: the Host names a project; `none`: the bare endpoint; `optional`: either (CreateProject). */
  project: 'required' | 'none' | 'optional';
  /** Request body the SDKs send. */
  requestBody: 'none' | 'json';
  /** What the SDK parses: `json` object, `array` (GetLogs) or `none` (body ignored, any 2xx). */
  responseBody: 'none' | 'json' | 'array';
}

/**
 * The operations served. Order matters only between routes with the same method and path: the first whose
 * query and project conditions hold wins.
 */
export const SLS_ROUTES: readonly SlsRoute[] = [
  {
    operation: 'CreateProject',
    method: 'POST',
    path: '/',
    project: 'optional',
    requestBody: 'json',
    responseBody: 'none',
  },
  {
    operation: 'GetProject',
    method: 'GET',
    path: '/',
    project: 'required',
    requestBody: 'none',
    responseBody: 'json',
  },
  {
    operation: 'ListProject',
    method: 'GET',
    path: '/',
    project: 'none',
    requestBody: 'none',
    responseBody: 'json',
  },
  {
    operation: 'DeleteProject',
    method: 'DELETE',
    path: '/',
    project: 'required',
    requestBody: 'none',
    responseBody: 'none',
  },
  {
    operation: 'CreateLogStore',
    method: 'POST',
    path: '/logstores',
    project: 'required',
    requestBody: 'json',
    responseBody: 'none',
  },
  {
    operation: 'ListLogStores',
    method: 'GET',
    path: '/logstores',
    project: 'required',
    requestBody: 'none',
    responseBody: 'json',
  },
  {
    operation: 'GetLogs',
    method: 'GET',
    path: '/logstores/{logstore}',
    queryEquals: { type: 'log' },
    project: 'required',
    requestBody: 'none',
    responseBody: 'array',
  },
  {
    operation: 'GetLogStore',
    method: 'GET',
    path: '/logstores/{logstore}',
    queryAbsent: ['type'],
    project: 'required',
    requestBody: 'none',
    responseBody: 'json',
  },
  {
    operation: 'UpdateLogStore',
    method: 'PUT',
    path: '/logstores/{logstore}',
    project: 'required',
    requestBody: 'json',
    responseBody: 'none',
  },
  {
    operation: 'DeleteLogStore',
    method: 'DELETE',
    path: '/logstores/{logstore}',
    project: 'required',
    requestBody: 'none',
    responseBody: 'none',
  },
  {
    operation: 'GetLogsV2',
    method: 'POST',
    path: '/logstores/{logstore}/logs',
    project: 'required',
    requestBody: 'json',
    responseBody: 'json',
  },
];

export interface SlsRouteMatch {
  operation: SlsOperation;
  /** Decoded path parameters, e.g. `{ logstore: 'ls1' }`. */
  params: Record<string, string>;
  route: SlsRoute;
}

function matchPath(pattern: string, path: string): Record<string, string> | undefined {
  const want = pattern.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i] ?? '';
    const g = got[i] ?? '';
    if (w.startsWith('{') && w.endsWith('}')) {
      if (g === '') return undefined;
      params[w.slice(1, -1)] = decodeComponent(g);
    } else if (w !== g) {
      return undefined;
    }
  }
  return params;
}

/**
 * Finds the operation of a request. `project` is the project from the Host (parseSlsHost); when it is not
 * passed (`undefined` argument omitted), only the project requirement is ignored, so `GET /` resolves to
 * GetProject. Pass `null` for "Host has no project" to get ListProject. Returns undefined when nothing matches
 * (the server answers InvalidMethod) — including a route whose project condition fails.
 */
export function matchSlsRoute(
  method: string,
  path: string,
  query: Record<string, string>,
  project?: string | null,
): SlsRouteMatch | undefined {
  const upper = method.toUpperCase();
  for (const route of SLS_ROUTES) {
    if (route.method !== upper) continue;
    const params = matchPath(route.path, path);
    if (params === undefined) continue;
    if (route.queryEquals && Object.entries(route.queryEquals).some(([k, v]) => query[k] !== v)) continue;
    if (route.queryAbsent?.some((k) => k in query)) continue;
    if (project !== undefined) {
      const hasProject = project !== null && project !== '';
      if (route.project === 'required' && !hasProject) continue;
      if (route.project === 'none' && hasProject) continue;
    }
    return { operation: route.operation, params, route };
  }
  return undefined;
}
