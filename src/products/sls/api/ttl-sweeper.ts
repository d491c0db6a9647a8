/**
 * Logstore retention: records older than the logstore's `ttl` days are deleted. SLS removes expired data
 * in the background, not at the exact second, so a periodic sweep (every minute by default) matches it.
 * A TTL of 3650 days is SLS's "permanent storage" and is never swept. Age is the record's own time
 * (`__time__`), as SLS retention goes by log time: records of a replayed capture older than the TTL are
 * removed by the next sweep. Deletion runs in bounded chunks (RecordStore.expire), never one long
 * statement, so a large backlog does not stall the event loop.
 *
 * Nodes sharing one record store sweep it from one node at a time: the holder of the `ttl-sweep` lease
 * (src/cluster/leadership.ts); the others skip their turn.
 */
import type { Leadership } from '../../../cluster/leadership.js';
import type { Logger } from '../../../logger.js';
import type { Store } from '../../../store/store.js';
import { LOGSTORE_TTL } from '../service/logstores.js';

const DAY_SECONDS = 86_400;

/** One sweep over every logstore; returns the number of records deleted. */
export async function runTtlSweep(store: Store, nowMs: number = Date.now()): Promise<number> {
  const nowSeconds = Math.floor(nowMs / 1000);
  const cutoffs = (await store.repos.logs.listAllLogstores())
    .filter((ls) => ls.ttl_days < LOGSTORE_TTL.max)
    .map((ls) => ({
      store: { regionId: ls.region_id, projectName: ls.project_name, logstoreName: ls.logstore_name },
      beforeTime: nowSeconds - ls.ttl_days * DAY_SECONDS,
    }));
  // All at once where the engine can use it (PostgreSQL drops whole days every logstore allows).
  if (store.records.expireAll) return store.records.expireAll(cutoffs);
  let deleted = 0;
  for (const c of cutoffs) deleted += await store.records.expire(c.store, c.beforeTime);
  return deleted;
}

export interface TtlSweeper {
  stop(): Promise<void>;
}

/** Sweeps every `intervalMs` on an unref'd timer (it never keeps the process alive); `stop` waits for a running sweep. */
export function startTtlSweeper(
  store: Store,
  opts: { intervalMs?: number; logger?: Logger; now?: () => number; leadership?: Leadership } = {},
): TtlSweeper {
  let running: Promise<void> | undefined;
  const sweep = (): void => {
    if (running) return;
    if (opts.leadership && !opts.leadership.held()) return;
    running = runTtlSweep(store, (opts.now ?? Date.now)())
      .then((deleted) => {
        if (deleted > 0) opts.logger?.info('expired records deleted', { deleted });
      })
      .catch((err: unknown) => opts.logger?.error('TTL sweep failed', { error: String(err) }))
      .finally(() => {
        running = undefined;
      });
  };
  const timer = setInterval(sweep, opts.intervalMs ?? 60_000);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
