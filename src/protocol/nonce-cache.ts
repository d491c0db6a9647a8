/**
 * Remembers signature nonces for the replay window. Bounded: past `maxEntries` the oldest are forgotten
 * (a replay of a forgotten nonce would then pass the nonce check, but still needs a valid signature and
 * a timestamp inside the window). Entries expire in insertion order because the window is constant.
 */
export class NonceCache {
  readonly #seen = new Map<string, number>();

  constructor(
    private readonly windowMs: number,
    private readonly maxEntries: number,
  ) {}

  /** Records the nonce; false if it was already seen within the window. */
  checkAndRemember(key: string, nowMs: number): boolean {
    this.#evict(nowMs);
    const expires = this.#seen.get(key);
    if (expires !== undefined && expires > nowMs) return false;
    this.#seen.delete(key);
    this.#seen.set(key, nowMs + this.windowMs);
    return true;
  }

  get size(): number {
    return this.#seen.size;
  }

  #evict(nowMs: number): void {
    for (const [key, expires] of this.#seen) {
      if (expires > nowMs && this.#seen.size < this.maxEntries) break;
      this.#seen.delete(key);
    }
  }
}
