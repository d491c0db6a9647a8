import { describe, expect, it } from 'vitest';
import { QueryGate } from './query-budget.js';

describe('QueryGate', () => {
  it('limits analytic statements and searches per project separately, with SLS’s message', () => {
    const gate = new QueryGate({ analyticConcurrency: 1, searchConcurrency: 2 });
    const a = gate.enter('p1', 'analytic');
    expect(() => gate.enter('p1', 'analytic')).toThrow('user can only run 1 query concurrently');
    const s1 = gate.enter('p1', 'search');
    gate.enter('p1', 'search');
    expect(() => gate.enter('p1', 'search')).toThrowError(
      expect.objectContaining({ errorCode: 'ExceedQuota', httpStatus: 403 }) as Error,
    );
    expect(() => gate.enter('p1', 'search')).toThrow('user can only run 2 search concurrently');
    // Another project is not affected.
    gate.enter('p2', 'analytic')();
    a();
    a(); // a release runs once
    expect(gate.running('p1', 'analytic')).toBe(0);
    gate.enter('p1', 'analytic');
    s1();
    expect(gate.running('p1', 'search')).toBe(1);
  });
});
