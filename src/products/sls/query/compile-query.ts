/**
 * Entry point: SLS query string (`search` or `search | select ...`) -> parameterised SQL.
 *
 * Output contract for callers (the GetLogs handler and storage backends):
 * - `where.sql` is a boolean expression over the bare record columns (`1=1` for `*`), to be AND-ed
 *   with the caller's own base filter: `... WHERE <base> AND (<where.sql>)` with parameters
 *   `[...sourceParams, ...where.params]`. For postgres its placeholders are numbered from
 *   `sourceParams.length + 1` (duckdb likewise), i.e. it assumes the base filter uses `$1..$k` with those parameters.
 * - `analytic` (only for `search | select`) is a complete SELECT over `opts.source` (aliased `log`),
 *   search filter included, LIMIT always present. `params` is the full list, source parameters included,
 *   in the order the engine needs (sqlite: textual order; postgres, duckdb: `$1..$k` are the source's).
 * - Any error is a QueryError carrying SLS's errorCode `ParameterInvalid` (HTTP 400).
 * - `source` is trusted SQL written by the caller; it is the only text spliced verbatim.
 *
 * Where the semantics come from (details in search-parser.ts, search-to-sql.ts, sql-rebuild.ts):
 * - Search syntax (alibabacloud.com/help/en/sls/user-guide/search-syntax, doc-detail/29060): `search |
 *   analytic`; `*` or blank matches everything; `and` / `or` / `not`, where juxtaposed words are AND-ed
 *   and `query1 not query2` means query1 minus query2; `key:value`; double quotes make text literal;
 *   `\` escapes; `*` / `?` fuzzy search; numeric comparisons and ranges need a long/double field.
 * - Precedence not > and > or (alibabacloud.com/help/en/sls/logical-operators).
 * - Unindexed key -> `ParameterInvalid` "key (x) is not config as key value config,..." and numeric
 *   use of a text field -> "key (x) is not config as numberic column" (SLS SQL error center pages,
 *   and client code that matches on these messages with errorCode ParameterInvalid).
 * - Syntax errors -> "parse search query error,please read query syntax document,error detail:..."
 *   (message reported by SLS clients).
 * - Default 100 rows and LIMIT bounds (alibabacloud.com/help/en/sls/limit-clause); `_col0` for an
 *   un-aliased expression (logical-operators page examples).
 */
import { QueryError } from './errors.js';
import type { FieldDef } from './fields.js';
import { fieldCatalog } from './fields.js';
import { parseSearch } from './search-parser.js';
import { searchToSql } from './search-to-sql.js';
import type { ValueType } from './sql-rebuild.js';
import { SOURCE_ALIAS, rebuildAnalytic } from './sql-rebuild.js';
import type { Dialect } from './sql-writer.js';
import { ParamSink, numbered } from './sql-writer.js';

export interface CompileOptions {
  dialect: Dialect;
  /** table name or parenthesised subquery with the caller's base filter, e.g. `(SELECT * FROM t WHERE ...)` */
  source: string;
  sourceParams: readonly unknown[];
}

export interface CompiledQuery {
  kind: 'search' | 'analytic';
  where: { sql: string; params: unknown[] };
  analytic?: {
    sql: string;
    params: unknown[];
    /** result column names in order, as SLS names them */
    columns: string[];
    /** per result column, for toStringRow */
    columnTypes: Record<string, ValueType>;
  };
}

const MAX_SQL_LENGTH = 16 * 1024;

/** Index of the `|` separating search and SQL, ignoring pipes inside double quotes or escaped. */
export function findPipe(query: string): number {
  let inQuote = false;
  for (let i = 0; i < query.length; i++) {
    const c = query[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '"') inQuote = !inQuote;
    else if (c === '|' && !inQuote) return i;
  }
  return -1;
}

export function compileQuery(
  query: string,
  fields: readonly FieldDef[],
  opts: CompileOptions,
): CompiledQuery {
  if (typeof query !== 'string') throw new QueryError('query must be a string');
  const catalog = fieldCatalog(fields);
  const pipe = findPipe(query);
  const searchText = pipe < 0 ? query : query.slice(0, pipe);
  const ast = parseSearch(searchText, 0);

  const whereSink = new ParamSink(opts.dialect, opts.sourceParams.length);
  const where = { sql: searchToSql(ast, catalog, whereSink), params: whereSink.values };
  if (pipe < 0) return { kind: 'search', where };

  const sqlText = query.slice(pipe + 1);
  if (sqlText.trim() === '') throw new QueryError('analytic statement after | is empty', pipe + 1);
  if (sqlText.length > MAX_SQL_LENGTH) {
    throw new QueryError(`analytic statement longer than ${MAX_SQL_LENGTH} characters`, pipe + 1);
  }
  const pg = numbered(opts.dialect);
  const sink = new ParamSink(opts.dialect, pg ? opts.sourceParams.length : 0);
  const built = rebuildAnalytic(sqlText, {
    catalog,
    params: sink,
    source: opts.source,
    offset: pipe + 1 + (sqlText.length - sqlText.trimStart().length),
    spliceSourceParams: () => {
      if (!pg) sink.splice(opts.sourceParams);
    },
    renderSearch: () => (ast.kind === 'all' ? null : searchToSql(ast, catalog, sink, SOURCE_ALIAS)),
  });
  return {
    kind: 'analytic',
    where,
    analytic: {
      sql: built.sql,
      params: pg ? [...opts.sourceParams, ...built.params] : built.params,
      columns: built.columns,
      columnTypes: built.columnTypes,
    },
  };
}
