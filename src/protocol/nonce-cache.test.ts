import { describe, expect, it } from 'vitest';
import { NonceCache } from './nonce-cache.js';

describe('NonceCache', () => {
  it('refuses a nonce seen within the window and accepts it after', () => {
    const cache = new NonceCache(1000, 10);
    expect(cache.checkAndRemember('a', 0)).toBe(true);
    expect(cache.checkAndRemember('a', 999)).toBe(false);
    expect(cache.checkAndRemember('a', 1000)).toBe(true);
  });

  it('stays within its bound, forgetting the oldest entries', () => {
    const cache = new NonceCache(60_000, 100);
    for (let i = 0; i < 1000; i++) cache.checkAndRemember(`n${i}`, i);
    expect(cache.size).toBeLessThanOrEqual(100);
    expect(cache.checkAndRemember('n999', 1000)).toBe(false);
  });

  it('expires old entries as time passes', () => {
    const cache = new NonceCache(10, 1000);
    for (let i = 0; i < 50; i++) cache.checkAndRemember(`n${i}`, 0);
    cache.checkAndRemember('late', 100);
    expect(cache.size).toBe(1);
  });

  it('remembers a nonce until the given time, later than the window for a request dated ahead', () => {
    const cache = new NonceCache(15, 100);
    expect(cache.checkAndRemember('ahead', 0, 29)).toBe(true);
    expect(cache.checkAndRemember('ahead', 20)).toBe(false);
    expect(cache.checkAndRemember('ahead', 29)).toBe(true);
  });
});
