/**
 * Typed access to a parsed seed document, every failure naming the entry path
 * (`accounts[0].vpcs[1].cidrBlock`) so that a bad file is easy to fix.
 */

/** A problem at one place of a seed file; the loader adds the file name. */
export class SeedError extends Error {
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${path}: ${problem}`);
    this.name = 'SeedError';
  }
}

export type SeedObject = Record<string, unknown>;

export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}

/** The object at `path`, refusing fields other than `allowed` (a typo must not be silently ignored). */
export function asObject(value: unknown, path: string, allowed: readonly string[]): SeedObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new SeedError(path, `must be an object, got ${describeValue(value)}`);
  }
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      throw new SeedError(path, `unknown field "${key}" (allowed: ${allowed.join(', ')})`);
    }
  }
  return value as SeedObject;
}

/** The list under `key` (absent means empty). */
export function listField(obj: SeedObject, key: string, path: string): unknown[] {
  const value = obj[key];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value))
    throw new SeedError(`${path}.${key}`, `must be a list, got ${describeValue(value)}`);
  return value;
}

export function stringField(obj: SeedObject, key: string, path: string, required: true): string;
export function stringField(obj: SeedObject, key: string, path: string, required?: false): string | undefined;
export function stringField(
  obj: SeedObject,
  key: string,
  path: string,
  required = false,
): string | undefined {
  const value = obj[key];
  if (value === undefined || value === null) {
    if (required) throw new SeedError(`${path}.${key}`, 'is required');
    return undefined;
  }
  if (typeof value !== 'string') {
    // An unquoted ID (16-digit account, numeric name) reads as a YAML/JSON number.
    const hint = typeof value === 'number' ? `: quote it ('${String(value)}') so it is read as a string` : '';
    throw new SeedError(`${path}.${key}`, `must be a string, got ${describeValue(value)}${hint}`);
  }
  return value;
}

export function integerField(
  obj: SeedObject,
  key: string,
  path: string,
  range: { min: number; max: number; default: number },
): number {
  const value = obj[key];
  if (value === undefined || value === null) return range.default;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < range.min || value > range.max) {
    throw new SeedError(
      `${path}.${key}`,
      `must be an integer from ${range.min} to ${range.max}, got ${describeValue(value)}`,
    );
  }
  return value;
}
