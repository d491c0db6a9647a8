/**
 * Which node runs a kind of background work (TTL sweeping, the NODATA / SKIPDATA pass) when several
 * nodes share one PostgreSQL database: the holder of a lease (src/store/repos/lease-repo.ts). A single
 * SQLite process is always the one node.
 *
 * The holder renews every third of the lease time. It counts itself the holder only until the lease
 * time has passed since it *sent* its last successful renewal, which is never later than the expiry the
 * database recorded; so when it cannot reach the database it stops before another node may take over,
 * and two nodes never both run the work (as long as their clocks run at about the same rate). Another
 * node tries at the same pace and takes over at most one lease time plus one attempt after the holder
 * died; a clean stop gives the lease up at once.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from '../logger.js';
import type { LeaseRepo } from '../store/repos/lease-repo.js';
import type { Store } from '../store/store.js';

/** Kinds of background work, one lease each. */
export type BackgroundJob = 'ttl-sweep' | 'status-records';

export interface Leadership {
  /** Whether this node runs the work now. */
  held(): boolean;
  /** Stops renewing and gives the lease up. */
  stop(): Promise<void>;
}

/** The single node (SQLite): always the one. */
export const SOLE_NODE: Leadership = { held: () => true, stop: async () => undefined };

export const DEFAULT_LEASE_MS = 15_000;

/** This process's name in lease rows: readable (host, pid) and unique (a restart is a new holder). */
export const NODE_ID = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

export interface LeaseOptions {
  /** How long a lease lasts without renewal (`--leader-lease-ms`). */
  leaseMs: number;
  /** Holder name; NODE_ID by default (tests run several nodes in one process). */
  holder?: string;
  logger?: Logger;
}

export class LeaderLease implements Leadership {
  private readonly repo: LeaseRepo;
  private readonly holder: string;
  /** Local time until which this node counts itself the holder. */
  private until = 0;
  private timer: NodeJS.Timeout | undefined;
  private attempt: Promise<void> | undefined;
  private stopped = false;

  constructor(
    store: Store,
    readonly job: BackgroundJob,
    private readonly options: LeaseOptions,
  ) {
    this.repo = store.repos.leases;
    this.holder = options.holder ?? NODE_ID;
  }

  /** Makes a first attempt (so a lone node leads from the start) and keeps trying in the background. */
  async start(): Promise<this> {
    await this.tryAcquire();
    this.timer = setInterval(() => void this.tryAcquire(), Math.max(1, Math.floor(this.options.leaseMs / 3)));
    this.timer.unref();
    return this;
  }

  held(): boolean {
    return Date.now() < this.until;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.attempt;
    const wasHeld = this.held();
    this.until = 0;
    if (wasHeld) await this.repo.release(this.job, this.holder).catch(() => undefined);
  }

  private tryAcquire(): Promise<void> {
    if (this.attempt || this.stopped) return this.attempt ?? Promise.resolve();
    const sent = Date.now();
    const wasHeld = this.held();
    this.attempt = this.repo
      .acquire(this.job, this.holder, this.options.leaseMs)
      .then(
        (ok) => {
          if (this.stopped) return;
          this.until = ok ? sent + this.options.leaseMs : 0;
          if (ok && !wasHeld) this.options.logger?.info('background lease taken', { job: this.job });
          if (!ok && wasHeld) this.options.logger?.warn('background lease lost', { job: this.job });
        },
        (err: unknown) => {
          // Unreachable database: keep counting until the lease time runs out, then stop by itself.
          this.options.logger?.warn('background lease renewal failed', {
            job: this.job,
            error: String(err),
          });
        },
      )
      .finally(() => {
        this.attempt = undefined;
      });
    return this.attempt;
  }
}

/**
 * The leadership of `job` for this node: SOLE_NODE on SQLite, a started lease on PostgreSQL. `shared`
 * false keeps SOLE_NODE on PostgreSQL too, for work on data each node keeps for itself (records in a
 * node-local DuckDB store are swept by that node).
 */
export async function leadershipFor(
  store: Store,
  job: BackgroundJob,
  options: LeaseOptions & { shared?: boolean },
): Promise<Leadership> {
  if (store.kind !== 'postgres' || options.shared === false) return SOLE_NODE;
  return new LeaderLease(store, job, options).start();
}
