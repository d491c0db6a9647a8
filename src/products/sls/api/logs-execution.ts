/**
 * Executing a GetLogs query on a record store: compile the SLS query for the store's dialect over the
 * logstore's records in `[from, to)`, run it there, and hand back raw rows (GetLogs renders them). The
 * same function serves every engine, which is what the SQLite-vs-DuckDB differential test relies on.
 */
import { FLOW_LOG_FIELDS, compileQuery, findPipe, parseSearch, type ValueType } from '../query/index.js';
import { filteredRecordSource, searchSql } from '../../../store/records/record-sql.js';
import type {
  LogstoreRef,
  QueryOptions,
  RecordFilter,
  RecordStore,
} from '../../../store/records/record-store.js';
import { eniConstraint } from './eni-fast-path.js';

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
  | { kind: 'search'; rows: Record<string, unknown>[]; searchText: string }
  | {
      kind: 'analytic';
      rows: Record<string, unknown>[];
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
  opts: QueryOptions = {},
): Promise<LogsExecution> {
  const pipe = findPipe(q.query);
  const searchText = pipe < 0 ? q.query : q.query.slice(0, pipe);
  const filter: RecordFilter = { from: q.from, to: q.to, eniIds: eniConstraint(parseSearch(searchText, 0)) };
  if (q.topic) filter.topic = q.topic;
  const { source, params } = filteredRecordSource(records.dialect, ref, filter);
  const compiled = compileQuery(q.query, FLOW_LOG_FIELDS, {
    dialect: records.dialect,
    source,
    sourceParams: params,
  });
  if (compiled.kind === 'search' || !compiled.analytic) {
    const page = { offset: q.offset, limit: q.line, reverse: q.reverse };
    const search = searchSql(records.dialect, ref, filter, compiled.where, page);
    return { kind: 'search', rows: await records.query(search.sql, search.params, opts), searchText };
  }
  const a = compiled.analytic;
  return {
    kind: 'analytic',
    rows: await records.query(a.sql, a.params, opts),
    searchText,
    sqlText: q.query.slice(pipe + 1),
    columns: a.columns,
    columnTypes: a.columnTypes,
  };
}
