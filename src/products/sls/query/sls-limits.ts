/**
 * SLS's documented query and analysis limits, as data with their sources, for the query budget and
 * bounded answers (GetLogs). Each entry says where the value comes from; `verified: false` marks what
 * the stored documentation did not state and must be confirmed before it is relied on.
 *
 * Sources:
 * - [limits] "Query and analysis" limits, https://www.alibabacloud.com/help/doc-detail/92572.html
 *   (also https://help.aliyun.com/en/sls/query-and-analysis1), last updated Dec 21, 2025.
 * - [truncation] "Why are field values truncated when I query and analyze logs?",
 *   https://www.alibabacloud.com/help/en/sls/user-guide/why-are-field-values-truncated-when-i-query-and-analyze-logs
 * - [limit-clause] LIMIT clause, https://www.alibabacloud.com/help/en/sls/limit-clause (also cited by
 *   compile-query.ts for the default of 100 rows).
 * - [basic] "Basic resource limits", https://www.alibabacloud.com/help/en/sls/basic-resources
 */
export interface SlsLimit {
  readonly value: number;
  readonly unit: string;
  readonly source: string;
  readonly verified: boolean;
}

export const SLS_QUERY_LIMITS = {
  /** Keywords (conditions) in one search statement, logical operators not counted. */
  searchKeywords: {
    value: 30,
    unit: 'keywords',
    source: '[limits] Queries: Number of keywords',
    verified: true,
  },
  /** Logs one GetLogs page returns (the `line` parameter is 0-100). */
  logsPerPage: { value: 100, unit: 'logs', source: '[limits] Queries: Returned result', verified: true },
  /** Terms one fuzzy (wildcard) search expands to. */
  fuzzyTerms: { value: 100, unit: 'terms', source: '[limits] Queries: Fuzzy search', verified: true },
  /** Concurrent search statements per project. */
  concurrentSearchesPerProject: {
    value: 100,
    unit: 'statements',
    source: '[limits] Queries: Maximum number of concurrent search statements',
    verified: true,
  },
  /** Concurrent analytic (SQL) statements per project, general-purpose (not Dedicated SQL) instance. */
  concurrentAnalyticsPerProject: {
    value: 15,
    unit: 'statements',
    source: '[limits] Analysis: Concurrency (general-purpose instance)',
    verified: true,
  },
  /** Log data one analytic statement scans (general-purpose); beyond it the result is marked incomplete. */
  analyticScanBytes: {
    value: 400 * 1024 * 1024,
    unit: 'bytes',
    source: '[limits] Analysis: Data volume (general-purpose instance)',
    verified: true,
  },
  /** Bytes of one field value a search sees. */
  searchFieldValueBytes: { value: 512 * 1024, unit: 'bytes', source: '[truncation]', verified: true },
  /** Bytes of one field value analysis sees by default (configurable 64 to 16,384). */
  analyticFieldValueBytes: { value: 2048, unit: 'bytes', source: '[truncation]', verified: true },
  /** Rows an analytic statement returns without LIMIT. */
  analyticDefaultRows: { value: 100, unit: 'rows', source: '[limit-clause]', verified: true },
  /** Rows an analytic statement may return with LIMIT. */
  analyticMaxRows: { value: 1_000_000, unit: 'rows', source: '[limit-clause]', verified: false },
  /** Time an analytic statement may run. Not in the stored pages; the SLS console's figure. */
  analyticTimeoutMs: {
    value: 55_000,
    unit: 'ms',
    source: 'not found in the stored documentation',
    verified: false,
  },
  /** Project read requests (hard limit; 403 "Read QPS Exceed"). */
  projectReadsPerMinute: { value: 600_000, unit: 'requests/min', source: '[basic]', verified: true },
} as const satisfies Record<string, SlsLimit>;

/**
 * The SLS error a caller gets for each query limit. Codes with `verified: false` were not found in the
 * stored documentation and are the closest documented code until confirmed.
 */
export const SLS_QUERY_LIMIT_ERRORS = {
  tooCostly: {
    errorCode: 'ParameterInvalid',
    httpStatus: 400,
    verified: true,
    note: 'compile-time refusal, as other query errors',
  },
  concurrency: {
    errorCode: 'ExceedQuota',
    httpStatus: 403,
    verified: false,
    note: 'SQL concurrency over the project limit; the message `user can only run 15 query concurrently` is documented ("Common errors in query and analysis"), the code and status are not',
  },
  timeout: {
    errorCode: 'RequestTimeout',
    httpStatus: 408,
    verified: false,
    note: 'analysis did not finish in time; SLS answers a server-side 5xx, vpcflow 408 so that no refusal of a caller query is a 5xx',
  },
  readQps: { errorCode: 'ReadQuotaExceed', httpStatus: 403, verified: true, note: 'see sls-errors.ts' },
} as const;
