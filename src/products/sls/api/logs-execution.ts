/**
 * Executing a GetLogs query on a record store: compile the SLS query for the store's dialect over the
 * logstore's records in `[from, to)`, run it there, and hand back raw rows (GetLogs renders them). The
 * same function serves every engine, which is what the SQLite-vs-DuckDB differential test relies on.
 */
import {
  FLOW_LOG_FIELDS,
  QueryError,
  compileQuery,
  findPipe,
  parseSearch,
  type ValueType,
} from '../query/index.js';
import { checkQueryCost, queryCost, type QueryCostLimits } from '../query/query-cost.js';
import type { CompileWorker } from '../query/compile-off-thread.js';
import { filteredRecordSource, searchSql } from '../../../store/records/record-sql.js';
import type {
  LogstoreRef,
  QueryOptions,
  RecordFilter,
  RecordStore,
} from '../../../store/records/record-store.js';
import { eniConstraint } from './eni-fast-path.js';
import type { QueryKind } from './query-budget.js';

/** Fields a free-text term is matched against (each one a LIKE scan). */
const TEXT_FIELDS = FLOW_LOG_FIELDS.filter((f) => f.type === 'text').length;

export interface LogsExecutionOptions extends QueryOptions {
  /** Refuse (QueryError, naming the limit) a query whose compiled form costs more than this. */
  cost?: QueryCostLimits | undefined;
  /** Admits the statement before it runs (per-project concurrency); returns its release. */
  admit?: ((kind: QueryKind) => () => void) | undefined;
  /** Where analytic statements are compiled (a worker thread); absent = on the calling thread. */
  compiler?: CompileWorker | undefined;
  /** Stop materialising rows past these bounds; the answer is then `truncated`. */
  bounds?: { maxRows: number; maxBytes: number } | undefined;
}

export interface LogsQuery {
  from: number;
  to: number;
  query: string;
  /** Search paging (analytic statements page with their own LIMIT). */
  line: number;
  offset: number;
  reverse: boolean;
  topic?: string | undefined;
}

export type LogsExecution =
  | { kind: 'search'; rows: Record<string, unknown>[]; searchText: string; truncated: boolean }
  | {
      kind: 'analytic';
      rows: Record<string, unknown>[];
      truncated: boolean;
      searchText: string;
      sqlText: string;
      columns: string[];
      columnTypes: Record<string, ValueType>;
    };

/** Throws QueryError for a query the compiler refuses; the store's own errors pass through. */
export async function executeLogsQuery(
  records: RecordStore,
  ref: LogstoreRef,
  q: LogsQuery,
  opts: LogsExecutionOptions = {},
): Promise<LogsExecution> {
  const pipe = findPipe(q.query);
  const searchText = pipe < 0 ? q.query : q.query.slice(0, pipe);
  const search = parseSearch(searchText, 0);
  // The search alone first: a costly search is refused before it is even compiled.
  if (opts.cost) refuseCostly(checkQueryCost(queryCost(search, TEXT_FIELDS), opts.cost));
  const filter: RecordFilter = { from: q.from, to: q.to, eniIds: eniConstraint(search) };
  if (q.topic) filter.topic = q.topic;
  const key = records.logstoreKey?.(ref);
  const { source, params } = filteredRecordSource(records.dialect, ref, filter, key);
  const compileOpts = { dialect: records.dialect, source, sourceParams: params };
  // An analytic statement is parsed on the compiler's worker thread (compile-off-thread.ts): a long
  // one would otherwise stall the serving thread. The statement's signal (time budget) covers it.
  const compiled =
    pipe < 0
      ? compileQuery(q.query, FLOW_LOG_FIELDS, compileOpts)
      : opts.compiler
        ? await opts.compiler.compile(q.query, compileOpts, opts.signal)
        : compileQuery(q.query, FLOW_LOG_FIELDS, compileOpts);
  if (compiled.kind === 'search' || !compiled.analytic) {
    const page = { offset: q.offset, limit: q.line, reverse: q.reverse };
    const stmt = searchSql(records.dialect, ref, filter, compiled.where, page, key);
    const { rows, truncated } = await run(records, stmt.sql, stmt.params, 'search', opts, q.line);
    return { kind: 'search', rows, truncated, searchText };
  }
  const a = compiled.analytic;
  const sqlText = q.query.slice(pipe + 1);
  if (opts.cost) {
    const cost = queryCost(search, TEXT_FIELDS, { sql: sqlText, columns: a.columns.length });
    refuseCostly(checkQueryCost(cost, opts.cost));
  }
  const { rows, truncated } = await run(records, a.sql, a.params, 'analytic', opts);
  return {
    kind: 'analytic',
    rows,
    truncated,
    searchText,
    sqlText,
    columns: a.columns,
    columnTypes: a.columnTypes,
  };
}

function refuseCostly(over: string | undefined): void {
  if (over !== undefined) throw new QueryError(`the query is too costly to run: ${over}`);
}

async function run(
  records: RecordStore,
  sql: string,
  params: readonly unknown[],
  kind: QueryKind,
  opts: LogsExecutionOptions,
  pageRows?: number,
): Promise<{ rows: Record<string, unknown>[]; truncated: boolean }> {
  const release = opts.admit?.(kind);
  try {
    const read = opts.signal ? { signal: opts.signal } : {};
    if (!opts.bounds) return { rows: await records.query(sql, params, read), truncated: false };
    const maxRows = Math.min(opts.bounds.maxRows, pageRows ?? Infinity);
    return await records.queryBounded(sql, params, { ...read, maxRows, maxBytes: opts.bounds.maxBytes });
  } finally {
    release?.();
  }
}
