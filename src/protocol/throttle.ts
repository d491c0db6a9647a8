/**
 * Flow control: one token bucket per key (account and action for the RPC API, account and operation
 * for SLS). A bucket holds one second's worth of requests (`rps` tokens) and refills at `rps` a
 * second, so a caller may burst up to `rps` at once and sustain `rps`. `rps` 0 disables throttling.
 *
 * Buckets that have refilled completely are the same as no bucket, so they are dropped by a sweep:
 * memory follows the keys active in the last second, not every key ever seen.
 */
export class Throttle {
  readonly #buckets = new Map<string, { tokens: number; at: number }>();
  #lastSweep = 0;

  constructor(
    readonly rps: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Takes a token for `key`: 0 when allowed, otherwise the milliseconds until one is available. */
  take(key: string): number {
    if (this.rps <= 0) return 0;
    const now = this.now();
    this.#sweep(now);
    const bucket = this.#buckets.get(key) ?? { tokens: this.rps, at: now };
    bucket.tokens = Math.min(this.rps, bucket.tokens + ((now - bucket.at) * this.rps) / 1000);
    bucket.at = now;
    this.#buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - bucket.tokens) * 1000) / this.rps);
  }

  /** Buckets currently held. */
  get size(): number {
    return this.#buckets.size;
  }

  #sweep(now: number): void {
    if (now - this.#lastSweep < 1000) return;
    this.#lastSweep = now;
    for (const [key, b] of this.#buckets) {
      if (b.tokens + ((now - b.at) * this.rps) / 1000 >= this.rps) this.#buckets.delete(key);
    }
  }
}
