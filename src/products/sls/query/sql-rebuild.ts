/**
 * Analytic statement (`search | select ...`) -> a SELECT we build ourselves.
 *
 * The SQL is parsed with node-sql-parser (MySQL grammar, the closest to SLS's Presto dialect that it
 * ships), then REBUILT from the AST through an allowlist; nothing from the user's text is passed through.
 * Unknown node types, functions, clauses or options are rejected with a QueryError. Allowed:
 * - SELECT [DISTINCT] of `*`, fields, literals, `+ - * / %`, comparisons, AND/OR/NOT, IN, BETWEEN,
 *   LIKE, IS [NOT] NULL, `count(*)`, `count([distinct] x)`, `sum`, `avg`, `min`, `max`
 *   (`approx_distinct(x)` is computed exactly as `count(distinct x)`), the SLS functions of
 *   sls-functions.ts (`count_if`, `approx_percentile`, `date_trunc`, `from_unixtime`, `to_unixtime`,
 *   `ip_to_domain`), with `AS` aliases;
 * - FROM log (or no FROM at all, as SLS allows) -> replaced by the caller's source;
 * - WHERE, GROUP BY (fields, aliases, ordinals, expressions), HAVING, ORDER BY (ASC/DESC, aliases,
 *   ordinals), LIMIT n / LIMIT offset, n.
 *
 * SLS conventions kept:
 * - `"eni-id"` is an identifier and `'x'` a string (SLS analytic statements use Presto quoting); names
 *   resolve case-insensitively, as Presto folds identifiers.
 * - no LIMIT -> 100 rows ("By default, Simple Log Service returns 100 rows", LIMIT clause page);
 *   `LIMIT x` allows x in [0, 1000000], `LIMIT y, x` x in [0, 10000] and y + x <= 1000000.
 * - result columns are named by the alias, else the field name for a bare field, else `_colN` with N
 *   the 0-based position in the select list (Presto's naming; the SLS docs show `_col0` for an
 *   un-aliased expression).
 * - LIKE is case-sensitive with `%` / `_` and no escape character (Presto). SQLite's LIKE is
 *   case-insensitive, so there the pattern is translated to GLOB; PostgreSQL gets `LIKE ... ESCAPE ''`.
 * - NULLs sort last in both directions (Presto's default), spelled out because the engines differ.
 * - PostgreSQL: SUM(bigint) / AVG return NUMERIC there (DuckDB: HUGEINT), so they are cast back to
 *   bigint / double. DuckDB's `/` always divides as doubles; bigint / bigint becomes `//`. A zero
 *   divisor gives NULL everywhere (PostgreSQL's divisor is wrapped in NULLIF).
 */
import pkg from 'node-sql-parser';
import type { QueryError } from './errors.js';
import { sqlError } from './errors.js';
import type { FieldCatalog, FieldDef } from './fields.js';
import { AGGREGATE_FUNCTIONS, SLS_FUNCTIONS, renderSlsFunction } from './sls-functions.js';
import type { ParamSink } from './sql-writer.js';
import { quoteIdent } from './sql-writer.js';

const { Parser } = pkg;
const parser = new Parser();

/** Type of a result column, used to print values the way SLS does (see string-row.ts). */
export type ValueType = 'long' | 'double' | 'text' | 'boolean' | 'timestamp' | 'null';

export const SOURCE_ALIAS = quoteIdent('log');
export const DEFAULT_SQL_LIMIT = 100;
const MAX_LIMIT = 1_000_000;
const MAX_LIMIT_WITH_OFFSET = 10_000;
const MAX_DEPTH = 64;

type Node = { [key: string]: unknown };

function isNode(x: unknown): x is Node {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function unsupported(what: string, position?: number): never {
  throw sqlError(`${what} is not supported`, position);
}

// ---------------------------------------------------------------------------------------------------
// Parsing (with a small cache: dashboards re-run the same statements with new time ranges)

const AST_CACHE_MAX = 256;
const astCache = new Map<string, Node>();

function parseSelect(sql: string, offset: number): Node {
  const cached = astCache.get(sql);
  if (cached) return cached;
  let ast: unknown;
  try {
    ast = parser.astify(sql, { database: 'mysql' });
  } catch (e) {
    const err = e as { message?: string; location?: { start?: { offset?: number } } };
    const at = err.location?.start?.offset;
    const detail = (err.message ?? 'syntax error').slice(0, 300);
    throw sqlError(`syntax error in analytic statement: ${detail}`, at === undefined ? offset : offset + at);
  }
  const list = Array.isArray(ast) ? ast : [ast];
  if (list.length !== 1) throw sqlError('only one statement is allowed', offset);
  const stmt = list[0];
  if (!isNode(stmt) || stmt.type !== 'select') {
    throw sqlError(
      `only SELECT statements are allowed, got ${String(isNode(stmt) ? stmt.type : stmt)}`,
      offset,
    );
  }
  if (astCache.size >= AST_CACHE_MAX) {
    const oldest = astCache.keys().next().value;
    if (oldest !== undefined) astCache.delete(oldest);
  }
  astCache.set(sql, stmt);
  return stmt;
}

// ---------------------------------------------------------------------------------------------------
// Rendering

export interface Rendered {
  sql: string;
  type: ValueType;
  /** contains an aggregate call */
  aggregate: boolean;
  /** fields referenced outside any aggregate (columns), for the GROUP BY check */
  bareFields: Set<string>;
  /** type `timestamp` only: SQL for its Unix seconds (timestamps are rendered as SLS prints them) */
  epoch?: string;
}

type Scope = 'select' | 'where' | 'groupby' | 'having' | 'orderby';

interface SelectItem {
  node: Node;
  name: string;
  hasAlias: boolean;
  type: ValueType;
  aggregate: boolean;
}

interface Ctx {
  catalog: FieldCatalog;
  lowerNames: Map<string, FieldDef>;
  params: ParamSink;
  offset: number;
  scope: Scope;
  inAggregate: boolean;
  depth: number;
  /** select items addressable by alias (lower-cased) in GROUP BY / HAVING / ORDER BY */
  aliases: Map<string, SelectItem>;
}

function lowerNameMap(catalog: FieldCatalog): Map<string, FieldDef> {
  const m = new Map<string, FieldDef>();
  for (const f of catalog.fields) if (!m.has(f.name.toLowerCase())) m.set(f.name.toLowerCase(), f);
  return m;
}

function lookupField(ctx: Ctx, name: string): FieldDef | undefined {
  return ctx.catalog.byName.get(name) ?? ctx.lowerNames.get(name.toLowerCase());
}

function columnSql(f: FieldDef): string {
  return `${SOURCE_ALIAS}.${quoteIdent(f.column)}`;
}

/** Identifier text of a column_ref / double-quoted string node, or undefined if it is not one. */
function identName(node: Node): string | undefined {
  if (node.type === 'double_quote_string' && typeof node.value === 'string') return node.value;
  if (node.type !== 'column_ref') return undefined;
  if (node.table !== null && node.table !== undefined) {
    if (typeof node.table !== 'string' || node.table.toLowerCase() !== 'log') {
      unsupported(`table-qualified column '${String(node.table)}.…'`);
    }
  }
  const col = node.column;
  if (typeof col === 'string') return col;
  if (isNode(col) && isNode(col.expr) && typeof col.expr.value === 'string') return col.expr.value;
  return undefined;
}

function unknownColumn(name: string): QueryError {
  return sqlError(
    `Column '${name}' no longer exists or type mismatch;please add the column in the index attribute`,
  );
}

function fieldRendered(f: FieldDef, ctx: Ctx): Rendered {
  const bare = new Set<string>();
  if (!ctx.inAggregate) bare.add(f.column);
  return { sql: columnSql(f), type: f.type, aggregate: false, bareFields: bare };
}

function leaf(sql: string, type: ValueType): Rendered {
  return { sql, type, aggregate: false, bareFields: new Set() };
}

function merge(sql: string, type: ValueType, parts: Rendered[]): Rendered {
  const bare = new Set<string>();
  for (const p of parts) for (const f of p.bareFields) bare.add(f);
  return { sql, type, aggregate: parts.some((p) => p.aggregate), bareFields: bare };
}

function resolveIdentifier(name: string, ctx: Ctx): Rendered {
  const f = lookupField(ctx, name);
  const alias = ctx.aliases.get(name.toLowerCase());
  // GROUP BY / HAVING see input columns first (Presto); ORDER BY sees output columns first.
  const preferAlias = ctx.scope === 'orderby';
  if (alias && (preferAlias || !f) && !ctx.inAggregate) {
    if (alias.aggregate && ctx.scope === 'groupby') {
      throw sqlError(`GROUP BY clause cannot contain aggregations or window functions: ${alias.name}`);
    }
    return renderExpr(alias.node, { ...ctx, aliases: new Map() });
  }
  if (f) return fieldRendered(f, ctx);
  throw unknownColumn(name);
}

function literalNumber(node: Node): number {
  const n = typeof node.value === 'number' ? node.value : Number(node.value);
  if (!Number.isFinite(n)) throw sqlError(`invalid number literal ${String(node.value)}`);
  return n;
}

function unquoteString(node: Node): string {
  // node-sql-parser keeps the doubled quote of 'it''s'; SQL (and Presto) mean a single quote.
  return String(node.value).replaceAll("''", "'");
}

const ARITH = new Set(['+', '-', '*', '/', '%']);
const COMPARE = new Map([
  ['=', '='],
  ['<>', '<>'],
  ['!=', '<>'],
  ['<', '<'],
  ['<=', '<='],
  ['>', '>'],
  ['>=', '>='],
]);

const SQL_TYPE_NAME: Record<ValueType, string> = {
  long: 'bigint',
  double: 'double',
  text: 'varchar',
  boolean: 'boolean',
  timestamp: 'timestamp',
  null: 'unknown',
};

function numericType(op: string, a: Rendered, b: Rendered): ValueType {
  for (const r of [a, b]) {
    if (r.type === 'text' || r.type === 'boolean' || r.type === 'timestamp') {
      throw sqlError(`'${op}' cannot be applied to ${SQL_TYPE_NAME[a.type]}, ${SQL_TYPE_NAME[b.type]}`);
    }
  }
  if (a.type === 'null' || b.type === 'null') return 'null';
  return a.type === 'double' || b.type === 'double' ? 'double' : 'long';
}

/** Presto LIKE pattern (`%`, `_`, no escape) -> SQLite GLOB pattern (case-sensitive like Presto). */
export function likeToGlob(pattern: string): string {
  let out = '';
  for (const ch of pattern) {
    if (ch === '%') out += '*';
    else if (ch === '_') out += '?';
    else if (ch === '*' || ch === '?' || ch === '[') out += `[${ch}]`;
    else out += ch;
  }
  return out;
}

function renderList(node: unknown, ctx: Ctx): Rendered[] {
  if (!isNode(node) || node.type !== 'expr_list' || !Array.isArray(node.value)) unsupported('this list form');
  return node.value.map((v) => renderExpr(v, ctx));
}

function renderBinary(node: Node, ctx: Ctx): Rendered {
  const op = String(node.operator).toUpperCase();
  if (ARITH.has(op)) {
    const l = renderExpr(node.left, ctx);
    const r = renderExpr(node.right, ctx);
    const type = numericType(op, l, r);
    // bigint / bigint is integer division in Presto (and SQLite, PostgreSQL); DuckDB spells it `//`.
    const sqlOp = op === '/' && type === 'long' && ctx.params.dialect === 'duckdb' ? '//' : op;
    // PostgreSQL fails the whole statement on a zero divisor (NODATA records carry packets = 0);
    // DuckDB and SQLite give NULL for that row, which NULLIF reproduces.
    const divisor =
      ctx.params.dialect === 'postgres' && (op === '/' || op === '%') ? `NULLIF(${r.sql}, 0)` : r.sql;
    return merge(`(${l.sql} ${sqlOp} ${divisor})`, type, [l, r]);
  }
  const cmp = COMPARE.get(op);
  if (cmp) {
    const l = renderExpr(node.left, ctx);
    const r = renderExpr(node.right, ctx);
    return merge(`(${l.sql} ${cmp} ${r.sql})`, 'boolean', [l, r]);
  }
  if (op === 'AND' || op === 'OR') {
    const l = renderExpr(node.left, ctx);
    const r = renderExpr(node.right, ctx);
    return merge(`(${l.sql} ${op} ${r.sql})`, 'boolean', [l, r]);
  }
  if (op === 'IN' || op === 'NOT IN') {
    const l = renderExpr(node.left, ctx);
    const items = renderList(node.right, ctx);
    if (items.length === 0) throw sqlError('IN list must not be empty');
    return merge(`(${l.sql} ${op} (${items.map((i) => i.sql).join(', ')}))`, 'boolean', [l, ...items]);
  }
  if (op === 'BETWEEN' || op === 'NOT BETWEEN') {
    const l = renderExpr(node.left, ctx);
    const items = renderList(node.right, ctx);
    const [lo, hi] = items;
    if (items.length !== 2 || !lo || !hi) throw sqlError('BETWEEN needs exactly two bounds');
    return merge(`(${l.sql} ${op} ${lo.sql} AND ${hi.sql})`, 'boolean', [l, lo, hi]);
  }
  if (op === 'LIKE' || op === 'NOT LIKE') {
    const l = renderExpr(node.left, ctx);
    const right = node.right;
    if (!isNode(right) || (right.type !== 'single_quote_string' && right.type !== 'string')) {
      unsupported('LIKE with a pattern that is not a string literal');
    }
    if (right.escape !== undefined && right.escape !== null) unsupported('LIKE ... ESCAPE');
    const pattern = unquoteString(right);
    const negate = op === 'NOT LIKE' ? 'NOT ' : '';
    const sql =
      ctx.params.dialect === 'sqlite'
        ? `(${l.sql} ${negate}GLOB ${ctx.params.text(likeToGlob(pattern))})`
        : `(${l.sql} ${negate}LIKE ${ctx.params.text(pattern)} ESCAPE '')`;
    return merge(sql, 'boolean', [l]);
  }
  if (op === 'IS' || op === 'IS NOT') {
    const l = renderExpr(node.left, ctx);
    if (!isNode(node.right) || node.right.type !== 'null') unsupported(`${op} with anything but NULL`);
    return merge(`(${l.sql} ${op} NULL)`, 'boolean', [l]);
  }
  return unsupported(`operator ${op}`);
}

const AGGREGATES = new Set(['COUNT', 'SUM', 'AVG', 'MIN', 'MAX']);

/** Where an aggregate may not appear (WHERE, GROUP BY, inside another aggregate). */
function aggregateAllowed(name: string, ctx: Ctx): void {
  if (ctx.scope === 'where') throw sqlError('WHERE clause cannot contain aggregations or window functions');
  if (ctx.scope === 'groupby')
    throw sqlError('GROUP BY clause cannot contain aggregations or window functions');
  if (ctx.inAggregate) throw sqlError(`Cannot nest aggregations inside aggregation '${name.toLowerCase()}'`);
}

function renderAggregate(name: string, node: Node, ctx: Ctx): Rendered {
  if (!AGGREGATES.has(name)) unsupported(`function ${name.toLowerCase()}`);
  if (node.over !== null && node.over !== undefined) unsupported('window functions (OVER)');
  aggregateAllowed(name, ctx);
  const args = isNode(node.args) ? node.args : {};
  if ((args.orderby ?? null) !== null || (args.separator ?? null) !== null)
    unsupported('aggregate ORDER BY/SEPARATOR');
  const distinct = args.distinct === 'DISTINCT' ? 'DISTINCT ' : '';
  if (args.distinct !== null && args.distinct !== undefined && !distinct)
    unsupported(`${String(args.distinct)} in aggregate`);
  const argNode = args.expr;
  if (!isNode(argNode)) unsupported(`${name.toLowerCase()} without an argument`);
  const lower = name.toLowerCase();
  const isStar = argNode.type === 'star' || (argNode.type === 'column_ref' && argNode.column === '*');
  if (isStar || (name === 'COUNT' && !distinct && argNode.type === 'number')) {
    if (name !== 'COUNT') unsupported(`${lower}(*)`);
    return { sql: 'COUNT(*)', type: 'long', aggregate: true, bareFields: new Set() };
  }
  if (argNode.type === 'expr_list') unsupported(`${lower} with several arguments`);
  const inner = renderExpr(argNode, { ...ctx, inAggregate: true });
  // PostgreSQL's SUM(bigint) is NUMERIC and DuckDB's HUGEINT: cast back to Presto's bigint / double.
  const pg = ctx.params.dialect !== 'sqlite';
  let sql: string;
  let type: ValueType;
  switch (name) {
    case 'COUNT':
      return { sql: `COUNT(${distinct}${inner.sql})`, type: 'long', aggregate: true, bareFields: new Set() };
    case 'SUM':
    case 'AVG':
      if (inner.type === 'text' || inner.type === 'boolean' || inner.type === 'timestamp') {
        throw sqlError(
          `Unexpected parameters (${SQL_TYPE_NAME[inner.type]}) for function ${lower}. Expected: ${lower}(bigint), ${lower}(double)`,
        );
      }
      if (name === 'AVG') {
        type = 'double';
        sql = pg ? `CAST(AVG(${distinct}${inner.sql}) AS double precision)` : `AVG(${distinct}${inner.sql})`;
      } else {
        type = inner.type === 'double' ? 'double' : 'long';
        const cast = type === 'long' ? 'bigint' : 'double precision';
        sql = pg ? `CAST(SUM(${distinct}${inner.sql}) AS ${cast})` : `SUM(${distinct}${inner.sql})`;
      }
      break;
    default:
      type = inner.type;
      sql = `${name}(${distinct}${inner.sql})`;
  }
  return { sql, type, aggregate: true, bareFields: new Set() };
}

function functionName(node: Node): string | undefined {
  const n = node.name;
  if (typeof n === 'string') return n;
  if (isNode(n) && Array.isArray(n.name) && n.name.length === 1 && isNode(n.name[0])) {
    const v = n.name[0].value;
    return typeof v === 'string' ? v : undefined;
  }
  return undefined;
}

function renderFunction(node: Node, ctx: Ctx): Rendered {
  const name = functionName(node)?.toLowerCase();
  const args = isNode(node.args) && Array.isArray(node.args.value) ? (node.args.value as unknown[]) : [];
  if (node.over !== null && node.over !== undefined) unsupported('window functions (OVER)');
  if (name === 'not' && args.length === 1) {
    // node-sql-parser reads `NOT (expr)` as a call of a function named "not".
    const inner = renderExpr(args[0], ctx);
    return merge(`(NOT ${inner.sql})`, 'boolean', [inner]);
  }
  if (name === 'approx_distinct' && args.length === 1) {
    return renderAggregate('COUNT', { args: { distinct: 'DISTINCT', expr: args[0] }, over: null }, ctx);
  }
  if (name !== undefined && SLS_FUNCTIONS.has(name)) {
    if (AGGREGATE_FUNCTIONS.has(name)) aggregateAllowed(name, ctx);
    return renderSlsFunction(name, args, ctx.params.dialect, {
      expr: (arg) => renderExpr(arg, AGGREGATE_FUNCTIONS.has(name) ? { ...ctx, inAggregate: true } : ctx),
      merge,
    });
  }
  return unsupported(`function ${name ?? '?'}`);
}

function renderExpr(raw: unknown, ctx: Ctx): Rendered {
  if (!isNode(raw)) unsupported('this expression');
  if (ctx.depth > MAX_DEPTH) throw sqlError('expression nested too deeply');
  const node = raw;
  const c: Ctx = { ...ctx, depth: ctx.depth + 1 };
  switch (node.type) {
    case 'column_ref':
    case 'double_quote_string': {
      const name = identName(node);
      if (name === undefined || name === '*') unsupported('* in this position');
      return resolveIdentifier(name, c);
    }
    case 'number': {
      const n = literalNumber(node);
      // `2.0` / `2.50` are doubles in SQL even when integral; node-sql-parser keeps their text.
      const double = !Number.isSafeInteger(n) || (typeof node.value === 'string' && /[.eE]/.test(node.value));
      return leaf(c.params.number(n, double), double ? 'double' : 'long');
    }
    case 'single_quote_string':
    case 'string':
      return leaf(c.params.text(unquoteString(node)), 'text');
    case 'bool':
      return leaf(node.value === true ? 'TRUE' : 'FALSE', 'boolean');
    case 'null':
      return leaf('NULL', 'null');
    case 'binary_expr':
      return renderBinary(node, c);
    case 'unary_expr': {
      const op = String(node.operator).toUpperCase();
      const inner = renderExpr(node.expr, c);
      if (op === 'NOT') return merge(`(NOT ${inner.sql})`, 'boolean', [inner]);
      if (op === '-' || op === '+') {
        numericType(op, inner, inner);
        return merge(`(${op}${inner.sql})`, inner.type, [inner]);
      }
      return unsupported(`unary operator ${op}`);
    }
    case 'aggr_func':
      return renderAggregate(String(node.name).toUpperCase(), node, c);
    case 'function':
      return renderFunction(node, c);
    default:
      return unsupported(`expression type ${String(node.type)}`);
  }
}

// ---------------------------------------------------------------------------------------------------
// Statement

const ALLOWED_KEYS = new Set([
  'type',
  'columns',
  'from',
  'where',
  'groupby',
  'having',
  'orderby',
  'limit',
  'distinct',
  'with',
  'options',
  'into',
  'locking_read',
  'window',
  'collate',
  '_next',
  'set_op',
  'loc',
]);

function checkStatementShape(stmt: Node, offset: number): void {
  for (const [k, v] of Object.entries(stmt)) {
    if (!ALLOWED_KEYS.has(k) && v !== null && v !== undefined) unsupported(`SQL clause '${k}'`, offset);
  }
  const notNull = (k: string, what: string): void => {
    if (stmt[k] !== null && stmt[k] !== undefined) unsupported(what, offset);
  };
  notNull('with', 'WITH');
  notNull('options', 'SELECT options');
  notNull('locking_read', 'locking clauses');
  notNull('window', 'WINDOW');
  notNull('collate', 'COLLATE');
  notNull('_next', 'UNION/INTERSECT/EXCEPT');
  notNull('set_op', 'UNION/INTERSECT/EXCEPT');
  if (isNode(stmt.into) && stmt.into.position !== null && stmt.into.position !== undefined) {
    unsupported('SELECT ... INTO', offset);
  }
  if (stmt.distinct !== null && stmt.distinct !== undefined && stmt.distinct !== 'DISTINCT') {
    unsupported(`SELECT ${String(stmt.distinct)}`, offset);
  }
  const from = stmt.from;
  if (from === null || from === undefined) return;
  if (!Array.isArray(from) || from.length !== 1) unsupported('joins or several tables in FROM', offset);
  const t = from[0];
  if (!isNode(t) || typeof t.table !== 'string' || (t.db !== null && t.db !== undefined)) {
    unsupported('subqueries or other relations in FROM (only FROM log)', offset);
  }
  if (t.table.toLowerCase() !== 'log')
    throw sqlError(`logstore ${t.table} does not exist; use FROM log`, offset);
  for (const [k, v] of Object.entries(t)) {
    if (k !== 'table' && k !== 'db' && k !== 'as' && v !== null && v !== undefined)
      unsupported(`FROM ${k}`, offset);
  }
  if (t.as !== null && t.as !== undefined && String(t.as).toLowerCase() !== 'log')
    unsupported('table aliases', offset);
}

function limitValue(v: unknown): number {
  if (!isNode(v) || v.type !== 'number') throw sqlError('LIMIT takes integer literals');
  const n = literalNumber(v);
  if (!Number.isSafeInteger(n) || n < 0) throw sqlError(`invalid LIMIT value ${String(v.value)}`);
  return n;
}

function renderLimit(limit: unknown): { count: number; offset: number } {
  if (!isNode(limit) || !Array.isArray(limit.value) || limit.value.length === 0) {
    return { count: DEFAULT_SQL_LIMIT, offset: 0 };
  }
  if (limit.seperator === 'offset') unsupported('OFFSET (use LIMIT offset, count)');
  if (limit.value.length === 1) {
    const count = limitValue(limit.value[0]);
    if (count > MAX_LIMIT) throw sqlError(`LIMIT ${count} exceeds ${MAX_LIMIT}`);
    return { count, offset: 0 };
  }
  if (limit.value.length !== 2) unsupported('this LIMIT form');
  const offset = limitValue(limit.value[0]);
  const count = limitValue(limit.value[1]);
  if (count > MAX_LIMIT_WITH_OFFSET)
    throw sqlError(`LIMIT offset, ${count} exceeds ${MAX_LIMIT_WITH_OFFSET} rows`);
  if (offset + count > MAX_LIMIT) {
    throw sqlError(`reading data with pagination only allow reading max ${MAX_LIMIT}`);
  }
  return { count, offset };
}

function aliasOf(col: Node): string | undefined {
  const as = col.as;
  if (typeof as === 'string') return as;
  if (isNode(as) && typeof as.value === 'string') return as.value;
  return undefined;
}

export interface AnalyticSql {
  sql: string;
  params: unknown[];
  columns: string[];
  columnTypes: Record<string, ValueType>;
}

export interface RebuildOptions {
  catalog: FieldCatalog;
  params: ParamSink;
  /** FROM target supplied by the caller (table name or parenthesised subquery) */
  source: string;
  /** renders the search statement's filter (qualified by SOURCE_ALIAS) at the current position, or null for * */
  renderSearch: () => string | null;
  /** position of the SQL text inside the full query, for error messages */
  offset: number;
  /** SQLite: parameters of `source`, spliced at the FROM position */
  spliceSourceParams: () => void;
}

export function rebuildAnalytic(sqlText: string, opts: RebuildOptions): AnalyticSql {
  const stmt = parseSelect(sqlText.trim().replace(/;\s*$/, ''), opts.offset);
  checkStatementShape(stmt, opts.offset);
  const base: Ctx = {
    catalog: opts.catalog,
    lowerNames: lowerNameMap(opts.catalog),
    params: opts.params,
    offset: opts.offset,
    scope: 'select',
    inAggregate: false,
    depth: 0,
    aliases: new Map(),
  };

  // SELECT list: first pass collects names and aliases (needed by the later clauses); rendering happens
  // strictly left to right below so positional `?` parameters line up with the text.
  if (!Array.isArray(stmt.columns) || stmt.columns.length === 0) throw sqlError('SELECT list is empty');
  const items: SelectItem[] = [];
  for (const col of stmt.columns) {
    if (!isNode(col) || !isNode(col.expr)) unsupported('this select item');
    const expr = col.expr;
    const alias = aliasOf(col);
    if (expr.type === 'column_ref' && expr.column === '*') {
      if (expr.table !== null && expr.table !== undefined && String(expr.table).toLowerCase() !== 'log') {
        unsupported(`${String(expr.table)}.*`);
      }
      if (alias !== undefined) throw sqlError('* cannot have an alias');
      for (const f of opts.catalog.fields) {
        items.push({
          node: { type: 'column_ref', table: null, column: f.name },
          name: f.name,
          hasAlias: false,
          type: f.type,
          aggregate: false,
        });
      }
      continue;
    }
    const ident =
      expr.type === 'column_ref' || expr.type === 'double_quote_string' ? identName(expr) : undefined;
    const field = ident === undefined ? undefined : lookupField(base, ident);
    items.push({
      node: expr,
      name: alias ?? field?.name ?? `_col${items.length}`,
      hasAlias: alias !== undefined,
      type: 'null',
      aggregate: false,
    });
  }
  const aliases = new Map<string, SelectItem>();
  for (const it of items)
    if (it.hasAlias && !aliases.has(it.name.toLowerCase())) aliases.set(it.name.toLowerCase(), it);

  const selectSql: string[] = [];
  const selectRendered: Rendered[] = [];
  for (const it of items) {
    const r = renderExpr(it.node, { ...base, scope: 'select' });
    it.type = r.type;
    it.aggregate = r.aggregate;
    selectRendered.push(r);
    selectSql.push(`${r.sql} AS ${quoteIdent(it.name)}`);
  }

  let sql = `SELECT ${stmt.distinct === 'DISTINCT' ? 'DISTINCT ' : ''}${selectSql.join(', ')} FROM ${opts.source} AS ${SOURCE_ALIAS}`;
  opts.spliceSourceParams();

  const conds: string[] = [];
  const search = opts.renderSearch();
  if (search !== null) conds.push(search);
  if (stmt.where !== null && stmt.where !== undefined) {
    conds.push(renderExpr(stmt.where, { ...base, scope: 'where' }).sql);
  }
  if (conds.length > 0) sql += ` WHERE ${conds.join(' AND ')}`;

  // GROUP BY
  const groupedFields = new Set<string>();
  const groupedItems = new Set<SelectItem>();
  const groupNodes = isNode(stmt.groupby) && Array.isArray(stmt.groupby.columns) ? stmt.groupby.columns : [];
  if (isNode(stmt.groupby) && Array.isArray(stmt.groupby.modifiers)) {
    if (stmt.groupby.modifiers.some((m) => m !== null && m !== undefined))
      unsupported('GROUP BY modifiers (WITH ROLLUP)');
  }
  const groupSql: string[] = [];
  const gctx: Ctx = { ...base, scope: 'groupby', aliases };
  for (const g of groupNodes) {
    if (!isNode(g)) unsupported('this GROUP BY item');
    // A GROUP BY item naming a select item (ordinal, alias, or the same expression) is emitted as that
    // item's ordinal: PostgreSQL would otherwise see two different expressions when literals become
    // separately numbered parameters.
    let index = -1;
    if (g.type === 'number') {
      const pos = literalNumber(g);
      if (!Number.isInteger(pos) || !items[pos - 1]) {
        throw sqlError(`GROUP BY position ${String(g.value)} is not in select list`);
      }
      index = pos - 1;
    } else {
      const ident = g.type === 'column_ref' || g.type === 'double_quote_string' ? identName(g) : undefined;
      const aliased = ident === undefined ? undefined : aliases.get(ident.toLowerCase());
      if (ident !== undefined && aliased && !lookupField(base, ident)) index = items.indexOf(aliased);
      else {
        const key = JSON.stringify(g);
        index = items.findIndex((it) => JSON.stringify(it.node) === key);
      }
    }
    let r: Rendered;
    if (index >= 0) {
      const item = items[index] as SelectItem;
      r = selectRendered[index] as Rendered;
      if (r.aggregate) throw sqlError('GROUP BY clause cannot contain aggregations or window functions');
      groupedItems.add(item);
      groupSql.push(String(index + 1));
    } else {
      r = renderExpr(g, gctx);
      if (r.aggregate) throw sqlError('GROUP BY clause cannot contain aggregations or window functions');
      groupSql.push(r.sql);
    }
    // A bare field (or an alias of one) groups that field for the "must appear in GROUP BY" check.
    for (const f of r.bareFields) if (r.sql === `${SOURCE_ALIAS}.${quoteIdent(f)}`) groupedFields.add(f);
  }
  if (groupSql.length > 0) sql += ` GROUP BY ${groupSql.join(', ')}`;

  // HAVING
  let havingRendered: Rendered | undefined;
  if (stmt.having !== null && stmt.having !== undefined) {
    havingRendered = renderExpr(stmt.having, { ...base, scope: 'having', aliases });
    sql += ` HAVING ${havingRendered.sql}`;
  }

  // ORDER BY
  const orderRendered: Rendered[] = [];
  if (Array.isArray(stmt.orderby) && stmt.orderby.length > 0) {
    const parts: string[] = [];
    for (const o of stmt.orderby) {
      if (!isNode(o) || !isNode(o.expr)) unsupported('this ORDER BY item');
      const dir = o.type === 'DESC' ? ' DESC' : ' ASC';
      if (o.type !== null && o.type !== undefined && o.type !== 'DESC' && o.type !== 'ASC') {
        unsupported(`ORDER BY ${String(o.type)}`);
      }
      const e = o.expr;
      let target: string;
      if (e.type === 'number') {
        const pos = literalNumber(e);
        if (!Number.isInteger(pos) || !items[pos - 1]) {
          throw sqlError(`ORDER BY position ${String(e.value)} is not in select list`);
        }
        target = String(pos);
      } else {
        const ident = e.type === 'column_ref' || e.type === 'double_quote_string' ? identName(e) : undefined;
        const out =
          ident === undefined ? undefined : items.find((it) => it.name.toLowerCase() === ident.toLowerCase());
        if (out && (out.hasAlias || lookupField(base, ident ?? '') !== undefined)) {
          // Standalone output column: refer to it by its output name (valid in both engines, and
          // required by PostgreSQL for SELECT DISTINCT).
          target = quoteIdent(out.name);
        } else {
          const r = renderExpr(e, { ...base, scope: 'orderby', aliases });
          orderRendered.push(r);
          target = r.sql;
        }
      }
      parts.push(`${target}${dir} NULLS LAST`);
    }
    sql += ` ORDER BY ${parts.join(', ')}`;
  }

  // Presto's rule: in an aggregated query every non-aggregated field must be grouped.
  const aggregated =
    groupSql.length > 0 ||
    selectRendered.some((r) => r.aggregate) ||
    havingRendered !== undefined ||
    orderRendered.some((r) => r.aggregate);
  if (aggregated) {
    const check = (r: Rendered): void => {
      for (const f of r.bareFields) {
        if (!groupedFields.has(f)) {
          const name = opts.catalog.fields.find((d) => d.column === f)?.name ?? f;
          throw sqlError(`'${name}' must be an aggregate expression or appear in GROUP BY clause`);
        }
      }
    };
    items.forEach((it, i) => {
      if (!groupedItems.has(it)) check(selectRendered[i] as Rendered);
    });
    if (havingRendered) check(havingRendered);
    orderRendered.forEach(check);
  }

  const { count, offset } = renderLimit(stmt.limit);
  sql += ` LIMIT ${count}`;
  if (offset > 0) sql += ` OFFSET ${offset}`;

  const columnTypes: Record<string, ValueType> = {};
  for (const it of items) columnTypes[it.name] = it.type;
  return { sql, params: opts.params.values, columns: items.map((it) => it.name), columnTypes };
}
