/**
 * The data plane's answer to "why are there no records?": one info line per minute (the shortest capture
 * window) while anything happened, and one after each flush, with what the counters of metrics.ts moved
 * by since the last line: datagrams and flows received, flows attributed, flows not attributed and why,
 * records emitted, delivered and failed. The per-flow reasons are at debug (`flowDebugFields`).
 */
import type { DecodedFlow } from '../collector/index.js';
import type { Logger } from '../../logger.js';
import type { DataPlaneCounters } from './data-plane.js';

const MINUTE = 60_000;

/** The counters the summary reports, flattened. */
function snapshot(c: DataPlaneCounters): Record<string, number> {
  const d = c.collector.decoder;
  const p = c.pipeline;
  return {
    datagrams: d.packets,
    malformed: d.malformed,
    templateMisses: d.templateMisses,
    sequenceLost: d.sequenceLost,
    flows: p.flows,
    attributed: p.attributed,
    unattributed: p.unattributed,
    ambiguous: p.ambiguous,
    unwatched: p.unwatched,
    filtered: p.filtered,
    futureTimestamps: p.futureTimestamps,
    dropped: p.dropped + p.overflowDropped + c.collector.droppedOverload,
    records: p.records,
    nodata: p.nodataRecords,
    skipdata: p.skipdataRecords,
    delivered: p.recordsDelivered,
    failed: p.recordsFailed,
    deliveryFailures: p.deliveryFailures,
  };
}

export class SummaryLog {
  #last: Record<string, number> | undefined;
  #lastAt = 0;

  constructor(
    private readonly counters: () => DataPlaneCounters,
    private readonly logger: Logger,
    private readonly everyMs = MINUTE,
  ) {}

  /** From the data plane's timer: a line when a minute has passed since the last one. */
  tick(now: number): void {
    if (now - this.#lastAt >= this.everyMs) this.log('window', now);
  }

  /** A line now (after a flush), if anything moved. */
  log(reason: 'window' | 'flush', now: number = Date.now()): void {
    const current = snapshot(this.counters());
    const last = this.#last ?? Object.fromEntries(Object.keys(current).map((k) => [k, 0]));
    this.#last = current;
    this.#lastAt = now;
    if (!this.logger.enabled('info')) return;
    const delta: Record<string, number> = {};
    for (const [k, v] of Object.entries(current)) delta[k] = v - (last[k] ?? 0);
    if (Object.values(delta).every((v) => v === 0)) return;
    this.logger.info('data plane summary', {
      reason,
      received: { datagrams: delta['datagrams'], flows: delta['flows'] },
      attributed: delta['attributed'],
      // Why flows made no record: no ENI has the address; the address is on ENIs in several VPCs and
      // the exporter is not bound; the ENI has no Active flow log; TrafficType filtered it; lost.
      notRecorded: {
        noEni: delta['unattributed'],
        ambiguous: delta['ambiguous'],
        noActiveFlowLog: delta['unwatched'],
        trafficType: delta['filtered'],
        dropped: delta['dropped'],
      },
      decodeProblems: {
        malformed: delta['malformed'],
        templateMisses: delta['templateMisses'],
        sequenceLost: delta['sequenceLost'],
        futureTimestamps: delta['futureTimestamps'],
      },
      records: { emitted: delta['records'], nodata: delta['nodata'], skipdata: delta['skipdata'] },
      delivered: delta['delivered'],
      failed: delta['failed'],
      deliveryFailures: delta['deliveryFailures'],
    });
  }
}

/** The fields of a debug line about one flow. */
export function flowDebugFields(flow: DecodedFlow): Record<string, unknown> {
  return {
    exporter: `${flow.exporterAddress}:${flow.exporterPort}`,
    src: `${flow.srcaddr}:${flow.srcport}`,
    dst: `${flow.dstaddr}:${flow.dstport}`,
    protocol: flow.protocol,
  };
}
