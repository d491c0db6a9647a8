/**
 * Declarative request-parameter specs, validated before any handler runs. An operation declares what it
 * accepts; this module turns the flat wire parameters (`Name`, `Name.N`, `Name.N.Field`) into a typed object
 * or throws the operation's error. Unknown parameters are ignored, as the real gateway does.
 */
import { ApiError, ERROR_CATALOG, type CatalogEntry } from './errors.js';

interface BaseSpec {
  required?: boolean;
  /** The error for a value that is present but wrong; defaults to the operation's. */
  invalid?: CatalogEntry;
}

export interface StringSpec extends BaseSpec {
  type: 'string';
  enum?: readonly string[];
  /** Match enum values ignoring case, and return the catalogue spelling. */
  enumIgnoreCase?: boolean;
  minLength?: number;
  maxLength?: number;
  pattern?: RegExp;
  /** Prefixes that are refused (case-insensitive), e.g. `http://`. */
  forbiddenPrefixes?: readonly string[];
  /** An empty value is a value (a tag value may be empty), not an absent parameter. */
  keepEmpty?: boolean;
  default?: string;
}

export interface IntegerSpec extends BaseSpec {
  type: 'integer';
  min?: number;
  max?: number;
  enum?: readonly number[];
  default?: number;
}

export interface BooleanSpec extends BaseSpec {
  type: 'boolean';
  default?: boolean;
}

export type ScalarSpec = StringSpec | IntegerSpec | BooleanSpec;

/** `Name.1`, `Name.2`, ... */
export interface ListSpec extends BaseSpec {
  type: 'list';
  item: ScalarSpec;
  maxItems?: number;
}

/** `Name.1.Key`, `Name.1.Value`, ... */
export interface ObjectListSpec extends BaseSpec {
  type: 'objectList';
  fields: Record<string, ScalarSpec>;
  maxItems?: number;
}

export type ParamSpec = ScalarSpec | ListSpec | ObjectListSpec;
export type ParamSpecs = Record<string, ParamSpec>;

type ScalarValue<S> = S extends StringSpec ? string : S extends IntegerSpec ? number : boolean;
type HasDefault<S> = S extends { default: unknown } ? true : S extends { required: true } ? true : false;
type SpecValue<S> = S extends ListSpec
  ? ScalarValue<S['item']>[]
  : S extends ObjectListSpec
    ? { [F in keyof S['fields']]?: ScalarValue<S['fields'][F]> }[]
    : ScalarValue<S>;

/** The typed object a spec validates into. Lists are always present (possibly empty). */
export type ParamsOf<P extends ParamSpecs> = {
  [
    K in keyof P as P[K] extends ListSpec | ObjectListSpec ? K : HasDefault<P[K]> extends true ? K : never
  ]: SpecValue<P[K]>;
} & {
  [
    K in keyof P as P[K] extends ListSpec | ObjectListSpec ? never : HasDefault<P[K]> extends true ? never : K
  ]?: SpecValue<P[K]>;
};

/** Validates `raw` against `specs`; `invalid` is the operation's error for a bad value. */
export function validateParams<P extends ParamSpecs>(
  specs: P,
  raw: Record<string, string>,
  invalid: CatalogEntry = ERROR_CATALOG.InvalidParameter,
): ParamsOf<P> {
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(specs)) {
    if (spec.type === 'list') out[name] = readList(name, spec, raw, invalid);
    else if (spec.type === 'objectList') out[name] = readObjectList(name, spec, raw, invalid);
    else {
      const value = readScalar(name, spec, raw[name], invalid);
      if (value !== undefined) out[name] = value;
    }
  }
  return out as ParamsOf<P>;
}

function missing(name: string): ApiError {
  return new ApiError(ERROR_CATALOG.MissingParameter, { name });
}

function bad(name: string, spec: BaseSpec, fallback: CatalogEntry): ApiError {
  return new ApiError(spec.invalid ?? fallback, { name });
}

function readScalar(
  name: string,
  spec: ScalarSpec,
  value: string | undefined,
  invalid: CatalogEntry,
): string | number | boolean | undefined {
  if (value === '' && spec.type === 'string' && spec.keepEmpty) return '';
  if (value === undefined || value === '') {
    // An empty value counts as absent, as the SDKs omit unset fields and the gateway treats '' as not given.
    if (spec.required) throw missing(name);
    return spec.default;
  }
  switch (spec.type) {
    case 'string':
      return checkString(name, spec, value, invalid);
    case 'integer': {
      if (!/^-?\d{1,15}$/.test(value)) throw bad(name, spec, invalid);
      const n = Number(value);
      if (spec.min !== undefined && n < spec.min) throw bad(name, spec, invalid);
      if (spec.max !== undefined && n > spec.max) throw bad(name, spec, invalid);
      if (spec.enum && !spec.enum.includes(n)) throw bad(name, spec, invalid);
      return n;
    }
    case 'boolean': {
      const lower = value.toLowerCase();
      if (lower !== 'true' && lower !== 'false') throw bad(name, spec, invalid);
      return lower === 'true';
    }
  }
}

function checkString(name: string, spec: StringSpec, value: string, invalid: CatalogEntry): string {
  const length = [...value].length;
  if (spec.minLength !== undefined && length < spec.minLength) throw bad(name, spec, invalid);
  if (spec.maxLength !== undefined && length > spec.maxLength) throw bad(name, spec, invalid);
  if (spec.pattern && !spec.pattern.test(value)) throw bad(name, spec, invalid);
  if (spec.forbiddenPrefixes) {
    const lower = value.toLowerCase();
    if (spec.forbiddenPrefixes.some((p) => lower.startsWith(p))) throw bad(name, spec, invalid);
  }
  if (spec.enum) {
    const found = spec.enumIgnoreCase
      ? spec.enum.find((e) => e.toLowerCase() === value.toLowerCase())
      : spec.enum.find((e) => e === value);
    if (found === undefined) throw bad(name, spec, invalid);
    return found;
  }
  return value;
}

/** Indexes N of `Name.N` (or `Name.N.Field`) present in the request, ascending. */
function indexesOf(name: string, raw: Record<string, string>, objectFields: boolean): number[] {
  const prefix = `${name}.`;
  const seen = new Set<number>();
  for (const key of Object.keys(raw)) {
    if (!key.startsWith(prefix)) continue;
    const rest = key.slice(prefix.length);
    const dot = rest.indexOf('.');
    const index = objectFields ? (dot > 0 ? rest.slice(0, dot) : '') : dot < 0 ? rest : '';
    if (/^[1-9]\d{0,4}$/.test(index)) seen.add(Number(index));
  }
  return [...seen].sort((a, b) => a - b);
}

function readList(
  name: string,
  spec: ListSpec,
  raw: Record<string, string>,
  invalid: CatalogEntry,
): unknown[] {
  const indexes = indexesOf(name, raw, false);
  if (spec.maxItems !== undefined && indexes.length > spec.maxItems) throw bad(name, spec, invalid);
  const values: unknown[] = [];
  for (const i of indexes) {
    const value = readScalar(`${name}.${i}`, { ...spec.item, required: false }, raw[`${name}.${i}`], invalid);
    if (value !== undefined) values.push(value);
  }
  if (spec.required && values.length === 0) throw missing(`${name}.1`);
  return values;
}

function readObjectList(
  name: string,
  spec: ObjectListSpec,
  raw: Record<string, string>,
  invalid: CatalogEntry,
): Record<string, unknown>[] {
  const indexes = indexesOf(name, raw, true);
  if (spec.maxItems !== undefined && indexes.length > spec.maxItems) throw bad(name, spec, invalid);
  const items: Record<string, unknown>[] = [];
  for (const i of indexes) {
    const item: Record<string, unknown> = {};
    for (const [field, fieldSpec] of Object.entries(spec.fields)) {
      const key = `${name}.${i}.${field}`;
      const value = readScalar(key, fieldSpec, raw[key], invalid);
      if (value !== undefined) item[field] = value;
    }
    items.push(item);
  }
  if (spec.required && items.length === 0) throw missing(`${name}.1`);
  return items;
}
