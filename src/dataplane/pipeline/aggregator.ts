/**
 * The aggregation table: one bucket per (flow log, ENI, 5-tuple, direction, action, window), summing
 * packets and bytes and OR-ing TCP flags. A bucket closes at `max(window end, first arrival) + grace`:
 * live traffic waits for the exporters' timeouts after its window ends, and a replayed capture whose
 * windows are long past is still merged for one grace period before it is emitted. A bucket of a future
 * window (exporter clock ahead) closes at most one interval after its first arrival, plus the grace.
 *
 * The table is bounded: when it is full, flows of new keys are folded into one SKIPDATA bucket per
 * (flow log, ENI, window) carrying their packet and byte totals, so overload is reported, never silent.
 */
import type { DecodedFlow } from '../collector/index.js';
import type { Bucket } from './records.js';
import type { Attribution, FlowLogInfo } from './topology.js';
import { windowStartOf } from './window.js';

export interface AggregatorOptions {
  graceMs: number;
  /** Open OK buckets before new keys overflow into SKIPDATA buckets. */
  maxOpenBuckets: number;
}

export interface AggregatorCounters {
  /** Flows (per flow log and ENI) merged into buckets. */
  aggregated: number;
  /** Flows folded into SKIPDATA buckets because the table was full. */
  overflowed: number;
  /** Flows dropped because even the SKIPDATA buckets hit their bound (reported by the caller). */
  dropped: number;
}

/** SKIPDATA buckets allowed beyond the bound (one per flow log, ENI and window at most). */
const MAX_SKIP_BUCKETS = 100_000;

export class Aggregator {
  readonly counters: AggregatorCounters = { aggregated: 0, overflowed: 0, dropped: 0 };
  private readonly open = new Map<string, Bucket>();
  private readonly closing = new Map<number, Bucket[]>();
  /** Per window start: the `flowLog|eni` pairs that had a bucket (OK or SKIPDATA) in that window. */
  private readonly activity = new Map<number, Set<string>>();
  private skipBuckets = 0;
  /** Activity not yet published to other nodes; undefined on a single node. */
  private newActivity: { windowStart: number; pair: string }[] | undefined;
  /** Stable small numbers for flow-log and ENI IDs, kept across topology reloads. */
  private readonly refs = new Map<string, number>();

  constructor(private readonly options: AggregatorOptions) {}

  get size(): number {
    return this.open.size;
  }

  set graceMs(ms: number) {
    this.options.graceMs = ms;
  }

  /** Adds one flow as seen by one ENI under one flow log. Returns false if it had to be dropped. */
  add(flow: DecodedFlow, at: Attribution, flowLog: FlowLogInfo, nowMs: number): boolean {
    const windowStart = windowStartOf(flow.startMs, flowLog.intervalMs);
    const flowLogRef = (flowLog.ref ??= this.refOf(flowLog.flowLogId));
    const eniRef = (at.eni.ref ??= this.refOf(at.eni.eniId));
    const key =
      `${flowLogRef}|${eniRef}|${windowStart}|${at.direction}|${flow.action}|${flow.protocol}|` +
      `${flow.srcaddr}|${flow.srcport}|${flow.dstaddr}|${flow.dstport}`;
    let b = this.open.get(key);
    if (b === undefined) {
      if (this.open.size - this.skipBuckets >= this.options.maxOpenBuckets) {
        return this.overflow(flow, at, flowLog, windowStart, nowMs);
      }
      b = this.create(key, flow, at, flowLog, windowStart, 'OK', nowMs);
    }
    this.merge(b, flow);
    this.counters.aggregated++;
    return true;
  }

  private refOf(id: string): number {
    let ref = this.refs.get(id);
    if (ref === undefined) this.refs.set(id, (ref = this.refs.size));
    return ref;
  }

  /** Removes and returns the buckets due at `nowMs`. */
  takeDue(nowMs: number): Bucket[] {
    const due: Bucket[] = [];
    for (const [closeAt, list] of this.closing) {
      if (closeAt > nowMs) continue;
      this.closing.delete(closeAt);
      for (const b of list) this.release(b, due);
    }
    return due;
  }

  /** Removes and returns every open bucket (flush). */
  takeAll(): Bucket[] {
    const all: Bucket[] = [];
    for (const list of this.closing.values()) for (const b of list) this.release(b, all);
    this.closing.clear();
    return all;
  }

  /** Whether the ENI had any bucket under the flow log in the window starting at `windowStart`. */
  hadActivity(flowLogId: string, eniId: string, windowStart: number): boolean {
    return this.activity.get(windowStart)?.has(`${flowLogId}|${eniId}`) ?? false;
  }

  /**
   * Starts keeping the activity noted since the last `takeNewActivity` (nodes sharing a database publish
   * it, src/store/repos/window-mark-repo.ts).
   */
  trackNewActivity(): void {
    this.newActivity ??= [];
  }

  /** The `flowLog|eni` pairs first seen per window since the last call (empty unless tracked). */
  takeNewActivity(): { windowStart: number; pair: string }[] {
    const taken = this.newActivity ?? [];
    if (this.newActivity) this.newActivity = [];
    return taken;
  }

  /** Forgets activity of windows that started before `beforeMs`. */
  pruneActivity(beforeMs: number): void {
    for (const start of this.activity.keys()) if (start < beforeMs) this.activity.delete(start);
  }

  private overflow(
    flow: DecodedFlow,
    at: Attribution,
    flowLog: FlowLogInfo,
    windowStart: number,
    nowMs: number,
  ): boolean {
    const key = `${flowLog.flowLogId}|${at.eni.eniId}|${windowStart}|SKIPDATA`;
    let b = this.open.get(key);
    if (b === undefined) {
      if (this.skipBuckets >= MAX_SKIP_BUCKETS) {
        this.counters.dropped++;
        return false;
      }
      b = this.create(key, flow, at, flowLog, windowStart, 'SKIPDATA', nowMs);
      this.skipBuckets++;
    }
    this.merge(b, flow);
    this.counters.overflowed++;
    return true;
  }

  private create(
    key: string,
    flow: DecodedFlow,
    at: Attribution,
    flowLog: FlowLogInfo,
    windowStart: number,
    status: Bucket['status'],
    nowMs: number,
  ): Bucket {
    const windowEnd = windowStart + flowLog.intervalMs;
    const b: Bucket = {
      key,
      flowLog,
      eni: at.eni,
      windowStart,
      windowEnd,
      status,
      source: flow.exporterAddress,
      srcaddr: flow.srcaddr,
      srcport: flow.srcport,
      dstaddr: flow.dstaddr,
      dstport: flow.dstport,
      protocol: flow.protocol,
      direction: at.direction,
      action: flow.action,
      packets: 0,
      bytes: 0,
      tcpFlags: 0,
      firstMs: flow.startMs,
      lastEndMs: flow.endMs,
      flows: 0,
    };
    this.open.set(key, b);
    // A window in the future (exporter clock skew, sysUpTime arithmetic) is not held open until it ends:
    // at most one interval plus the grace, so skewed flows cannot pile up in the table.
    // Close on whole seconds so the closing map stays small.
    const closeFrom = Math.min(Math.max(windowEnd, nowMs), nowMs + flowLog.intervalMs);
    const closeAt = Math.ceil((closeFrom + this.options.graceMs) / 1000) * 1000;
    const list = this.closing.get(closeAt);
    if (list) list.push(b);
    else this.closing.set(closeAt, [b]);
    let seen = this.activity.get(windowStart);
    if (seen === undefined) this.activity.set(windowStart, (seen = new Set()));
    const pair = `${flowLog.flowLogId}|${at.eni.eniId}`;
    if (!seen.has(pair)) {
      seen.add(pair);
      this.newActivity?.push({ windowStart, pair });
    }
    return b;
  }

  private merge(b: Bucket, flow: DecodedFlow): void {
    b.packets += flow.packets;
    b.bytes += flow.bytes;
    b.tcpFlags |= flow.tcpFlags;
    if (flow.startMs < b.firstMs) b.firstMs = flow.startMs;
    if (flow.endMs > b.lastEndMs) b.lastEndMs = flow.endMs;
    b.flows++;
  }

  private release(b: Bucket, into: Bucket[]): void {
    this.open.delete(b.key);
    if (b.status === 'SKIPDATA') this.skipBuckets--;
    into.push(b);
  }
}
