/**
 * What one GetLogs query may cost the process (README "Security"): a time budget after which the
 * engine interrupts it, how many statements one project may run at once (SLS: 15 analytic statements,
 * 100 searches per project), the compile-time cost limits (query-cost.ts) and how many bytes of rows
 * one answer may hold. Defaults are SLS's documented limits where it has them (sls-limits.ts).
 */
import { slsError } from '../../../protocol/sls/sls-errors.js';
import { DEFAULT_QUERY_COST_LIMITS, type QueryCostLimits } from '../query/query-cost.js';
import { SLS_QUERY_LIMITS } from '../query/sls-limits.js';

export interface QueryBudget {
  /** Milliseconds a query may run before it is interrupted (`--query-timeout-ms`). */
  timeoutMs: number;
  /** Analytic statements (`search | select`) running at once per project (`--query-concurrency`). */
  analyticConcurrency: number;
  /** Searches running at once per project (`--search-concurrency`). */
  searchConcurrency: number;
  /** Estimated JSON bytes of rows one answer may hold (`--query-max-response-bytes`). */
  maxResponseBytes: number;
  /** Rows one analytic answer may hold: SLS's LIMIT maximum. */
  maxRows: number;
  cost: QueryCostLimits;
}

export const DEFAULT_QUERY_BUDGET: QueryBudget = {
  timeoutMs: SLS_QUERY_LIMITS.analyticTimeoutMs.value,
  analyticConcurrency: SLS_QUERY_LIMITS.concurrentAnalyticsPerProject.value,
  searchConcurrency: SLS_QUERY_LIMITS.concurrentSearchesPerProject.value,
  maxResponseBytes: 10 * 1024 * 1024,
  maxRows: SLS_QUERY_LIMITS.analyticMaxRows.value,
  cost: DEFAULT_QUERY_COST_LIMITS,
};

export type QueryKind = 'search' | 'analytic';

/** Counts the statements running per project; `enter` refuses one over the limit with ExceedQuota. */
export class QueryGate {
  readonly #running = new Map<string, number>();

  constructor(private readonly budget: Pick<QueryBudget, 'analyticConcurrency' | 'searchConcurrency'>) {}

  /** Admits one statement of `project` (a key unique per account, region and project); call the release once. */
  enter(project: string, kind: QueryKind): () => void {
    const key = `${kind}\n${project}`;
    const limit = kind === 'analytic' ? this.budget.analyticConcurrency : this.budget.searchConcurrency;
    const running = this.#running.get(key) ?? 0;
    if (running >= limit) {
      throw slsError('ExceedQuota', { limit: String(limit), kind: kind === 'analytic' ? 'query' : 'search' });
    }
    this.#running.set(key, running + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const n = (this.#running.get(key) ?? 1) - 1;
      if (n <= 0) this.#running.delete(key);
      else this.#running.set(key, n);
    };
  }

  /** Statements running now, for tests and metrics. */
  running(project: string, kind: QueryKind): number {
    return this.#running.get(`${kind}\n${project}`) ?? 0;
  }
}
