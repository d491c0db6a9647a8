/**
 * Remembers signature nonces for the replay window. Bounded: past `maxEntries` the oldest are forgotten
 * (a replay of a forgotten nonce would then pass the nonce check, but still needs a valid signature and
 * a timestamp inside the window). Expired entries are swept from the oldest end.
 */
import type { NonceStore } from './authenticate.js';

export class NonceCache implements NonceStore {
  readonly #seen = new Map<string, number>();

  constructor(
    private readonly windowMs: number,
    private readonly maxEntries: number,
  ) {}

  /**
   * Records the nonce until `untilMs` (default: now + the window); false if it is still remembered.
   */
  checkAndRemember(key: string, nowMs: number, untilMs: number = nowMs + this.windowMs): boolean {
    this.#evict(nowMs);
    const expires = this.#seen.get(key);
    if (expires !== undefined && expires > nowMs) return false;
    this.#seen.delete(key);
    this.#seen.set(key, untilMs);
    return true;
  }

  remember(accessKeyId: string, nonce: string, nowMs: number, untilMs: number): boolean {
    return this.checkAndRemember(`${accessKeyId}\n${nonce}`, nowMs, untilMs);
  }

  get size(): number {
    return this.#seen.size;
  }

  #evict(nowMs: number): void {
    // Insertion order is nearly expiry order (expiry varies only with each request's own timestamp),
    // so stopping at the first live entry keeps this O(1) amortised; a later-expiring entry in front
    // only delays the sweep of those behind it, never forgets a live one early.
    for (const [key, expires] of this.#seen) {
      if (expires > nowMs && this.#seen.size < this.maxEntries) break;
      this.#seen.delete(key);
    }
  }
}
