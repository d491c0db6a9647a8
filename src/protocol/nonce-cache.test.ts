import { describe, expect, it } from 'vitest';
import { NonceCache } from './nonce-cache.js';

describe('NonceCache', () => {
  it('refuses a nonce seen within the window and accepts it after', () => {
    const cache = new NonceCache(1000, 10);
    expect(cache.check('k', 'a', 0)).toEqual({ ok: true });
    expect(cache.check('k', 'a', 999)).toEqual({ ok: false, reason: 'used' });
    expect(cache.check('k', 'a', 1000)).toEqual({ ok: true });
  });

  it('keeps nonces per AccessKey: the same nonce under another key is a different one', () => {
    const cache = new NonceCache(1000, 10);
    expect(cache.check('k1', 'a', 0).ok).toBe(true);
    expect(cache.check('k2', 'a', 0).ok).toBe(true);
    expect(cache.check('k1', 'a', 1).ok).toBe(false);
  });

  it('a key over its quota is refused until its oldest nonce expires; it never evicts anything', () => {
    const cache = new NonceCache(60_000, 100);
    for (let i = 0; i < 100; i++) expect(cache.check('flood', `n${i}`, i).ok).toBe(true);
    expect(cache.check('flood', 'one-more', 500)).toEqual({
      ok: false,
      reason: 'quota',
      retryAfterMs: 60_000 - 500,
    });
    // Every nonce it was given is still remembered: a replay of the first is refused.
    expect(cache.check('flood', 'n0', 501)).toEqual({ ok: false, reason: 'used' });
    expect(cache.sizeOf('flood')).toBe(100);
    // Once the oldest leaves the window there is room again.
    expect(cache.check('flood', 'one-more', 60_000).ok).toBe(true);
  });

  it('one key flooding cannot make the cache forget another key’s nonces', () => {
    const cache = new NonceCache(60_000, 50);
    expect(cache.check('victim', 'captured', 0).ok).toBe(true);
    for (let i = 0; i < 10_000; i++) cache.check('attacker', `n${i}`, 1);
    expect(cache.check('victim', 'captured', 2)).toEqual({ ok: false, reason: 'used' });
    expect(cache.size).toBe(51);
  });

  it('expires old entries as time passes', () => {
    const cache = new NonceCache(10, 1000);
    for (let i = 0; i < 50; i++) cache.check('k', `n${i}`, 0);
    cache.check('k', 'late', 100);
    expect(cache.size).toBe(1);
  });

  it('remembers a nonce until the given time, later than the window for a request dated ahead', () => {
    const cache = new NonceCache(15, 100);
    expect(cache.check('k', 'ahead', 0, 29).ok).toBe(true);
    expect(cache.check('k', 'ahead', 20).ok).toBe(false);
    expect(cache.check('k', 'ahead', 29).ok).toBe(true);
  });
});
