// Per-exporter state: templates, options values and sequence tracking, keyed by
// (NetFlow version, exporter address, exporter port, observation domain / source id).
// RFC 7011 §8.4 / RFC 3954 §5: over UDP a template is only valid within one Transport Session (exporter
// ip:port) and one Observation Domain; two exporters on one host differ by port and/or domain.
import { takeConfirmedLosses, type SequenceGap } from './sequence.js';
import { compileTemplate, serializeTemplate, type CompiledTemplate } from './template.js';
import type { DecoderCounters, SerializedTemplate } from './types.js';

export interface DomainState {
  netflowVersion: 5 | 9 | 10;
  exporterAddress: string;
  exporterPort: number;
  observationDomainId: number;
  templates: Map<number, CompiledTemplate>;
  /** systemInitTimeMilliseconds from an options record (IPFIX), NaN when unknown. */
  systemInitTimeMs: number;
  /** Sampling interval announced in options data (kept for the aggregator; not applied to counts). */
  samplingInterval: number;
  /** Sequence number of the previous datagram, -1 before the first one. */
  lastSequence: number;
  /** Sequence units (records or packets) in the previous datagram, -1 when unknown (e.g. template miss). */
  lastUnits: number;
  /** The exporter numbers sequences softflowd-style (including the datagram's own units). */
  inclusiveSequence: boolean;
  /** A datagram behind the sequence that filled no gap (-1: none): a restart if the next continues it. */
  resyncSequence: number;
  resyncUnits: number;
  /** Forward gaps waiting for late datagrams (see sequence.ts). */
  gaps: SequenceGap[];
  /** Units lost for good, not yet taken by `takeSequenceLosses`. */
  confirmedLost: number;
  lastSeenMs: number;
}

/** Units an exporter/domain lost for good (sequence gaps no late datagram filled). */
export interface SequenceLoss {
  exporterAddress: string;
  exporterPort: number;
  observationDomainId: number;
  lost: number;
}

/** Public, read-only view of what an exporter told us in options data. */
export interface ExporterInfo {
  netflowVersion: 5 | 9 | 10;
  exporterAddress: string;
  exporterPort: number;
  observationDomainId: number;
  templateIds: number[];
  systemInitTimeMs?: number;
  samplingInterval?: number;
  lastSeenMs: number;
}

function domainKey(version: number, address: string, port: number, domainId: number): string {
  return `${version}|${address}|${port}|${domainId}`;
}

export class ExporterRegistry {
  private readonly domains = new Map<string, DomainState>();

  constructor(
    private readonly counters: DecoderCounters,
    public templateTtlMs: number,
  ) {}

  /** Get or create the state of one exporter/domain. */
  domain(version: 5 | 9 | 10, address: string, port: number, domainId: number, nowMs: number): DomainState {
    const key = domainKey(version, address, port, domainId);
    let d = this.domains.get(key);
    if (d === undefined) {
      d = {
        netflowVersion: version,
        exporterAddress: address,
        exporterPort: port,
        observationDomainId: domainId,
        templates: new Map(),
        systemInitTimeMs: NaN,
        samplingInterval: NaN,
        lastSequence: -1,
        lastUnits: -1,
        inclusiveSequence: false,
        resyncSequence: -1,
        resyncUnits: -1,
        gaps: [],
        confirmedLost: 0,
        lastSeenMs: nowMs,
      };
      this.domains.set(key, d);
    }
    d.lastSeenMs = nowMs;
    return d;
  }

  /** A usable template, or undefined when unknown or expired (expired ones are removed and counted). */
  template(d: DomainState, id: number, nowMs: number): CompiledTemplate | undefined {
    const t = d.templates.get(id);
    if (t === undefined) return undefined;
    if (nowMs - t.receivedAtMs > this.templateTtlMs) {
      d.templates.delete(id);
      this.counters.templatesExpired++;
      return undefined;
    }
    return t;
  }

  setTemplate(d: DomainState, t: CompiledTemplate): void {
    d.templates.set(t.templateId, t);
    this.counters.templates++;
  }

  /** Template withdrawal (RFC 7011 §8.1): one id, or every (options) template when id is the set id. */
  withdraw(d: DomainState, id: number, all: boolean, options: boolean): void {
    if (all) {
      for (const [tid, t] of d.templates) {
        if (t.isOptions === options) d.templates.delete(tid);
      }
    } else {
      d.templates.delete(id);
    }
    this.counters.templateWithdrawals++;
  }

  /**
   * Sequence losses confirmed since the last call, per exporter/domain: gaps older than the reorder
   * tolerance, or every open gap when `all` (a flush).
   */
  takeSequenceLosses(nowMs: number, all: boolean): SequenceLoss[] {
    const out: SequenceLoss[] = [];
    for (const d of this.domains.values()) {
      if (d.gaps.length === 0 && d.confirmedLost === 0) continue;
      const lost = takeConfirmedLosses(d, nowMs, all);
      if (lost > 0) {
        out.push({
          exporterAddress: d.exporterAddress,
          exporterPort: d.exporterPort,
          observationDomainId: d.observationDomainId,
          lost,
        });
      }
    }
    return out;
  }

  /** Drop templates older than the TTL and exporter states idle for longer than the TTL. */
  expire(nowMs: number): number {
    let n = 0;
    for (const [key, d] of this.domains) {
      for (const [id, t] of d.templates) {
        if (nowMs - t.receivedAtMs > this.templateTtlMs) {
          d.templates.delete(id);
          n++;
        }
      }
      // (An idle exporter's open gaps are long confirmed: the data plane takes losses every second.)
      if (d.templates.size === 0 && nowMs - d.lastSeenMs > this.templateTtlMs) this.domains.delete(key);
    }
    this.counters.templatesExpired += n;
    return n;
  }

  templateCount(): number {
    let n = 0;
    for (const d of this.domains.values()) n += d.templates.size;
    return n;
  }

  exportTemplates(): SerializedTemplate[] {
    const out: SerializedTemplate[] = [];
    for (const d of this.domains.values()) {
      for (const t of d.templates.values()) {
        out.push(serializeTemplate(t, d.exporterAddress, d.exporterPort, d.observationDomainId));
      }
    }
    return out;
  }

  /** Import persisted templates; invalid entries are skipped. Returns how many were accepted. */
  importTemplates(list: readonly SerializedTemplate[], nowMs: number): number {
    let n = 0;
    for (const s of list) {
      if (!isSerializedTemplate(s)) continue;
      const t = compileTemplate(
        s.netflowVersion,
        s.templateId,
        s.fields,
        s.isOptions,
        s.scopeFieldCount,
        s.receivedAtMs,
      );
      if (t === undefined) continue;
      const d = this.domain(
        s.netflowVersion,
        s.exporterAddress,
        s.exporterPort,
        s.observationDomainId,
        nowMs,
      );
      const existing = d.templates.get(t.templateId);
      // Never replace a template learnt from the wire with an older persisted copy.
      if (existing !== undefined && existing.receivedAtMs >= t.receivedAtMs) continue;
      d.templates.set(t.templateId, t);
      n++;
    }
    return n;
  }

  exporters(): ExporterInfo[] {
    return [...this.domains.values()].map((d) => ({
      netflowVersion: d.netflowVersion,
      exporterAddress: d.exporterAddress,
      exporterPort: d.exporterPort,
      observationDomainId: d.observationDomainId,
      templateIds: [...d.templates.keys()],
      ...(Number.isNaN(d.systemInitTimeMs) ? {} : { systemInitTimeMs: d.systemInitTimeMs }),
      ...(Number.isNaN(d.samplingInterval) ? {} : { samplingInterval: d.samplingInterval }),
      lastSeenMs: d.lastSeenMs,
    }));
  }
}

const isUint = (v: unknown, max: number): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= max;

/** Structural check of untrusted persisted JSON. */
function isSerializedTemplate(s: unknown): s is SerializedTemplate {
  if (typeof s !== 'object' || s === null) return false;
  const o = s as Record<string, unknown>;
  if (o.netflowVersion !== 9 && o.netflowVersion !== 10) return false;
  if (typeof o.exporterAddress !== 'string' || !isUint(o.exporterPort, 65535)) return false;
  if (!isUint(o.observationDomainId, 0xffffffff) || !isUint(o.templateId, 65535) || o.templateId < 256)
    return false;
  if (typeof o.isOptions !== 'boolean' || !isUint(o.scopeFieldCount, 65535)) return false;
  if (typeof o.receivedAtMs !== 'number' || !Number.isFinite(o.receivedAtMs)) return false;
  if (!Array.isArray(o.fields)) return false;
  return o.fields.every((f: unknown) => {
    if (typeof f !== 'object' || f === null) return false;
    const g = f as Record<string, unknown>;
    return (
      isUint(g.id, 65535) &&
      isUint(g.length, 65535) &&
      (g.enterpriseId === undefined || isUint(g.enterpriseId, 0xffffffff))
    );
  });
}
