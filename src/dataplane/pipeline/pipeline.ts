/**
 * The flow pipeline: decoded flows in, flow-log records out. `ingest` (synchronous, on the receive
 * path) attributes each flow to ENIs, picks the Active flow logs covering them, applies TrafficType and
 * aggregates; `tick` (every second) emits the windows that closed, adds NODATA / SKIPDATA status
 * records and delivers; `flush` closes every open window now.
 *
 * Status records (a bounded rule, so an idle fleet costs one record per ENI per window, and a restart
 * never back-fills hours of NODATA): for each Active flow log, each pass considers only the most recent
 * window that has closed (on a timer pass: window end + grace <= now; on flush: the window holding now)
 * if it ended after the flow log was created and was not considered before (`closed_through`, stored).
 * Every ENI the flow log covers then gets SKIPDATA if the collector dropped flows it could not attribute
 * during that window, else NODATA if the ENI had no traffic in it.
 */
import { setImmediate as yieldToIo } from 'node:timers/promises';
import type { DecodedFlow } from '../collector/index.js';
import type { Logger } from '../../logger.js';
import { DeliveryRepo } from '../../store/repos/delivery-repo.js';
import type { RecordRow } from '../../store/repos/record-repo.js';
import type { Store } from '../../store/store.js';
import { Aggregator } from './aggregator.js';
import { Delivery, type DeliveryBatch } from './delivery.js';
import { bucketRecord, statusRecord, type Bucket } from './records.js';
import { loadTopology, Topology, type Attribution, type FlowLogInfo } from './topology.js';
import { MINUTE_MS, windowStartOf } from './window.js';

export interface PipelineOptions {
  store: Store;
  /** How long after its end a window stays open for late exports. */
  flushGraceMs: number;
  /** Bound of the aggregation table (open OK records); beyond it flows become SKIPDATA. */
  maxOpenBuckets?: number;
  /** How often the ENI / flow-log view is reloaded from the store. */
  refreshMs?: number;
  now?: () => number;
  logger?: Logger;
}

export interface PipelineCounters {
  /** Flows handed to the pipeline. */
  flows: number;
  /** Flows matched to at least one ENI. */
  attributed: number;
  /** Flows with an address that belongs to ENIs in several VPCs (unbound exporter): not guessed. */
  ambiguous: number;
  /** Flows matching no ENI. */
  unattributed: number;
  /** (flow, ENI) pairs with no Active flow log on the ENI. */
  unwatched: number;
  /** (flow, flow log) pairs removed by the flow log's TrafficType. */
  filtered: number;
  aggregated: number;
  /** Flows folded into SKIPDATA records because the aggregation table was full. */
  overflowed: number;
  /** Flows the pipeline dropped (reported as SKIPDATA for every covered ENI of that window). */
  dropped: number;
  records: number;
  nodataRecords: number;
  skipdataRecords: number;
  recordsDelivered: number;
  recordsFailed: number;
  deliveryFailures: number;
  /** Open aggregates (gauge). */
  openRecords: number;
}

/** Rows per delivery transaction; the receive path gets the event loop back between transactions. */
const DELIVERY_CHUNK = 20_000;
const DEFAULT_MAX_OPEN = 1_000_000;
const DEFAULT_REFRESH_MS = 2_000;
/** The tables the network view is built from: a write to any of them reloads it. */
const TOPOLOGY_TABLES = ['network_interfaces', 'flow_logs', 'exporter_bindings', 'vpcs', 'vswitches'];
/** How often the receive path checks whether the network view is current (a cheap version read). */
const CHECK_MS = 100;

export class FlowPipeline {
  private topology = new Topology([], [], []);
  private readonly aggregator: Aggregator;
  private readonly delivery: Delivery;
  private readonly now: () => number;
  private readonly closedThrough = new Map<string, number>();
  /** Wall-clock minutes (start, Unix ms) in which flows were dropped before attribution. */
  private readonly dropMinutes = new Set<number>();
  private readonly scratch: Attribution[] = [];
  private readonly c = {
    flows: 0,
    attributed: 0,
    ambiguous: 0,
    unattributed: 0,
    unwatched: 0,
    filtered: 0,
    dropped: 0,
    records: 0,
    nodataRecords: 0,
    skipdataRecords: 0,
  };
  private lastRefresh = -Infinity;
  private lastCheck = -Infinity;
  private version = '';
  private lastPrune = -Infinity;
  private stale = true;
  private serial: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: PipelineOptions) {
    this.now = options.now ?? Date.now;
    this.aggregator = new Aggregator({
      graceMs: options.flushGraceMs,
      maxOpenBuckets: options.maxOpenBuckets ?? DEFAULT_MAX_OPEN,
    });
    this.delivery = new Delivery(options.store, this.now);
  }

  /** Loads the delivery state and the network view. */
  async init(): Promise<void> {
    for (const row of await new DeliveryRepo(this.options.store.db).all()) {
      this.closedThrough.set(row.flow_log_id, row.closed_through);
    }
    await this.refresh();
  }

  /** The network view changed (bindings, resources): reload it before the next flow batch is closed. */
  invalidate(): void {
    this.stale = true;
  }

  /** Reloads ENIs, Active flow logs (after applying due state changes) and exporter bindings. */
  async refresh(): Promise<void> {
    const { store } = this.options;
    const now = this.now();
    if (await store.repos.flowLogs.hasDue(now)) await store.transaction((r) => r.flowLogs.settle(now));
    this.version = await store.db.dataVersion(TOPOLOGY_TABLES);
    this.topology = await loadTopology(store.db);
    this.lastRefresh = now;
    this.stale = false;
  }

  /**
   * Makes sure the network view is current before a batch is attributed: ENIs and flow logs created a
   * moment ago are covered. At most every CHECK_MS, a version read (no query) and the due-settle check.
   */
  async ensureFresh(): Promise<void> {
    const now = this.now();
    if (!this.stale && now - this.lastCheck < CHECK_MS) return;
    this.lastCheck = now;
    const { store } = this.options;
    if (
      this.stale ||
      (await store.db.dataVersion(TOPOLOGY_TABLES)) !== this.version ||
      (await store.repos.flowLogs.hasDue(now))
    ) {
      await this.refresh();
    }
  }

  counters(): PipelineCounters {
    return {
      ...this.c,
      aggregated: this.aggregator.counters.aggregated,
      overflowed: this.aggregator.counters.overflowed,
      ...this.delivery.counters,
      openRecords: this.aggregator.size,
    };
  }

  /** Flows lost before attribution (collector overload): SKIPDATA for the window they fell in. */
  noteDropped(count: number): void {
    if (count <= 0) return;
    this.c.dropped += count;
    this.dropMinutes.add(windowStartOf(this.now(), MINUTE_MS));
  }

  /** Attributes and aggregates a batch of flows (synchronous: the collector's receive path). */
  ingest(flows: readonly DecodedFlow[]): void {
    const now = this.now();
    const topology = this.topology;
    const atts = this.scratch;
    for (const flow of flows) {
      this.c.flows++;
      atts.length = 0;
      const result = topology.attribute(flow, atts);
      if (result === 'ambiguous') this.c.ambiguous++;
      else if (result === 'unattributed') this.c.unattributed++;
      if (atts.length > 0) this.c.attributed++;
      for (const at of atts) {
        const flowLogs = topology.flowLogsOf(at.eni.eniId);
        if (flowLogs.length === 0) this.c.unwatched++;
        for (const f of flowLogs) {
          if (!keeps(f, flow.action)) {
            this.c.filtered++;
            continue;
          }
          if (!this.aggregator.add(flow, at, f, now)) this.noteDropped(1);
        }
      }
    }
  }

  /** Emits the windows that closed, their status records, and delivers them (timer). */
  tick(): Promise<void> {
    return this.serialized(async () => {
      const now = this.now();
      if (this.stale || now - this.lastRefresh >= (this.options.refreshMs ?? DEFAULT_REFRESH_MS)) {
        await this.refresh();
      } else {
        await this.ensureFresh();
      }
      await this.emit(this.aggregator.takeDue(now), 'timer', now);
    });
  }

  /** Closes every open window now; resolves once the records are stored. */
  flush(): Promise<{ records: number }> {
    return this.serialized(async () => {
      await this.refresh();
      const now = this.now();
      return { records: await this.emit(this.aggregator.takeAll(), 'flush', now) };
    });
  }

  private async emit(buckets: Bucket[], mode: 'timer' | 'flush', now: number): Promise<number> {
    const byFlowLog = new Map<string, DeliveryBatch>();
    const add = (flowLog: FlowLogInfo, row: RecordRow): void => {
      let batch = byFlowLog.get(flowLog.flowLogId);
      if (batch === undefined) byFlowLog.set(flowLog.flowLogId, (batch = { flowLog, rows: [] }));
      batch.rows.push(row);
    };
    for (const b of buckets) {
      if (b.status === 'SKIPDATA') this.c.skipdataRecords++;
      add(b.flowLog, bucketRecord(b));
    }
    const closed = this.statusRecords(mode, now, add);
    let total = 0;
    for (const batch of byFlowLog.values()) total += batch.rows.length;
    this.c.records += total;
    await this.deliverChunked([...byFlowLog.values()]);
    const repo = new DeliveryRepo(this.options.store.db);
    for (const [flowLogId, end] of closed) await repo.setClosedThrough(flowLogId, end, now);
    await this.prune(now);
    return total;
  }

  private statusRecords(
    mode: 'timer' | 'flush',
    now: number,
    add: (flowLog: FlowLogInfo, row: RecordRow) => void,
  ): Map<string, number> {
    const closed = new Map<string, number>();
    for (const f of this.topology.flowLogs) {
      const interval = f.intervalMs;
      const end =
        mode === 'flush'
          ? windowStartOf(now, interval) + interval
          : windowStartOf(now - this.options.flushGraceMs, interval);
      const start = end - interval;
      if (end <= (this.closedThrough.get(f.flowLogId) ?? 0) || end <= f.createdAt) continue;
      const skipped = this.droppedDuring(start, end);
      for (const eni of this.topology.enisOf(f.flowLogId)) {
        if (skipped) {
          add(f, statusRecord(f, eni, start, end, 'SKIPDATA'));
          this.c.skipdataRecords++;
        } else if (!this.aggregator.hadActivity(f.flowLogId, eni.eniId, start)) {
          add(f, statusRecord(f, eni, start, end, 'NODATA'));
          this.c.nodataRecords++;
        }
      }
      this.closedThrough.set(f.flowLogId, end);
      closed.set(f.flowLogId, end);
    }
    return closed;
  }

  private droppedDuring(start: number, end: number): boolean {
    for (const minute of this.dropMinutes) if (minute >= start && minute < end) return true;
    return false;
  }

  private async deliverChunked(batches: DeliveryBatch[]): Promise<void> {
    let chunk: DeliveryBatch[] = [];
    let size = 0;
    const send = async (): Promise<void> => {
      if (chunk.length === 0) return;
      try {
        await this.delivery.deliver(chunk);
      } catch (err) {
        this.options.logger?.error('flow-log delivery failed', { error: String(err) });
      }
      chunk = [];
      size = 0;
      await yieldToIo();
    };
    for (const batch of batches) {
      for (let i = 0; i < batch.rows.length; i += DELIVERY_CHUNK) {
        const rows = batch.rows.slice(i, i + DELIVERY_CHUNK);
        chunk.push({ flowLog: batch.flowLog, rows });
        size += rows.length;
        if (size >= DELIVERY_CHUNK) await send();
      }
    }
    await send();
  }

  private async prune(now: number): Promise<void> {
    if (now - this.lastPrune < MINUTE_MS) return;
    this.lastPrune = now;
    // Activity and drop marks only matter for the most recent windows (10 min at most) plus the grace.
    const horizon = now - 3 * 10 * MINUTE_MS - this.options.flushGraceMs;
    this.aggregator.pruneActivity(horizon);
    for (const minute of this.dropMinutes) if (minute < horizon) this.dropMinutes.delete(minute);
    await new DeliveryRepo(this.options.store.db).prune();
  }

  private serialized<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.serial.then(fn, fn);
    this.serial = run.catch(() => undefined);
    return run;
  }
}

/** TrafficType: All keeps everything, Allow only accepted flows, Drop only rejected ones. */
function keeps(f: FlowLogInfo, action: 'ACCEPT' | 'REJECT'): boolean {
  if (f.trafficType === 'Allow') return action === 'ACCEPT';
  if (f.trafficType === 'Drop') return action === 'REJECT';
  return true;
}
