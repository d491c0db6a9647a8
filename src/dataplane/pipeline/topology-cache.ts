/**
 * The pipeline's network view (ENIs, Active flow logs, exporter bindings), reloaded from the store when
 * it changes: on `invalidate` (an admin binding), when the tables it is built from have a new data
 * version (checked at most every CHECK_MS on the receive path), when a flow-log state change is due,
 * and every `refreshMs` on the timer.
 */
import type { Store } from '../../store/store.js';
import { loadTopology, Topology } from './topology.js';

/** The tables the network view is built from: a write to any of them reloads it. */
const TOPOLOGY_TABLES = ['network_interfaces', 'flow_logs', 'exporter_bindings', 'vpcs', 'vswitches'];
/** How often the receive path checks whether the network view is current (a cheap version read). */
const CHECK_MS = 100;

export class TopologyCache {
  current = new Topology([], [], []);
  private lastRefresh = -Infinity;
  private lastCheck = -Infinity;
  private version = '';
  private stale = true;

  constructor(
    private readonly store: Store,
    private readonly now: () => number,
    private readonly refreshMs: number,
  ) {}

  /** The network view changed (bindings, resources): reload it before it is used next. */
  invalidate(): void {
    this.stale = true;
  }

  /** Reloads ENIs, Active flow logs (after applying due state changes) and exporter bindings. */
  async refresh(): Promise<void> {
    const now = this.now();
    await this.store.settleDue();
    this.version = await this.store.db.dataVersion(TOPOLOGY_TABLES);
    this.current = await loadTopology(this.store.db);
    this.lastRefresh = now;
    this.stale = false;
  }

  /**
   * Makes sure the view is current before a batch is attributed: ENIs and flow logs created a moment
   * ago are covered. At most every CHECK_MS, a version read (no query) and the due-settle check.
   */
  async ensureFresh(): Promise<void> {
    const now = this.now();
    if (!this.stale && now - this.lastCheck < CHECK_MS) return;
    this.lastCheck = now;
    if (
      this.stale ||
      (await this.store.db.dataVersion(TOPOLOGY_TABLES)) !== this.version ||
      (await this.store.repos.flowLogs.hasDue(now))
    ) {
      await this.refresh();
    }
  }

  /** On the timer: a full reload every `refreshMs`, else the cheap check. */
  async onTick(): Promise<void> {
    if (this.stale || this.now() - this.lastRefresh >= this.refreshMs) await this.refresh();
    else await this.ensureFresh();
  }
}
