/**
 * The flow pipeline: decoded flows in, flow-log records out. `ingest` (synchronous, on the receive
 * path) attributes each flow to ENIs, picks the Active flow logs covering them, applies TrafficType and
 * aggregates; `tick` (every second) emits the windows that closed, adds NODATA / SKIPDATA status
 * records and delivers; `flush` emits every open aggregate now (status records: ended windows only).
 *
 * Status records (a bounded rule, so an idle fleet costs one record per ENI per window, and a restart
 * never back-fills hours of NODATA): for each Active flow log, each pass considers every window from the
 * last one it handled (`closed_through`, stored) up to the newest window that has ended (on a timer pass:
 * window end + grace <= now; on a flush: window end <= now, so a flush never closes the current window),
 * at most MAX_STATUS_WINDOWS of them (the newest), and only windows that ended after the flow log was
 * created. Every ENI the flow log covers then gets SKIPDATA if flows concerning it were lost during that
 * window (wall-clock minutes of the loss), else NODATA if the ENI had no traffic in it.
 *
 * Which ENIs a loss concerns is the loss ledger's business (loss-ledger.ts); the network view, and when
 * it is reloaded, the topology cache's (topology-cache.ts).
 *
 * Several nodes on one database (`shared`): each node's collector sees only the exporters the UDP load
 * balancer sends it, so no node alone knows whether an ENI was idle. Every node publishes, each tick,
 * the (flow log, ENI, window) activity and the loss minutes it noted (window-mark-repo.ts); only the
 * holder of the `status-records` lease (src/cluster/leadership.ts) writes NODATA / SKIPDATA, from its
 * own marks and everyone's, for windows that ended more than the grace plus `settleMs` ago (time for
 * the other nodes' last marks of the window to arrive). It reads how far they were written
 * (`closed_through`) from the database each pass, so a node taking over continues where the previous
 * holder stopped: a window's status records are written once, by one node.
 */
import { setImmediate as yieldToIo } from 'node:timers/promises';
import type { DecodedFlow, SequenceLoss } from '../collector/index.js';
import type { Logger } from '../../logger.js';
import { flowDebugFields } from './summary-log.js';
import type { RecordRow } from '../../store/repos/record-repo.js';
import type { Store } from '../../store/store.js';
import type { WindowMarkRepo } from '../../store/repos/window-mark-repo.js';
import type { Leadership } from '../../cluster/leadership.js';
import type { WindowMark } from '../../store/repos/window-mark-repo.js';
import { Aggregator } from './aggregator.js';
import { Delivery, type DeliveryBatch } from './delivery.js';
import { LossLedger, type ExporterRef } from './loss-ledger.js';
import { bucketRecord, statusRecord, type Bucket } from './records.js';
import { TopologyCache } from './topology-cache.js';
import type { Attribution, FlowLogInfo, Topology } from './topology.js';
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
  /** Several nodes share the database: publish marks, write status records only while leading. */
  shared?: SharedStatus;
  /** This node's record journal entries (src/cluster/node-identity.ts); '' on a single node. */
  journalOwner?: string;
}

export interface SharedStatus {
  /** The `status-records` lease of this node. */
  leadership: Leadership;
  /** Extra wait after the grace before the holder closes a window (DEFAULT_SETTLE_MS). */
  settleMs?: number;
}

/** How long the status-records holder waits, past the grace, for the other nodes' marks of a window. */
export const DEFAULT_SETTLE_MS = 10_000;

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
  /** Flows lost before aggregation (sequence gaps, overload, failed batches), reported as SKIPDATA. */
  dropped: number;
  /** Flows the aggregation table dropped because even its SKIPDATA buckets hit their bound. */
  overflowDropped: number;
  /** Flows dated more than FUTURE_MS ahead of the collector clock (exporter clock skew). */
  futureTimestamps: number;
  records: number;
  nodataRecords: number;
  skipdataRecords: number;
  recordsDelivered: number;
  recordsFailed: number;
  deliveryFailures: number;
  /** Open aggregates (gauge). */
  openRecords: number;
  /** 1 while this node writes the status records (always on a single node; the lease holder of several). */
  statusRecordsLeader: number;
}

/** Rows per delivery transaction; the receive path gets the event loop back between transactions. */
const DELIVERY_CHUNK = 20_000;
const DEFAULT_MAX_OPEN = 1_000_000;
const DEFAULT_REFRESH_MS = 2_000;
/** Windows one pass may close per flow log (the newest ones): bounds the NODATA after a restart or stall. */
const MAX_STATUS_WINDOWS = 3;
/** A flow starting further ahead of the collector clock than this counts in `futureTimestamps`. */
const FUTURE_MS = 5 * MINUTE_MS;
export type { ExporterRef } from './loss-ledger.js';

export class FlowPipeline {
  private readonly view: TopologyCache;
  private readonly losses: LossLedger;
  private readonly aggregator: Aggregator;
  private readonly delivery: Delivery;
  private readonly now: () => number;
  private readonly closedThrough = new Map<string, number>();
  private readonly scratch: Attribution[] = [];
  private readonly c = {
    flows: 0,
    attributed: 0,
    ambiguous: 0,
    unattributed: 0,
    unwatched: 0,
    filtered: 0,
    futureTimestamps: 0,
    records: 0,
    nodataRecords: 0,
    skipdataRecords: 0,
  };
  private lastPrune = -Infinity;
  private serial: Promise<unknown> = Promise.resolve();
  /** Shared window marks (several nodes); undefined on a single node. */
  private readonly marks: WindowMarkRepo | undefined;
  /** Marks taken from the aggregator and loss ledger whose publication failed: sent again next tick. */
  private unpublished: WindowMark[] = [];

  /** The logger when debug lines are on (per-flow reasons); undefined keeps the hot path to one check. */
  private readonly debug: Logger | undefined;

  constructor(private readonly options: PipelineOptions) {
    this.now = options.now ?? Date.now;
    this.debug = options.logger?.enabled('debug') ? options.logger : undefined;
    this.view = new TopologyCache(options.store, this.now, options.refreshMs ?? DEFAULT_REFRESH_MS);
    this.losses = new LossLedger(this.now, (address, port, domain) =>
      this.view.current.bindingFor(address, port, domain),
    );
    this.aggregator = new Aggregator({
      graceMs: options.flushGraceMs,
      maxOpenBuckets: options.maxOpenBuckets ?? DEFAULT_MAX_OPEN,
    });
    this.delivery = new Delivery(options.store, this.now, options.journalOwner);
    if (options.shared) {
      this.marks = options.store.repos.windowMarks;
      this.aggregator.trackNewActivity();
      this.losses.trackNewMarks();
    }
  }

  /** The current network view. */
  private get topology(): Topology {
    return this.view.current;
  }

  /** Loads the delivery state and the network view. */
  async init(): Promise<void> {
    for (const row of await this.options.store.repos.deliveries.all()) {
      this.closedThrough.set(row.flow_log_id, row.closed_through);
    }
    await this.refresh();
  }

  /** The network view changed (bindings, resources): reload it before the next flow batch is closed. */
  invalidate(): void {
    this.view.invalidate();
  }

  /** Reloads ENIs, Active flow logs (after applying due state changes) and exporter bindings. */
  refresh(): Promise<void> {
    return this.view.refresh();
  }

  /** Makes sure the network view is current before a batch is attributed (see TopologyCache). */
  ensureFresh(): Promise<void> {
    return this.view.ensureFresh();
  }

  counters(): PipelineCounters {
    return {
      ...this.c,
      dropped: this.losses.dropped,
      aggregated: this.aggregator.counters.aggregated,
      overflowed: this.aggregator.counters.overflowed,
      overflowDropped: this.aggregator.counters.dropped,
      ...this.delivery.counters,
      openRecords: this.aggregator.size,
      statusRecordsLeader: this.options.shared && !this.options.shared.leadership.held() ? 0 : 1,
    };
  }

  /** Flows lost that no exporter can be blamed for (the collector's queue overflowed): every ENI. */
  noteDropped(count: number): void {
    this.losses.noteDropped(count);
  }

  /** Flows an exporter lost (sequence gaps): see LossLedger. */
  noteExporterLoss(exporter: ExporterRef, count: number): void {
    this.losses.noteExporterLoss(exporter, count);
  }

  /** Sequence losses as the decoder reports them (`FlowDecoder.takeSequenceLosses`). */
  noteSequenceLosses(losses: readonly SequenceLoss[]): void {
    this.losses.noteSequenceLosses(losses);
  }

  /** A batch of flows that could not be ingested: a loss of each exporter in it. */
  noteLostBatch(flows: readonly DecodedFlow[]): void {
    this.losses.noteLostBatch(flows);
  }

  /** Attributes and aggregates a batch of flows (synchronous: the collector's receive path). */
  ingest(flows: readonly DecodedFlow[]): void {
    const now = this.now();
    const topology = this.topology;
    const atts = this.scratch;
    for (const flow of flows) {
      this.c.flows++;
      if (flow.startMs > now + FUTURE_MS) this.c.futureTimestamps++;
      atts.length = 0;
      const result = topology.attribute(flow, atts);
      if (result === 'ambiguous') this.c.ambiguous++;
      else if (result === 'unattributed') this.c.unattributed++;
      if (this.debug && result !== 'attributed')
        this.debug.debug(`flow not attributed: ${result}`, flowDebugFields(flow));
      if (atts.length > 0) {
        this.c.attributed++;
        this.losses.noteSeen(flow, atts);
      }
      for (const at of atts) {
        const flowLogs = topology.flowLogsOf(at.eni.eniId);
        if (flowLogs.length === 0) this.c.unwatched++;
        if (this.debug && flowLogs.length === 0)
          this.debug.debug('flow on an ENI without an Active flow log', {
            eni: at.eni.eniId,
            ...flowDebugFields(flow),
          });
        for (const f of flowLogs) {
          if (!keeps(f, flow.action)) {
            this.c.filtered++;
            if (this.debug)
              this.debug.debug('flow filtered by TrafficType', {
                flowLog: f.flowLogId,
                ...flowDebugFields(flow),
              });
            continue;
          }
          if (!this.aggregator.add(flow, at, f, now)) this.losses.noteEniLoss(at.eni.eniId);
        }
      }
    }
  }

  /** Emits the windows that closed, their status records, and delivers them (timer). */
  tick(): Promise<void> {
    return this.serialized(async () => {
      const now = this.now();
      await this.publishMarks();
      await this.view.onTick();
      await this.emit(this.aggregator.takeDue(now), 'timer', now);
    });
  }

  /**
   * Emits every open aggregate now (also those of windows still open) and the status records of the
   * windows that have ended; resolves once the records are stored.
   */
  flush(): Promise<{ records: number }> {
    return this.serialized(async () => {
      await this.refresh();
      const now = this.now();
      await this.publishMarks();
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
    const closed = await this.statusRecords(mode, now, add);
    let total = 0;
    for (const batch of byFlowLog.values()) total += batch.rows.length;
    this.c.records += total;
    await this.deliverChunked([...byFlowLog.values()]);
    const repo = this.options.store.repos.deliveries;
    for (const [flowLogId, end] of closed) await repo.setClosedThrough(flowLogId, end, now);
    await this.prune(now);
    return total;
  }

  private async statusRecords(
    mode: 'timer' | 'flush',
    now: number,
    add: (flowLog: FlowLogInfo, row: RecordRow) => void,
  ): Promise<Map<string, number>> {
    const closed = new Map<string, number>();
    const shared = this.options.shared;
    if (shared && !shared.leadership.held()) return closed;
    // Another node may have led until now: continue from what the database says was written.
    if (shared) await this.loadClosedThrough();
    // Several nodes: also wait for the others' marks, on a flush too (a leader's clean stop must not
    // write NODATA for a window another node's last marks of have not arrived for yet).
    const settle = shared ? (shared.settleMs ?? DEFAULT_SETTLE_MS) : 0;
    const wait = (mode === 'flush' ? 0 : this.options.flushGraceMs) + settle;
    const passes: { f: FlowLogInfo; first: number; newest: number }[] = [];
    for (const f of this.topology.flowLogs) {
      const interval = f.intervalMs;
      // The end of the newest window that has ended (timer: plus the grace; flush: not the current one).
      const newest = windowStartOf(now - wait, interval);
      const handled = this.closedThrough.get(f.flowLogId) ?? 0;
      // The first window starting at or after the last handled end and ending after the flow log's creation,
      // but no more than MAX_STATUS_WINDOWS windows back.
      const first = Math.max(
        Math.ceil(handled / interval) * interval + interval,
        windowStartOf(f.createdAt, interval) + interval,
        newest - (MAX_STATUS_WINDOWS - 1) * interval,
      );
      if (first <= newest) passes.push({ f, first, newest });
    }
    const { activity, losses } = await this.sharedMarks(passes);
    for (const { f, first, newest } of passes) {
      const interval = f.intervalMs;
      const enis = this.topology.enisOf(f.flowLogId);
      for (let end = first; end <= newest; end += interval) {
        const start = end - interval;
        const lost = this.losses.lostDuring(start, end, losses);
        const elsewhere = activity.get(start);
        for (const eni of enis) {
          if (lost(eni)) {
            add(f, statusRecord(f, eni, start, end, 'SKIPDATA'));
            this.c.skipdataRecords++;
          } else if (
            !this.aggregator.hadActivity(f.flowLogId, eni.eniId, start) &&
            !elsewhere?.has(`${f.flowLogId}|${eni.eniId}`)
          ) {
            add(f, statusRecord(f, eni, start, end, 'NODATA'));
            this.c.nodataRecords++;
          }
        }
      }
      this.closedThrough.set(f.flowLogId, newest);
      closed.set(f.flowLogId, newest);
    }
    return closed;
  }

  /** Publishes the activity and losses noted since the last tick (several nodes); kept on failure. */
  private async publishMarks(): Promise<void> {
    if (this.marks === undefined) return;
    for (const { windowStart, pair } of this.aggregator.takeNewActivity())
      this.unpublished.push({ kind: 'a', at: windowStart, scope: pair });
    for (const { at, scope } of this.losses.takeNewMarks()) this.unpublished.push({ kind: 'l', at, scope });
    if (this.unpublished.length === 0) return;
    try {
      await this.marks.add(this.unpublished);
      this.unpublished = [];
    } catch (err) {
      this.options.logger?.warn('window marks not published (retried next tick)', { error: String(err) });
    }
  }

  /** The marks every node published for the windows about to be closed (several nodes only). */
  private async sharedMarks(passes: readonly { f: FlowLogInfo; first: number; newest: number }[]): Promise<{
    activity: Map<number, Set<string>>;
    losses: { at: number; scope: string }[];
  }> {
    if (this.marks === undefined || passes.length === 0) return { activity: new Map(), losses: [] };
    const starts = new Set<number>();
    let from = Infinity;
    let to = -Infinity;
    for (const { f, first, newest } of passes) {
      for (let end = first; end <= newest; end += f.intervalMs) starts.add(end - f.intervalMs);
      from = Math.min(from, first - f.intervalMs);
      to = Math.max(to, newest);
    }
    return { activity: await this.marks.activity([...starts]), losses: await this.marks.losses(from, to) };
  }

  private async loadClosedThrough(): Promise<void> {
    for (const row of await this.options.store.repos.deliveries.all()) {
      this.closedThrough.set(row.flow_log_id, row.closed_through);
    }
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
    this.losses.prune(horizon);
    // Forget the delivery state of flow logs that no longer exist, stored and in memory.
    const repo = this.options.store.repos.deliveries;
    await repo.prune();
    // Shared marks: the status-records holder forgets those no pass will read again.
    if (this.marks && this.options.shared?.leadership.held()) await this.marks.prune(horizon);
    const alive = new Set((await repo.all()).map((r) => r.flow_log_id));
    for (const id of this.closedThrough.keys()) if (!alive.has(id)) this.closedThrough.delete(id);
    this.delivery.forget((id) => alive.has(id));
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
