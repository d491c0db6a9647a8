/**
 * SLS returns every value as a string (GetLogs bodies are `map<string,string>`). This renders SQL row
 * values the way SLS prints them:
 * - NULL -> `null` (Presto/SLS print SQL NULL as the text "null");
 * - integers without a fractional part -> plain digits (`42`, never `42.0`);
 * - `double` columns (avg, arithmetic on doubles) -> Java's Double.toString, which is what SLS's Presto
 *   engine emits: `2.5`, `100.0`, `1.0E7`, `1.0E-4`;
 * - `boolean` columns -> `true` / `false` (SQLite hands comparisons back as 1 / 0).
 * Column types come from the compiler (`CompiledQuery.analytic.columnTypes`); without them numbers are
 * printed in their shortest form.
 */
import type { ValueType } from './sql-rebuild.js';

/** Java `Double.toString` for a finite or non-finite double. */
export function formatDouble(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : '-Infinity';
  if (n === 0) return Object.is(n, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(n);
  if (abs >= 1e-3 && abs < 1e7) {
    const s = String(n);
    return s.includes('.') ? s : `${s}.0`;
  }
  // Scientific form: mantissa always has a fractional digit, exponent without '+'.
  const [mantissa = '0', exponent = '0'] = n.toExponential().split('e');
  const m = mantissa.includes('.') ? mantissa : `${mantissa}.0`;
  return `${m}E${exponent.replace('+', '')}`;
}

function formatInteger(n: number): string {
  // String(1e21) would give "1e+21"; SLS prints bigint digits.
  return Math.abs(n) < 1e21 ? String(n) : BigInt(n).toString();
}

export function formatValue(value: unknown, type?: ValueType): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return value;
  if (typeof value === 'bigint') return type === 'double' ? formatDouble(Number(value)) : value.toString();
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (type === 'boolean') return value !== 0 ? 'true' : 'false';
    if (type === 'double') return formatDouble(value);
    if (Number.isInteger(value)) return formatInteger(value);
    return Number.isFinite(value) ? String(value) : formatDouble(value);
  }
  if (value instanceof Date) return String(Math.floor(value.getTime() / 1000));
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  return String(value);
}

export function toStringRow(
  row: Record<string, unknown>,
  columnTypes?: Readonly<Record<string, ValueType>>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(row)) out[k] = formatValue(v, columnTypes?.[k]);
  return out;
}
