/**
 * The nonce store of a node on a shared database: nonces live in the database (NonceRepo), so a
 * request replayed on another node within the window is refused there too, and the per-AccessKey quota
 * of live nonces counts every node's. Expired rows are swept at most once a minute per node, after a
 * successful check, never in the request's way.
 */
import type { NonceCheck, NonceStore } from '../../protocol/nonce-cache.js';
import type { NonceRepo } from '../../store/repos/nonce-repo.js';

const SWEEP_EVERY_MS = 60_000;

export class SharedNonces implements NonceStore {
  #lastSweep = 0;

  constructor(
    private readonly repo: NonceRepo,
    /** Live nonces one AccessKey may hold, all nodes together (as NonceCache's quota). */
    private readonly perKeyQuota: number,
  ) {}

  async check(accessKeyId: string, nonce: string, nowMs: number, untilMs: number): Promise<NonceCheck> {
    if (await this.repo.isLive(accessKeyId, nonce, nowMs)) return { ok: false, reason: 'used' };
    const live = await this.repo.liveCount(accessKeyId, nowMs, this.perKeyQuota);
    if (live.count >= this.perKeyQuota) {
      return { ok: false, reason: 'quota', retryAfterMs: Math.max(1, (live.oldest ?? nowMs) - nowMs) };
    }
    // Two nodes racing for one nonce: the primary key lets exactly one insert it. Two racing for the
    // last places of a quota may both pass (the quota is a bound on memory, not a rate).
    if (!(await this.repo.remember(accessKeyId, nonce, nowMs, untilMs))) return { ok: false, reason: 'used' };
    if (nowMs - this.#lastSweep >= SWEEP_EVERY_MS) {
      this.#lastSweep = nowMs;
      void this.repo.sweep(nowMs).catch(() => undefined);
    }
    return { ok: true };
  }
}
