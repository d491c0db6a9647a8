/**
 * Declarative request-parameter specs for the SLS endpoint, the SLS counterpart of src/protocol/params.ts.
 * An SLS request carries its parameters in five places: the project in the Host (or `x-log-project`),
 * path segments (`/logstores/{logstore}`), the query string, headers, and a JSON object body. An operation
 * declares each parameter's place, type, range and error; `validateSlsParams` reads them into a typed
 * object before the handler runs, or throws the SLS error (README.md in this folder, "Errors").
 *
 * Wording (the live service's, README.md "Errors"): a bad value is `ParameterInvalid`
 * `{name} : {value} pair is invalid` unless the spec names its own error (`invalid`); a body that is not
 * a JSON object is `PostBodyInvalid`.
 */
import { slsError, type SlsError } from './sls-errors.js';

/** Where a parameter is read: the Host's project, a path segment, the query string, a header, the JSON body. */
export type SlsParamSource = 'host' | 'path' | 'query' | 'header' | 'body';

interface SlsBaseSpec {
  /** One place, or several tried in order (the first that has a value wins). */
  in: SlsParamSource | readonly SlsParamSource[];
  required?: boolean;
  /**
   * The error for a bad value (and for a missing required one, given ''); the pair error by default.
   * A string parameter sent as another JSON type is always the pair error.
   */
  invalid?: (value: unknown) => SlsError;
}

export interface SlsStringSpec extends SlsBaseSpec {
  type: 'string';
  pattern?: RegExp;
  default?: string;
}

export interface SlsIntegerSpec extends SlsBaseSpec {
  type: 'integer';
  min?: number;
  max?: number;
  /** Values above are lowered to it, not refused (GetLogs `line`). */
  clampTo?: number;
  /** Must not be below this (earlier-declared) parameter; else the pair error. */
  notBelow?: string;
  default?: number;
}

export interface SlsBooleanSpec extends SlsBaseSpec {
  type: 'boolean';
  default?: boolean;
}

export type SlsParamSpec = SlsStringSpec | SlsIntegerSpec | SlsBooleanSpec;
export type SlsParamSpecs = Record<string, SlsParamSpec>;

type ValueOf<S> = S extends SlsStringSpec ? string : S extends SlsIntegerSpec ? number : boolean;
type Present<S> = S extends { default: unknown } ? true : S extends { required: true } ? true : false;

/** The typed object a spec validates into: parameters with a default or `required` are always present. */
export type SlsParamsOf<P extends SlsParamSpecs> = {
  [K in keyof P as Present<P[K]> extends true ? K : never]: ValueOf<P[K]>;
} & {
  [K in keyof P as Present<P[K]> extends true ? never : K]?: ValueOf<P[K]>;
};

/** What a request offers the specs: header names lower-case, path parameters decoded. */
export interface SlsRequestParts {
  /** The project named by the Host (or `x-log-project`); undefined on the bare endpoint. */
  hostProject: string | undefined;
  path: Readonly<Record<string, string>>;
  query: Readonly<Record<string, string>>;
  headers: Readonly<Record<string, string>>;
  body: Buffer;
}

/** SLS's wording for a bad parameter value, e.g. `offset : -1 pair is invalid` (README.md in this folder). */
export function invalidPair(name: string, value: unknown): SlsError {
  return slsError('ParameterInvalid', { detail: `${name} : ${String(value)} pair is invalid` });
}

/** The JSON object body, or PostBodyInvalid. An empty body is an empty object. */
export function jsonBody(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    throw slsError('PostBodyInvalid');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw slsError('PostBodyInvalid');
  return value as Record<string, unknown>;
}

function sourcesOf(spec: SlsParamSpec): readonly SlsParamSource[] {
  return typeof spec.in === 'string' ? [spec.in] : spec.in;
}

/** Whether any spec reads the body (only then is it parsed, and a malformed one refused). */
export function readsBody(specs: SlsParamSpecs): boolean {
  return Object.values(specs).some((s) => sourcesOf(s).includes('body'));
}

// Absent: not sent, JSON null, or empty (`@alicloud/log` sends `offset=` for an unset option).
const isAbsent = (v: unknown): boolean => v === undefined || v === null || v === '';

/** Validates the request against `specs`, in declaration order (the first bad parameter is reported). */
export function validateSlsParams<P extends SlsParamSpecs>(specs: P, req: SlsRequestParts): SlsParamsOf<P> {
  const body = readsBody(specs) ? jsonBody(req.body) : {};
  const lookup = (name: string, source: SlsParamSource): unknown => {
    switch (source) {
      case 'host':
        return req.hostProject;
      case 'path':
        return req.path[name];
      case 'query':
        return req.query[name];
      case 'header':
        return req.headers[name.toLowerCase()];
      case 'body':
        return body[name];
    }
  };
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(specs)) {
    let raw: unknown;
    for (const source of sourcesOf(spec)) {
      raw = lookup(name, source);
      if (!isAbsent(raw)) break;
    }
    const value = readValue(name, spec, raw);
    if (spec.type === 'integer' && spec.notBelow !== undefined && value !== undefined) {
      const floor = out[spec.notBelow];
      if (typeof floor === 'number' && (value as number) < floor) throw invalidPair(name, raw);
    }
    if (value !== undefined) out[name] = value;
  }
  return out as SlsParamsOf<P>;
}

function readValue(name: string, spec: SlsParamSpec, raw: unknown): string | number | boolean | undefined {
  const bad = () => (spec.invalid ? spec.invalid(raw) : invalidPair(name, raw));
  if (isAbsent(raw)) {
    if (spec.required) throw spec.invalid ? spec.invalid('') : invalidPair(name, '');
    return spec.default;
  }
  switch (spec.type) {
    case 'string':
      if (typeof raw !== 'string') throw invalidPair(name, raw);
      if (spec.pattern && !spec.pattern.test(raw)) throw bad();
      return raw;
    case 'integer': {
      // A JSON number, or decimal digits (query strings and headers are text; some clients quote numbers).
      const n =
        typeof raw === 'number'
          ? raw
          : typeof raw === 'string' && /^-?\d+$/.test(raw.trim())
            ? Number(raw)
            : NaN;
      if (!Number.isSafeInteger(n)) throw bad();
      if ((spec.min !== undefined && n < spec.min) || (spec.max !== undefined && n > spec.max)) throw bad();
      return spec.clampTo !== undefined ? Math.min(n, spec.clampTo) : n;
    }
    case 'boolean':
      if (raw === true || raw === 'true') return true;
      if (raw === false || raw === 'false') return false;
      throw bad();
  }
}
