/**
 * GetLogs (`GET /logstores/{logstore}?type=log`, answer: a JSON array plus `x-log-*` headers) and GetLogsV2
 * (`POST /logstores/{logstore}/logs`, answer: `{data, meta}`), over one query runner.
 *
 * Semantics (SLS GetLogs reference and the SDK model docs): `[from, to)` in Unix seconds, both required;
 * `line` 0-100, default 100, larger values clamped to 100 as the live service does; `offset` default 0;
 * `reverse` false = oldest first. `line`/`offset`/`reverse` page search results only: an analytic query
 * (`search | select ...`) returns its own rows, ordered and limited by its ORDER BY / LIMIT.
 */
import { performance } from 'node:perf_hooks';
import type { RawResponse } from '../../../protocol/request.js';
import { slsError } from '../../../protocol/sls/sls-errors.js';
import { QueryError, toStringRow, type ValueType } from '../query/index.js';
import { QueryInterrupted, type LogstoreRef } from '../../../store/records/record-store.js';
import { executeLogsQuery } from './logs-execution.js';
import { DEFAULT_QUERY_BUDGET, QueryGate } from './query-budget.js';
import { RECORD_FIELD_NAMES, recordToSls } from './record-map.js';
import type { SlsCall } from './sls-context.js';
import { slsJson } from './sls-response.js';

export interface LogsRequest {
  from: number;
  to: number;
  query: string;
  line: number;
  offset: number;
  reverse: boolean;
  topic: string | undefined;
}

export interface LogsResult {
  rows: Record<string, string>[];
  hasSql: boolean;
  whereQuery: string;
  aggQuery: string;
  keys: string[];
  columnTypes: string[] | undefined;
  elapsedMs: number;
  /** The answer stopped at the row or byte bound: SLS's "incomplete" marker. */
  truncated: boolean;
}

/** Gates of callers that wire no `queryGate` (tests, tools), one per store. */
const defaultGates = new WeakMap<object, QueryGate>();

function gateOf(call: SlsCall): QueryGate {
  if (call.deps.queryGate) return call.deps.queryGate;
  let gate = defaultGates.get(call.deps.store);
  if (!gate) {
    gate = new QueryGate(call.deps.queryBudget ?? DEFAULT_QUERY_BUDGET);
    defaultGates.set(call.deps.store, gate);
  }
  return gate;
}

/** SLS (Presto) names of the compiler's value types, for GetLogsV2 `meta.columnTypes`. */
const SLS_TYPE: Record<ValueType, string> = {
  long: 'bigint',
  double: 'double',
  text: 'varchar',
  boolean: 'boolean',
  timestamp: 'timestamp',
  null: 'unknown',
};

/**
 * Runs a search or analytic query over one logstore's records (logs-execution.ts) within the query
 * budget (query-budget.ts): refused before it runs when too costly (ParameterInvalid naming the limit)
 * or when its project already runs as many statements as allowed (ExceedQuota); interrupted when it
 * runs over the time budget (RequestTimeout); its answer holds at most the budget's rows and bytes.
 * `signal` aborts it too (the engine interrupts the running statement).
 */
export async function runLogsQuery(
  call: SlsCall,
  ref: LogstoreRef,
  req: LogsRequest,
  opts: { signal?: AbortSignal } = {},
): Promise<LogsResult> {
  const started = performance.now();
  const budget = call.deps.queryBudget ?? DEFAULT_QUERY_BUDGET;
  const timeout = AbortSignal.timeout(budget.timeoutMs);
  const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
  const project = `${call.accountId}\n${ref.regionId}\n${ref.projectName}`;
  const gate = gateOf(call);
  try {
    const run = await executeLogsQuery(call.deps.store.records, ref, req, {
      signal,
      compiler: call.deps.compiler,
      cost: budget.cost,
      admit: (kind) => gate.enter(project, kind),
      bounds: { maxRows: budget.maxRows, maxBytes: budget.maxResponseBytes },
    });
    const whereQuery = run.searchText.trim() === '' ? '*' : run.searchText.trim();
    if (run.kind === 'search') {
      return {
        rows: run.rows.map(recordToSls),
        hasSql: false,
        whereQuery,
        aggQuery: '',
        keys: [...RECORD_FIELD_NAMES],
        columnTypes: undefined,
        elapsedMs: performance.now() - started,
        truncated: run.truncated,
      };
    }
    return {
      rows: run.rows.map((r) => toStringRow(r, run.columnTypes)),
      hasSql: true,
      whereQuery,
      aggQuery: run.sqlText.trim(),
      keys: run.columns,
      columnTypes: run.columns.map((c) => SLS_TYPE[run.columnTypes[c] ?? 'null']),
      elapsedMs: performance.now() - started,
      truncated: run.truncated,
    };
  } catch (err) {
    if (err instanceof QueryInterrupted && timeout.aborted && !opts.signal?.aborted) {
      throw slsError('RequestTimeout', { ms: budget.timeoutMs });
    }
    if (err instanceof QueryError) throw slsError('ParameterInvalid', { detail: err.message });
    // A statement the compiler let through but the engine refused is still the caller's query at fault.
    if (err instanceof Error && (err.name === 'SqliteError' || err.name === 'RecordQueryError')) {
      throw slsError('ParameterInvalid', { detail: `line 1:1: ${err.message}` });
    }
    throw err;
  }
}

const PRINTABLE = /^[\x20-\x7e]*$/;
/** Longest query text echoed in `x-log-where-query` / `x-log-agg-query` (vpcflow's choice). */
const MAX_ECHOED_QUERY = 4096;

/** GetLogs' answer; the request is validated by its declaration (get-logs-ops.ts). */
export async function getLogs(call: SlsCall, ref: LogstoreRef, req: LogsRequest): Promise<RawResponse> {
  const result = await runLogsQuery(call, ref, req, { signal: call.signal });
  const headers: Record<string, string> = {
    'x-log-progress': result.truncated ? 'Incomplete' : 'Complete',
    'x-log-count': String(result.rows.length),
    'x-log-processed-rows': String(result.rows.length),
    'x-log-elapsed-millisecond': String(Math.round(result.elapsedMs)),
    'x-log-has-sql': String(result.hasSql),
  };
  // Header values must be plain ASCII; a query with other characters is simply not echoed. Nor is a
  // long one: the answer's headers must stay well under the 16 KiB clients (Node's default) accept.
  const echo = (q: string): boolean => PRINTABLE.test(q) && q.length <= MAX_ECHOED_QUERY;
  if (echo(result.whereQuery)) headers['x-log-where-query'] = result.whereQuery;
  if (echo(result.aggQuery)) headers['x-log-agg-query'] = result.aggQuery;
  return slsJson(call.requestId, result.rows, headers);
}

export async function getLogsV2(call: SlsCall, ref: LogstoreRef, req: LogsRequest): Promise<RawResponse> {
  const result = await runLogsQuery(call, ref, req, { signal: call.signal });
  const meta: Record<string, unknown> = {
    progress: result.truncated ? 'Incomplete' : 'Complete',
    count: result.rows.length,
    processedRows: result.rows.length,
    processedBytes: 0,
    elapsedMillisecond: Math.round(result.elapsedMs),
    hasSQL: result.hasSql,
    isAccurate: !result.truncated,
    whereQuery: result.whereQuery,
    aggQuery: result.aggQuery,
    keys: result.keys,
    terms: [],
    limited: 0,
    mode: 0,
    telementryType: 'logging',
  };
  if (result.columnTypes) meta['columnTypes'] = result.columnTypes;
  return slsJson(call.requestId, { data: result.rows, meta });
}
