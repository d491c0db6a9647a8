import { describe, expect, it } from 'vitest';
import { Throttle } from './throttle.js';

describe('Throttle', () => {
  it('allows a burst of rps, then refuses with the wait until the next token', () => {
    let now = 0;
    const t = new Throttle(10, () => now);
    for (let i = 0; i < 10; i++) expect(t.take('a')).toBe(0);
    expect(t.take('a')).toBe(100);
    now = 100;
    expect(t.take('a')).toBe(0);
    expect(t.take('a')).toBeGreaterThan(0);
  });

  it('keeps one bucket per key: one caller over its limit does not slow another', () => {
    let now = 0;
    const t = new Throttle(5, () => now);
    for (let i = 0; i < 50; i++) t.take('acct-1\nDescribeFlowLogs');
    expect(t.take('acct-2\nDescribeFlowLogs')).toBe(0);
    expect(t.take('acct-1\nCreateFlowLog')).toBe(0);
    now = 1;
    expect(t.take('acct-1\nDescribeFlowLogs')).toBeGreaterThan(0);
  });

  it('0 disables it', () => {
    const t = new Throttle(0, () => 0);
    for (let i = 0; i < 1000; i++) expect(t.take('a')).toBe(0);
    expect(t.size).toBe(0);
  });

  it('forgets buckets that have refilled, so memory follows the active keys', () => {
    let now = 0;
    const t = new Throttle(100, () => now);
    for (let i = 0; i < 10_000; i++) t.take(`key-${i}`);
    expect(t.size).toBe(10_000);
    now = 5_000;
    t.take('new');
    expect(t.size).toBe(1);
  });
});
