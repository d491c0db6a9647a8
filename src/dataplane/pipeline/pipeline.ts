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
 * Which ENIs a loss concerns (its scope):
 * - a sequence gap (an exporter's sequence numbers show datagrams lost in transit) or a batch the
 *   pipeline could not take (the network view failed to load): the exporter that lost them. A bound
 *   exporter's loss concerns the ENIs of the VPC it is bound to; an unbound exporter's the ENIs it has
 *   reported flows for so far (remembered per exporter, up to MAX_SEEN_ENIS; past that, every ENI). An
 *   unbound exporter that never reported a flow for a known ENI marks none (the loss is still counted);
 * - a flow the aggregation table could not hold even as SKIPDATA: its ENI;
 * - flows the collector's bounded queue dropped (not attributable to an exporter): every ENI.
 */
import { setImmediate as yieldToIo } from 'node:timers/promises';
import type { DecodedFlow, SequenceLoss } from '../collector/index.js';
import type { Logger } from '../../logger.js';
import { flowDebugFields } from './summary-log.js';
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
}

/** Rows per delivery transaction; the receive path gets the event loop back between transactions. */
const DELIVERY_CHUNK = 20_000;
const DEFAULT_MAX_OPEN = 1_000_000;
const DEFAULT_REFRESH_MS = 2_000;
/** The tables the network view is built from: a write to any of them reloads it. */
const TOPOLOGY_TABLES = ['network_interfaces', 'flow_logs', 'exporter_bindings', 'vpcs', 'vswitches'];
/** How often the receive path checks whether the network view is current (a cheap version read). */
const CHECK_MS = 100;
/** Windows one pass may close per flow log (the newest ones): bounds the NODATA after a restart or stall. */
const MAX_STATUS_WINDOWS = 3;
/** A flow starting further ahead of the collector clock than this counts in `futureTimestamps`. */
const FUTURE_MS = 5 * MINUTE_MS;
/** ENIs remembered per exporter for scoping its losses, and exporters remembered. */
const MAX_SEEN_ENIS = 4_096;
const MAX_SEEN_EXPORTERS = 4_096;

/** The exporter a loss is attributed to. */
export interface ExporterRef {
  address: string;
  port: number;
  observationDomainId: number;
}

/** Losses noted in one wall-clock minute: for every ENI, for the ENIs of some VPCs, or for some ENIs. */
interface DropMark {
  all: boolean;
  vpcs: Set<string>;
  enis: Set<string>;
}

/** The ENIs an exporter has reported flows for; `overflow` once more than MAX_SEEN_ENIS. */
interface SeenEnis {
  enis: Set<string>;
  overflow: boolean;
}

export class FlowPipeline {
  private topology = new Topology([], [], []);
  private readonly aggregator: Aggregator;
  private readonly delivery: Delivery;
  private readonly now: () => number;
  private readonly closedThrough = new Map<string, number>();
  /** Per wall-clock minute (start, Unix ms): which ENIs lost flows in it. */
  private readonly dropMarks = new Map<number, DropMark>();
  /** Per exporter (`address|port|domain`): the ENIs it reported flows for (scopes its losses). */
  private readonly seenEnis = new Map<string, SeenEnis>();
  private lastSeen = { address: '', port: -1, domain: -1, seen: undefined as SeenEnis | undefined };
  private readonly scratch: Attribution[] = [];
  private readonly c = {
    flows: 0,
    attributed: 0,
    ambiguous: 0,
    unattributed: 0,
    unwatched: 0,
    filtered: 0,
    dropped: 0,
    futureTimestamps: 0,
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

  /** The logger when debug lines are on (per-flow reasons); undefined keeps the hot path to one check. */
  private readonly debug: Logger | undefined;

  constructor(private readonly options: PipelineOptions) {
    this.now = options.now ?? Date.now;
    this.debug = options.logger?.enabled('debug') ? options.logger : undefined;
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
    await store.settleDue();
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
      overflowDropped: this.aggregator.counters.dropped,
      ...this.delivery.counters,
      openRecords: this.aggregator.size,
    };
  }

  /**
   * Flows lost before attribution that no exporter can be blamed for (the collector's queue overflowed):
   * SKIPDATA for every covered ENI in the window they fell in.
   */
  noteDropped(count: number): void {
    if (count <= 0) return;
    this.c.dropped += count;
    this.markNow().all = true;
  }

  /**
   * Flows an exporter lost (sequence gaps): SKIPDATA for the ENIs of the VPC it is bound to, or, unbound,
   * for the ENIs it has reported flows for.
   */
  noteExporterLoss(exporter: ExporterRef, count: number): void {
    if (count <= 0) return;
    this.c.dropped += count;
    const { address, port, observationDomainId: domain } = exporter;
    const binding = this.topology.bindingFor(address, port, domain);
    if (binding !== undefined) {
      this.markNow().vpcs.add(binding.vpcId);
      return;
    }
    const seen = this.seenEnis.get(`${address}|${port}|${domain}`);
    if (seen === undefined || (seen.enis.size === 0 && !seen.overflow)) return;
    const mark = this.markNow();
    if (seen.overflow) mark.all = true;
    else for (const eni of seen.enis) mark.enis.add(eni);
  }

  /** Sequence losses as the decoder reports them (`FlowDecoder.takeSequenceLosses`). */
  noteSequenceLosses(losses: readonly SequenceLoss[]): void {
    for (const l of losses) {
      this.noteExporterLoss(
        { address: l.exporterAddress, port: l.exporterPort, observationDomainId: l.observationDomainId },
        l.lost,
      );
    }
  }

  /** A batch of flows that could not be ingested: a loss of each exporter in it. */
  noteLostBatch(flows: readonly DecodedFlow[]): void {
    const byExporter = new Map<string, { exporter: ExporterRef; count: number }>();
    for (const f of flows) {
      const key = `${f.exporterAddress}|${f.exporterPort}|${f.observationDomainId}`;
      const entry = byExporter.get(key);
      if (entry) entry.count++;
      else {
        byExporter.set(key, {
          exporter: {
            address: f.exporterAddress,
            port: f.exporterPort,
            observationDomainId: f.observationDomainId,
          },
          count: 1,
        });
      }
    }
    for (const { exporter, count } of byExporter.values()) this.noteExporterLoss(exporter, count);
  }

  private markNow(): DropMark {
    const minute = windowStartOf(this.now(), MINUTE_MS);
    let mark = this.dropMarks.get(minute);
    if (mark === undefined)
      this.dropMarks.set(minute, (mark = { all: false, vpcs: new Set(), enis: new Set() }));
    return mark;
  }

  /** The ENIs set of the flow's exporter (consecutive flows almost always share it). */
  private seenOf(flow: DecodedFlow): SeenEnis {
    const last = this.lastSeen;
    if (
      last.seen !== undefined &&
      last.address === flow.exporterAddress &&
      last.port === flow.exporterPort &&
      last.domain === flow.observationDomainId
    ) {
      return last.seen;
    }
    const key = `${flow.exporterAddress}|${flow.exporterPort}|${flow.observationDomainId}`;
    let seen = this.seenEnis.get(key);
    if (seen === undefined) {
      if (this.seenEnis.size >= MAX_SEEN_EXPORTERS) {
        const oldest = this.seenEnis.keys().next().value;
        if (oldest !== undefined) this.seenEnis.delete(oldest);
      }
      this.seenEnis.set(key, (seen = { enis: new Set(), overflow: false }));
    }
    last.address = flow.exporterAddress;
    last.port = flow.exporterPort;
    last.domain = flow.observationDomainId;
    last.seen = seen;
    return seen;
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
        const seen = this.seenOf(flow);
        for (const at of atts) {
          if (seen.overflow || seen.enis.has(at.eni.eniId)) continue;
          if (seen.enis.size < MAX_SEEN_ENIS) seen.enis.add(at.eni.eniId);
          else seen.overflow = true;
        }
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
          if (!this.aggregator.add(flow, at, f, now)) {
            this.c.dropped++;
            this.markNow().enis.add(at.eni.eniId);
          }
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

  /**
   * Emits every open aggregate now (also those of windows still open) and the status records of the
   * windows that have ended; resolves once the records are stored.
   */
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
      // The end of the newest window that has ended (timer: plus the grace; flush: not the current one).
      const newest = windowStartOf(mode === 'flush' ? now : now - this.options.flushGraceMs, interval);
      const handled = this.closedThrough.get(f.flowLogId) ?? 0;
      // The first window starting at or after the last handled end and ending after the flow log's creation,
      // but no more than MAX_STATUS_WINDOWS windows back.
      const first = Math.max(
        Math.ceil(handled / interval) * interval + interval,
        windowStartOf(f.createdAt, interval) + interval,
        newest - (MAX_STATUS_WINDOWS - 1) * interval,
      );
      if (first > newest) continue;
      const enis = this.topology.enisOf(f.flowLogId);
      for (let end = first; end <= newest; end += interval) {
        const start = end - interval;
        const marks = this.marksDuring(start, end);
        for (const eni of enis) {
          if (marks.some((m) => m.all || m.vpcs.has(eni.vpcId) || m.enis.has(eni.eniId))) {
            add(f, statusRecord(f, eni, start, end, 'SKIPDATA'));
            this.c.skipdataRecords++;
          } else if (!this.aggregator.hadActivity(f.flowLogId, eni.eniId, start)) {
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

  private marksDuring(start: number, end: number): DropMark[] {
    const out: DropMark[] = [];
    for (const [minute, mark] of this.dropMarks) if (minute >= start && minute < end) out.push(mark);
    return out;
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
    for (const minute of this.dropMarks.keys()) if (minute < horizon) this.dropMarks.delete(minute);
    // Forget the delivery state of flow logs that no longer exist, stored and in memory.
    const repo = new DeliveryRepo(this.options.store.db);
    await repo.prune();
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
