/** Reading request parameters the way SLS validates them; every failure is `ParameterInvalid` (HTTP 400). */
import { slsError, type SlsError } from '../../../protocol/sls/sls-errors.js';

/** SLS's wording for a bad parameter value, e.g. `offset : -1 pair is invalid` (README.md in src/protocol/sls). */
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

/**
 * An integer parameter from a query string (digits) or a JSON body (number or digit string); absent or empty
 * (`@alicloud/log` sends `offset=` for an unset option) gives `fallback`.
 */
export function intParam(
  name: string,
  raw: unknown,
  fallback: number | undefined,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number | undefined {
  if (raw === undefined || raw === null || raw === '') return fallback;
  const n =
    typeof raw === 'number' ? raw : typeof raw === 'string' && /^-?\d+$/.test(raw.trim()) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) throw invalidPair(name, raw);
  return n;
}

export function boolParam(name: string, raw: unknown, fallback: boolean): boolean {
  if (raw === undefined || raw === null || raw === '') return fallback;
  if (raw === true || raw === 'true') return true;
  if (raw === false || raw === 'false') return false;
  throw invalidPair(name, raw);
}

export function stringParam(name: string, raw: unknown): string | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'string') throw invalidPair(name, raw);
  return raw;
}

/** Row timestamps are stored in milliseconds (like every other table); SLS shows Unix seconds. */
export function toUnixSeconds(stored: number): number {
  return stored > 100_000_000_000 ? Math.floor(stored / 1000) : stored;
}
