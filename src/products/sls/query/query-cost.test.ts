import { describe, expect, it } from 'vitest';
import {
  DEFAULT_QUERY_COST_LIMITS,
  checkQueryCost,
  queryCost,
  searchCost,
  sqlLiteralBytes,
} from './query-cost.js';
import { parseSearch } from './search-parser.js';

describe('query cost', () => {
  it('counts terms, LIKE scans (free text fans out over the text fields) and literal bytes', () => {
    const cost = searchCost(parseSearch('srcaddr: 10.0.0.1 and (foo or dstport > 80) not action: ACC*'), 12);
    expect(cost).toEqual({ terms: 4, likes: 12 + 1, literalBytes: '10.0.0.1'.length + 3 + 4 });
  });

  it('refuses the issue’s 1,024-term balanced OR tree on the keyword limit, naming it', () => {
    const terms = Array.from({ length: 1024 }, (_, i) => `*q${i}*`);
    let layer = terms;
    while (layer.length > 1) {
      const next: string[] = [];
      for (let i = 0; i < layer.length; i += 2) next.push(`(${layer[i]} or ${layer[i + 1]})`);
      layer = next;
    }
    const cost = queryCost(parseSearch(layer[0]!), 12);
    expect(cost.terms).toBe(1024);
    expect(checkQueryCost(cost)).toBe('the search statement has 1024 conditions, more than the limit of 30');
  });

  it('names the LIKE, column and literal limits', () => {
    const base = { terms: 1, likes: 1, columns: 1, literalBytes: 1 };
    expect(checkQueryCost({ ...base, likes: 300 })).toMatch(/300 text scans.*limit of 256/);
    expect(checkQueryCost({ ...base, columns: 2000 })).toMatch(/2000 columns, more than the limit of 1000/);
    expect(checkQueryCost({ ...base, literalBytes: 12_000 + 5_000 })).toMatch(/17000 bytes of literals/);
    expect(checkQueryCost(base)).toBeUndefined();
  });

  it('counts the analytic statement’s columns and string literals (the 200-column select)', () => {
    const cols = Array.from({ length: 200 }, (_, i) => `'${'x'.repeat(60)}' as c${i}`).join(', ');
    const sql = `select ${cols} from log limit 1000000`;
    expect(sqlLiteralBytes(sql)).toBe(200 * 60);
    expect(sqlLiteralBytes("select 'it''s'")).toBe(4);
    const cost = queryCost(parseSearch('*'), 12, { sql, columns: 200 });
    // Within the default limits (SLS answers it; GetLogs bounds the answer's bytes instead).
    expect(checkQueryCost(cost)).toBeUndefined();
    expect(checkQueryCost(cost, { ...DEFAULT_QUERY_COST_LIMITS, columns: 64 })).toMatch(/200 columns/);
  });

  it('a deep tree does not overflow the stack', () => {
    const deep = `${'('.repeat(60)}a${')'.repeat(60)}`;
    expect(searchCost(parseSearch(deep), 1).terms).toBe(1);
  });
});
