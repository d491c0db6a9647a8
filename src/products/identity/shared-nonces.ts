/**
 * The nonce store of a node on a shared database: nonces live in the database (NonceRepo), so a
 * request replayed on another node within the window is refused there too. Expired rows are swept
 * at most once a minute per node, after a successful check, never in the request's way.
 */
import type { NonceStore } from '../../protocol/authenticate.js';
import type { NonceRepo } from '../../store/repos/nonce-repo.js';

const SWEEP_EVERY_MS = 60_000;

export class SharedNonces implements NonceStore {
  #lastSweep = 0;

  constructor(private readonly repo: NonceRepo) {}

  async remember(accessKeyId: string, nonce: string, nowMs: number, untilMs: number): Promise<boolean> {
    const fresh = await this.repo.remember(accessKeyId, nonce, nowMs, untilMs);
    if (nowMs - this.#lastSweep >= SWEEP_EVERY_MS) {
      this.#lastSweep = nowMs;
      void this.repo.sweep(nowMs).catch(() => undefined);
    }
    return fresh;
  }
}
