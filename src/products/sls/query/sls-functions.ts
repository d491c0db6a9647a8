/**
 * SLS analytic functions people use on flow logs, with SLS's names and semantics, written per dialect:
 *
 * - `count_if(x)` (aggregate): rows where the boolean x is true, bigint.
 * - `approx_percentile(x, p)` (aggregate): the value of x at percentage p (0..1) of its ascending order,
 *   of x's type. SLS approximates; DuckDB and PostgreSQL compute it exactly (the discrete quantile, an
 *   actual value of x), which is within any approximation's bounds. Not available on the SQLite record
 *   store, which has no quantile aggregate.
 * - `from_unixtime(x)`: Unix seconds -> timestamp, printed as SLS prints timestamps,
 *   `2024-05-01 10:00:00.000` (UTC).
 * - `to_unixtime(ts)`: timestamp -> Unix seconds, double (Presto).
 * - `date_trunc(unit, x)`: unit `second` `minute` `hour` `day` `week` (Monday) `month` `quarter` `year`
 *   (UTC). On Unix seconds (`__time__`) it returns Unix seconds, on a timestamp a timestamp: the
 *   type of x, as the SLS date and time functions page says ("Return value type: same as x").
 * - `ip_to_domain(ip)`: `intranet` for private, loopback and link-local addresses (RFC 1918, 127/8,
 *   169.254/16, fc00::/7, fe80::/10, ::1), `internet` for other IPv4 / IPv6 text, `invalid` otherwise
 *   (flow-log status records carry `-`).
 *
 * Sources: alibabacloud.com/help/en/sls/user-guide/date-and-time-functions-1,
 * .../sls/approximate-functions, .../sls/user-guide/aggregate-function, .../sls/user-guide/ip-functions.
 * Timestamps are carried as text in SLS's print form (so they sort and compare as times) plus the SQL
 * of their Unix seconds (`Rendered.epoch`), which date_trunc and to_unixtime compute on.
 */
import { sqlError } from './errors.js';
import type { Rendered, ValueType } from './sql-rebuild.js';
import type { Dialect } from './sql-writer.js';

export const AGGREGATE_FUNCTIONS = new Set(['count_if', 'approx_percentile']);
export const SLS_FUNCTIONS = new Set([
  ...AGGREGATE_FUNCTIONS,
  'from_unixtime',
  'to_unixtime',
  'date_trunc',
  'ip_to_domain',
]);

export interface FunctionHelpers {
  /** Renders an argument (left to right: SQLite's `?` parameters follow the text order). */
  expr: (node: unknown) => Rendered;
  merge: (sql: string, type: ValueType, parts: Rendered[]) => Rendered;
}

type Node = { [key: string]: unknown };
const isNode = (x: unknown): x is Node => typeof x === 'object' && x !== null && !Array.isArray(x);

function arity(name: string, args: readonly unknown[], n: number): void {
  if (args.length !== n) {
    throw sqlError(`function ${name} takes ${n} argument${n === 1 ? '' : 's'}, got ${args.length}`);
  }
}

function numeric(name: string, r: Rendered): void {
  if (r.type !== 'long' && r.type !== 'double' && r.type !== 'null') {
    throw sqlError(
      `Unexpected parameters (${r.type}) for function ${name}. Expected: ${name}(bigint), ${name}(double)`,
    );
  }
}

/** Integer division truncating toward zero, as Presto's bigint `/` (DuckDB spells it `//`). */
function idiv(d: Dialect, a: string, b: number): string {
  return d === 'duckdb' ? `(${a} // ${b})` : `(${a} / ${b})`;
}

/** Unix seconds (integral SQL) -> SLS's timestamp text, UTC. */
function formatEpoch(d: Dialect, e: string): string {
  switch (d) {
    case 'sqlite':
      return `(strftime('%Y-%m-%d %H:%M:%S', ${e}, 'unixepoch') || '.000')`;
    case 'duckdb':
      return `(strftime(epoch_ms(${e} * 1000), '%Y-%m-%d %H:%M:%S') || '.000')`;
    case 'postgres':
      return `(to_char(to_timestamp(${e}) AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') || '.000')`;
  }
}

const FIXED_UNITS: Record<string, number> = { second: 1, minute: 60, hour: 3600, day: 86_400 };
const CALENDAR_UNITS = new Set(['week', 'month', 'quarter', 'year']);
/** 1970-01-05, the first Monday after the epoch, in seconds. */
const FIRST_MONDAY = 345_600;
const WEEK = 604_800;

/** `date_trunc(unit, e)` on Unix seconds, returning Unix seconds. `again` renders e a second time. */
function truncEpoch(d: Dialect, unit: string, e: string, again: () => string): string {
  const fixed = FIXED_UNITS[unit];
  if (fixed !== undefined) return fixed === 1 ? e : `(${idiv(d, e, fixed)} * ${fixed})`;
  if (unit === 'week') return `(${idiv(d, `(${e} - ${FIRST_MONDAY})`, WEEK)} * ${WEEK} + ${FIRST_MONDAY})`;
  if (d === 'duckdb') return `CAST(epoch(date_trunc('${unit}', epoch_ms(${e} * 1000))) AS BIGINT)`;
  if (d === 'postgres') {
    return `CAST(extract(epoch FROM date_trunc('${unit}', to_timestamp(${e}) AT TIME ZONE 'UTC')) AS bigint)`;
  }
  if (unit === 'quarter') {
    // start of month, minus (month - 1) % 3 months; e is rendered twice, in text order.
    return `CAST(strftime('%s', ${e}, 'unixepoch', 'start of month', '-' || ((CAST(strftime('%m', ${again()}, 'unixepoch') AS INTEGER) - 1) % 3) || ' months') AS INTEGER)`;
  }
  return `CAST(strftime('%s', ${e}, 'unixepoch', 'start of ${unit}') AS INTEGER)`;
}

function unitArg(node: unknown): string {
  if (!isNode(node) || (node.type !== 'single_quote_string' && node.type !== 'string')) {
    throw sqlError("date_trunc takes the unit as a string literal, e.g. date_trunc('hour', __time__)");
  }
  const unit = String(node.value).toLowerCase();
  if (FIXED_UNITS[unit] === undefined && !CALENDAR_UNITS.has(unit)) {
    throw sqlError(`'${String(node.value)}' is not a valid Time field`);
  }
  return unit;
}

function percentage(node: unknown): number {
  const n = isNode(node) && node.type === 'number' ? Number(node.value) : NaN;
  if (!Number.isFinite(n) || n < 0 || n > 1) {
    throw sqlError('approx_percentile takes the percentage as a number literal between 0 and 1');
  }
  return n;
}

/** Private / loopback / link-local prefixes for ip_to_domain (text patterns, no placeholders). */
const INTRANET = [
  "LIKE '10.%'",
  "LIKE '192.168.%'",
  "LIKE '127.%'",
  "LIKE '169.254.%'",
  "LIKE '172.16.%'",
  "LIKE '172.17.%'",
  "LIKE '172.18.%'",
  "LIKE '172.19.%'",
  "LIKE '172.2_.%'",
  "LIKE '172.30.%'",
  "LIKE '172.31.%'",
  "LIKE 'fc%:%'",
  "LIKE 'fd%:%'",
  "LIKE 'fe8%:%'",
  "LIKE 'fe9%:%'",
  "LIKE 'fea%:%'",
  "LIKE 'feb%:%'",
  "= '::1'",
];

export function renderSlsFunction(
  name: string,
  args: readonly unknown[],
  d: Dialect,
  h: FunctionHelpers,
): Rendered {
  switch (name) {
    case 'count_if': {
      arity(name, args, 1);
      const x = h.expr(args[0]);
      if (x.type !== 'boolean' && x.type !== 'null') {
        throw sqlError(
          `Unexpected parameters (${x.type}) for function count_if. Expected: count_if(boolean)`,
        );
      }
      return {
        ...h.merge(`COUNT(CASE WHEN ${x.sql} THEN 1 END)`, 'long', [x]),
        aggregate: true,
        bareFields: new Set(),
      };
    }
    case 'approx_percentile': {
      arity(name, args, 2);
      if (d === 'sqlite') {
        throw sqlError(
          'approx_percentile is not supported by the SQLite record store (--record-store sqlite)',
        );
      }
      const x = h.expr(args[0]);
      numeric(name, x);
      const p = percentage(args[1]);
      const sql =
        d === 'duckdb'
          ? `quantile_disc(${x.sql}, ${p})`
          : `percentile_disc(${p}) WITHIN GROUP (ORDER BY ${x.sql})`;
      return { sql, type: x.type, aggregate: true, bareFields: new Set() };
    }
    case 'from_unixtime': {
      arity(name, args, 1);
      const x = h.expr(args[0]);
      numeric(name, x);
      const e = x.type === 'double' ? `CAST(floor(${x.sql}) AS BIGINT)` : x.sql;
      return { ...h.merge(formatEpoch(d, e), 'timestamp', [x]), epoch: e };
    }
    case 'to_unixtime': {
      arity(name, args, 1);
      const x = h.expr(args[0]);
      if (x.type !== 'timestamp' || x.epoch === undefined) {
        throw sqlError(
          `Unexpected parameters (${x.type}) for function to_unixtime. Expected: to_unixtime(timestamp)`,
        );
      }
      return h.merge(`CAST(${x.epoch} AS DOUBLE PRECISION)`, 'double', [x]);
    }
    case 'date_trunc': {
      arity(name, args, 2);
      const unit = unitArg(args[0]);
      const x = h.expr(args[1]);
      if (x.type === 'timestamp' && x.epoch !== undefined) {
        const e = truncEpoch(d, unit, x.epoch, () => {
          const again = h.expr(args[1]);
          return again.epoch ?? again.sql;
        });
        return { ...h.merge(formatEpoch(d, e), 'timestamp', [x]), epoch: e };
      }
      if (x.type !== 'long' && x.type !== 'null') {
        throw sqlError(
          `Unexpected parameters (varchar(4), ${x.type}) for function date_trunc. Expected: date_trunc(varchar(x), bigint), date_trunc(varchar(x), timestamp)`,
        );
      }
      return h.merge(
        truncEpoch(d, unit, x.sql, () => h.expr(args[1]).sql),
        'long',
        [x],
      );
    }
    case 'ip_to_domain': {
      arity(name, args, 1);
      const x = h.expr(args[0]);
      if (x.type !== 'text' && x.type !== 'null') {
        throw sqlError(
          `Unexpected parameters (${x.type}) for function ip_to_domain. Expected: ip_to_domain(varchar)`,
        );
      }
      // Each use renders x afresh, in text order, so SQLite's positional parameters still line up.
      const v = (): string => `lower(${h.expr(args[0]).sql})`;
      const intranet = INTRANET.map((p) => `${v()} ${p}`).join(' OR ');
      const isNull = `${x.sql} IS NULL`;
      const sql = `(CASE WHEN ${isNull} THEN NULL WHEN ${intranet} THEN 'intranet' WHEN (${v()} LIKE '%.%.%.%' OR ${v()} LIKE '%:%') THEN 'internet' ELSE 'invalid' END)`;
      return h.merge(sql, 'text', [x]);
    }
    default:
      throw sqlError(`function ${name} is not supported`);
  }
}
