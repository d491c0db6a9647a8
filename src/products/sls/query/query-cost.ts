/**
 * The cost of a query before it runs, from the parsed search AST and the analytic statement: how many
 * search terms, how many LIKE scans they turn into (a free-text term is matched against every text
 * field), how many result columns, how many bytes of literals. `checkQueryCost` names the first limit a
 * query is over, so that the refusal says which one. Pure functions: the GetLogs handler decides when
 * to call them and with which limits (the query-budget work of the tenant-safety issue).
 *
 * The default keyword limit is SLS's own (30 keywords per search statement, sls-limits.ts); the others
 * bound what one request may make the engine do.
 */
import type { SearchNode } from './search-parser.js';
import { SLS_QUERY_LIMITS } from './sls-limits.js';

export interface QueryCost {
  /** Search conditions (free text, key: value, comparisons, ranges); logical operators not counted. */
  terms: number;
  /** LIKE scans the search compiles to. */
  likes: number;
  /** Result columns of the analytic statement (0 without one). */
  columns: number;
  /** Bytes of literal text in the search values and the analytic statement's string literals. */
  literalBytes: number;
}

export interface QueryCostLimits {
  terms: number;
  likes: number;
  columns: number;
  literalBytes: number;
}

export const DEFAULT_QUERY_COST_LIMITS: QueryCostLimits = {
  terms: SLS_QUERY_LIMITS.searchKeywords.value,
  likes: 256,
  // SLS documents no column limit; 1,000 refuses only the absurd. A wide answer is bounded by bytes.
  columns: 1000,
  literalBytes: 16 * 1024,
};

/** Cost of a search AST; `textFields` is how many fields a free-text term is matched against. */
export function searchCost(node: SearchNode, textFields: number): Omit<QueryCost, 'columns'> {
  const cost = { terms: 0, likes: 0, literalBytes: 0 };
  const stack: SearchNode[] = [node];
  // Iterative: a deep tree must not exhaust the stack here either.
  while (stack.length > 0) {
    const n = stack.pop()!;
    switch (n.kind) {
      case 'all':
        break;
      case 'and':
      case 'or':
        stack.push(...n.items);
        break;
      case 'not':
        stack.push(n.item);
        break;
      case 'match':
        cost.terms++;
        cost.literalBytes += Buffer.byteLength(n.value.text);
        if (n.key === null) cost.likes += textFields;
        else if (n.value.wildcard) cost.likes++;
        break;
      case 'compare':
      case 'range':
        cost.terms++;
        break;
    }
  }
  return cost;
}

/** Bytes inside single-quoted string literals of an SQL text (`''` is an escaped quote). */
export function sqlLiteralBytes(sql: string): number {
  let bytes = 0;
  for (const m of sql.matchAll(/'((?:[^']|'')*)'/g)) bytes += Buffer.byteLength(m[1]!.replace(/''/g, "'"));
  return bytes;
}

/** The whole cost of `search | analytic`. */
export function queryCost(
  search: SearchNode,
  textFields: number,
  analytic?: { sql: string; columns: number },
): QueryCost {
  const s = searchCost(search, textFields);
  return {
    ...s,
    columns: analytic?.columns ?? 0,
    literalBytes: s.literalBytes + (analytic ? sqlLiteralBytes(analytic.sql) : 0),
  };
}

/** The message for the first limit the cost is over, or undefined when it is within all of them. */
export function checkQueryCost(
  cost: QueryCost,
  limits: QueryCostLimits = DEFAULT_QUERY_COST_LIMITS,
): string | undefined {
  if (cost.terms > limits.terms) {
    return `the search statement has ${cost.terms} conditions, more than the limit of ${limits.terms}`;
  }
  if (cost.likes > limits.likes) {
    return `the search statement needs ${cost.likes} text scans (free-text terms are matched against every text field), more than the limit of ${limits.likes}`;
  }
  if (cost.columns > limits.columns) {
    return `the analytic statement returns ${cost.columns} columns, more than the limit of ${limits.columns}`;
  }
  if (cost.literalBytes > limits.literalBytes) {
    return `the query has ${cost.literalBytes} bytes of literals, more than the limit of ${limits.literalBytes}`;
  }
  return undefined;
}
