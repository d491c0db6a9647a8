/**
 * Remembers signature nonces for the replay window, separately for each AccessKey and with a quota per
 * key. A key that has used up its quota of live nonces is refused (the caller answers with flow
 * control) until its oldest nonce leaves the window: no key can push another key's nonces out, and no
 * nonce is ever forgotten early, which would re-open the replay of a captured request.
 *
 * Only AccessKeys that exist get here (the nonce is checked after the signature), so the number of
 * per-key maps is bounded by the keys the operator created. Expired entries are swept from the oldest
 * end of each key's map.
 */
export type NonceCheck =
  { ok: true } | { ok: false; reason: 'used' } | { ok: false; reason: 'quota'; retryAfterMs: number };

/**
 * Where used signature nonces are remembered: in the process (NonceCache) for one node, or in the
 * shared database (SharedNonces) so that a nonce used on one node is refused on every other. Both keep
 * the same per-AccessKey quota of live nonces.
 */
export interface NonceStore {
  /**
   * Remembers this AccessKey's nonce until `untilMs` unless it is still remembered (`used`) or the key
   * already holds its quota of live nonces (`quota`); nothing changes when refused.
   */
  check(accessKeyId: string, nonce: string, nowMs: number, untilMs: number): NonceCheck | Promise<NonceCheck>;
}

export class NonceCache implements NonceStore {
  readonly #byKey = new Map<string, Map<string, number>>();
  #size = 0;

  constructor(
    private readonly windowMs: number,
    /** Live nonces one AccessKey may hold. */
    private readonly perKeyQuota: number,
  ) {}

  /** Records the nonce until `untilMs` (default: now + the window) unless it is still remembered. */
  check(
    accessKeyId: string,
    nonce: string,
    nowMs: number,
    untilMs: number = nowMs + this.windowMs,
  ): NonceCheck {
    let seen = this.#byKey.get(accessKeyId);
    if (seen === undefined) {
      seen = new Map();
      this.#byKey.set(accessKeyId, seen);
    }
    this.#sweep(seen, nowMs);
    const expires = seen.get(nonce);
    if (expires !== undefined && expires > nowMs) return { ok: false, reason: 'used' };
    if (expires !== undefined) {
      seen.delete(nonce);
      this.#size--;
    }
    if (seen.size >= this.perKeyQuota) {
      const oldest = seen.values().next().value ?? nowMs;
      return { ok: false, reason: 'quota', retryAfterMs: Math.max(1, oldest - nowMs) };
    }
    seen.set(nonce, untilMs);
    this.#size++;
    return { ok: true };
  }

  /** Nonces remembered, all keys together. */
  get size(): number {
    return this.#size;
  }

  /** Nonces remembered for one key. */
  sizeOf(accessKeyId: string): number {
    return this.#byKey.get(accessKeyId)?.size ?? 0;
  }

  #sweep(seen: Map<string, number>, nowMs: number): void {
    // Insertion order is nearly expiry order (expiry varies only with each request's own timestamp),
    // so stopping at the first live entry keeps this O(1) amortised; a later-expiring entry in front
    // only delays the sweep of those behind it, never forgets a live one early.
    for (const [nonce, expires] of seen) {
      if (expires > nowMs) break;
      seen.delete(nonce);
      this.#size--;
    }
  }
}
