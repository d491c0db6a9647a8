/**
 * The loss ledger: which ENIs lost flows in which wall-clock minute, so that the windows covering that
 * minute get SKIPDATA instead of NODATA (see pipeline.ts for the rule). Kept apart from the pipeline so
 * the scoping of a loss can be tested alone.
 *
 * Which ENIs a loss concerns (its scope):
 * - a sequence gap (an exporter's sequence numbers show datagrams lost in transit) or a batch the
 *   pipeline could not take: the exporter that lost them. A bound exporter's loss concerns the ENIs of
 *   the VPC it is bound to; an unbound exporter's the ENIs it has reported flows for so far (remembered
 *   per exporter, up to MAX_SEEN_ENIS; past that, every ENI). An unbound exporter that never reported a
 *   flow for a known ENI marks none (the loss is still counted);
 * - a flow the aggregation table could not hold even as SKIPDATA: its ENI;
 * - flows the collector's bounded queue dropped (not attributable to an exporter): every ENI.
 */
import type { DecodedFlow, SequenceLoss } from '../collector/index.js';
import type { Attribution } from './topology.js';
import { MINUTE_MS, windowStartOf } from './window.js';

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

export class LossLedger {
  /** Flows lost before aggregation (sequence gaps, overload, failed batches, full table). */
  dropped = 0;
  /** Per wall-clock minute (start, Unix ms): which ENIs lost flows in it. */
  private readonly dropMarks = new Map<number, DropMark>();
  /** Loss scopes per minute not yet published to other nodes; undefined on a single node. */
  private newMarks: Map<number, Set<string>> | undefined;
  /** Per exporter (`address|port|domain`): the ENIs it reported flows for (scopes its losses). */
  private readonly seenEnis = new Map<string, SeenEnis>();
  private lastSeen = { address: '', port: -1, domain: -1, seen: undefined as SeenEnis | undefined };

  constructor(
    private readonly now: () => number,
    /** The VPC an exporter is bound to, if any (the current network view). */
    private readonly bindingFor: (
      address: string,
      port: number,
      domain: number,
    ) => { vpcId: string } | undefined,
  ) {}

  /** Flows lost that no exporter can be blamed for (the collector's queue overflowed): every ENI. */
  noteDropped(count: number): void {
    if (count <= 0) return;
    this.dropped += count;
    this.note('*');
  }

  /** Flows an exporter lost: the ENIs of the VPC it is bound to, or, unbound, those it reported. */
  noteExporterLoss(exporter: ExporterRef, count: number): void {
    if (count <= 0) return;
    this.dropped += count;
    const { address, port, observationDomainId: domain } = exporter;
    const binding = this.bindingFor(address, port, domain);
    if (binding !== undefined) {
      this.note(`vpc:${binding.vpcId}`);
      return;
    }
    const seen = this.seenEnis.get(`${address}|${port}|${domain}`);
    if (seen === undefined || (seen.enis.size === 0 && !seen.overflow)) return;
    if (seen.overflow) this.note('*');
    else for (const eni of seen.enis) this.note(`eni:${eni}`);
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

  /** One flow for one ENI lost (the aggregation table was full even for SKIPDATA). */
  noteEniLoss(eniId: string): void {
    this.dropped++;
    this.note(`eni:${eniId}`);
  }

  /** Remembers the ENIs a flow was attributed to, under its exporter (scopes that exporter's losses). */
  noteSeen(flow: DecodedFlow, atts: readonly Attribution[]): void {
    const seen = this.seenOf(flow);
    for (const at of atts) {
      if (seen.overflow || seen.enis.has(at.eni.eniId)) continue;
      if (seen.enis.size < MAX_SEEN_ENIS) seen.enis.add(at.eni.eniId);
      else seen.overflow = true;
    }
  }

  /**
   * Whether an ENI lost flows in [start, end): a test built once per window, then asked per ENI.
   * `shared` adds the loss marks other nodes published for those minutes (scopes as in `takeNewMarks`).
   */
  lostDuring(
    start: number,
    end: number,
    shared: readonly { at: number; scope: string }[] = [],
  ): (eni: { vpcId: string; eniId: string }) => boolean {
    const marks: DropMark[] = [];
    for (const [minute, mark] of this.dropMarks) if (minute >= start && minute < end) marks.push(mark);
    const other: DropMark = { all: false, vpcs: new Set(), enis: new Set() };
    for (const m of shared) if (m.at >= start && m.at < end) addScope(other, m.scope);
    if (other.all || other.vpcs.size > 0 || other.enis.size > 0) marks.push(other);
    if (marks.length === 0) return () => false;
    return (eni) => marks.some((m) => m.all || m.vpcs.has(eni.vpcId) || m.enis.has(eni.eniId));
  }

  /** Starts keeping the loss marks noted since the last `takeNewMarks` (nodes sharing a database). */
  trackNewMarks(): void {
    this.newMarks ??= new Map();
  }

  /**
   * The loss marks noted since the last call, per minute, as scopes: `*` (every ENI), `vpc:ID`, `eni:ID`
   * (src/store/repos/window-mark-repo.ts). Empty unless tracked.
   */
  takeNewMarks(): { at: number; scope: string }[] {
    const out: { at: number; scope: string }[] = [];
    if (this.newMarks === undefined) return out;
    for (const [at, scopes] of this.newMarks) for (const scope of scopes) out.push({ at, scope });
    this.newMarks.clear();
    return out;
  }

  /** Forgets the minutes before `horizon`. */
  prune(horizon: number): void {
    for (const minute of this.dropMarks.keys()) if (minute < horizon) this.dropMarks.delete(minute);
  }

  private markAt(minute: number): DropMark {
    let mark = this.dropMarks.get(minute);
    if (mark === undefined)
      this.dropMarks.set(minute, (mark = { all: false, vpcs: new Set(), enis: new Set() }));
    return mark;
  }

  /** Notes a loss of `scope` (`*`, `vpc:ID`, `eni:ID`) in the current minute. */
  private note(scope: string): void {
    const minute = windowStartOf(this.now(), MINUTE_MS);
    addScope(this.markAt(minute), scope);
    if (this.newMarks === undefined) return;
    let scopes = this.newMarks.get(minute);
    if (scopes === undefined) this.newMarks.set(minute, (scopes = new Set()));
    scopes.add(scope);
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
}

/** Adds a loss scope (`*`, `vpc:ID`, `eni:ID`) to a minute's mark. */
function addScope(mark: DropMark, scope: string): void {
  if (scope === '*') mark.all = true;
  else if (scope.startsWith('vpc:')) mark.vpcs.add(scope.slice(4));
  else if (scope.startsWith('eni:')) mark.enis.add(scope.slice(4));
}
