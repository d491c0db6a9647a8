// Per-exporter state: templates, options values and sequence tracking, keyed by
// (NetFlow version, exporter address, exporter port, observation domain / source id).
// RFC 7011 §8.4 / RFC 3954 §5: over UDP a template is only valid within one Transport Session (exporter
// ip:port) and one Observation Domain; two exporters on one host differ by port and/or domain.
//
// Bounded (see collector-limits.ts): templates and exporter/domain states are kept in least-recently-used
// order, per exporter address and in total; a new one over a limit evicts the least recently used
// (templatesEvicted, domainsEvicted), and a template larger than the whole field budget is refused
// (templatesRefused). Template changes are remembered for persistence (`takeTemplateChanges`), so the
// store writes only what changed.
import { DEFAULT_COLLECTOR_LIMITS, type CollectorLimits } from './collector-limits.js';
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

function keyOf(d: DomainState): string {
  return domainKey(d.netflowVersion, d.exporterAddress, d.exporterPort, d.observationDomainId);
}

/** One held template in the LRU lists. */
interface TemplateEntry {
  d: DomainState;
  id: number;
  fields: number;
  /** When a refresh last marked it for persistence. */
  markedAtMs: number;
}

/** What one exporter address holds: its domains and templates, least recently used first. */
interface ExporterUsage {
  domains: Map<string, DomainState>;
  templates: Map<string, TemplateEntry>;
}

/** Template changes since the last save: rows to write and keys to delete. */
export interface TemplateChanges {
  upserts: SerializedTemplate[];
  deletes: string[];
}

/** The persistence key of a template (also its row key in the store). */
export function templateKey(d: DomainState, id: number): string {
  return `${keyOf(d)}|${id}`;
}

export class ExporterRegistry {
  /** Every exporter/domain state, least recently seen first. */
  private readonly domains = new Map<string, DomainState>();
  /** Every template, least recently used first. */
  private readonly lru = new Map<string, TemplateEntry>();
  private readonly usage = new Map<string, ExporterUsage>();
  private heldFields = 0;
  /** Templates changed (value: their domain) or removed (undefined) since the last `takeTemplateChanges`. */
  private readonly dirty = new Map<string, DomainState | undefined>();
  readonly limits: CollectorLimits;

  constructor(
    private readonly counters: DecoderCounters,
    public templateTtlMs: number,
    limits: Partial<CollectorLimits> = {},
  ) {
    this.limits = { ...DEFAULT_COLLECTOR_LIMITS, ...limits };
  }

  private usageOf(address: string): ExporterUsage {
    let u = this.usage.get(address);
    if (u === undefined) this.usage.set(address, (u = { domains: new Map(), templates: new Map() }));
    return u;
  }

  /** Get or create the state of one exporter/domain (and mark it the most recently seen). */
  domain(version: 5 | 9 | 10, address: string, port: number, domainId: number, nowMs: number): DomainState {
    const key = domainKey(version, address, port, domainId);
    let d = this.domains.get(key);
    if (d !== undefined) {
      // Most recently seen last: delete and re-insert (two map operations per datagram).
      this.domains.delete(key);
      this.domains.set(key, d);
      const u = this.usageOf(address);
      u.domains.delete(key);
      u.domains.set(key, d);
    } else {
      const u = this.usageOf(address);
      while (u.domains.size >= this.limits.maxDomainsPerExporter) {
        const oldest = u.domains.values().next().value;
        if (oldest === undefined) break;
        this.dropDomain(oldest);
      }
      while (this.domains.size >= this.limits.maxDomains) {
        const oldest = this.domains.values().next().value;
        if (oldest === undefined) break;
        this.dropDomain(oldest);
      }
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
      u.domains.set(key, d);
    }
    d.lastSeenMs = nowMs;
    return d;
  }

  /** Forgets an exporter/domain and its templates (eviction or idle expiry). */
  private dropDomain(d: DomainState, evicted = true): void {
    for (const id of [...d.templates.keys()]) this.removeTemplate(d, id);
    const key = keyOf(d);
    this.domains.delete(key);
    const u = this.usage.get(d.exporterAddress);
    u?.domains.delete(key);
    if (u !== undefined && u.domains.size === 0 && u.templates.size === 0)
      this.usage.delete(d.exporterAddress);
    if (evicted) this.counters.domainsEvicted++;
  }

  /** A usable template, or undefined when unknown or expired (expired ones are removed and counted). */
  template(d: DomainState, id: number, nowMs: number): CompiledTemplate | undefined {
    const t = d.templates.get(id);
    if (t === undefined) return undefined;
    if (nowMs - t.receivedAtMs > this.templateTtlMs) {
      this.removeTemplate(d, id);
      this.counters.templatesExpired++;
      return undefined;
    }
    this.touch(templateKey(d, id), d.exporterAddress);
    return t;
  }

  private touch(key: string, address: string): void {
    const e = this.lru.get(key);
    if (e === undefined) return;
    this.lru.delete(key);
    this.lru.set(key, e);
    const u = this.usage.get(address);
    if (u !== undefined) {
      u.templates.delete(key);
      u.templates.set(key, e);
    }
  }

  /**
   * Stores a template learnt from the wire (or, with `persisted`, from the store: not marked as changed).
   * Over a limit the least recently used template (of this exporter first) is evicted; a template with
   * more fields than the whole budget is refused.
   */
  setTemplate(d: DomainState, t: CompiledTemplate, persisted = false): void {
    const fields = t.fields.length;
    if (fields > this.limits.maxTemplateFields) {
      this.counters.templatesRefused++;
      return;
    }
    const key = templateKey(d, t.templateId);
    const existing = d.templates.get(t.templateId);
    const previous = this.lru.get(key);
    // A refresh of an unchanged template is written at most every half TTL (its receive time matters
    // only for the TTL on reload); a new or changed definition is written at the next save.
    const unchanged = existing !== undefined && sameDefinition(existing, t);
    const mark =
      !persisted &&
      (!unchanged ||
        previous === undefined ||
        t.receivedAtMs - previous.markedAtMs >= this.templateTtlMs / 2);
    if (existing !== undefined) this.removeTemplate(d, t.templateId, false);
    const u = this.usageOf(d.exporterAddress);
    while (u.templates.size >= this.limits.maxTemplatesPerExporter) {
      if (!this.evictFirst(u.templates)) break;
    }
    while (
      this.lru.size >= this.limits.maxTemplates ||
      this.heldFields + fields > this.limits.maxTemplateFields
    ) {
      if (!this.evictFirst(this.lru)) break;
    }
    const entry: TemplateEntry = {
      d,
      id: t.templateId,
      fields,
      markedAtMs: mark ? t.receivedAtMs : (previous?.markedAtMs ?? t.receivedAtMs),
    };
    d.templates.set(t.templateId, t);
    this.lru.set(key, entry);
    u.templates.set(key, entry);
    this.heldFields += fields;
    if (mark) this.dirty.set(key, d);
    if (!persisted) this.counters.templates++;
  }

  private evictFirst(list: Map<string, TemplateEntry>): boolean {
    const first = list.values().next().value;
    if (first === undefined) return false;
    this.removeTemplate(first.d, first.id);
    this.counters.templatesEvicted++;
    return true;
  }

  /** Removes one template from the domain and the LRU lists; `persist` marks the deletion for the store. */
  private removeTemplate(d: DomainState, id: number, persist = true): void {
    if (!d.templates.delete(id)) return;
    const key = templateKey(d, id);
    const e = this.lru.get(key);
    if (e !== undefined) this.heldFields -= e.fields;
    this.lru.delete(key);
    this.usage.get(d.exporterAddress)?.templates.delete(key);
    if (persist) this.dirty.set(key, undefined);
  }

  /** Template withdrawal (RFC 7011 §8.1): one id, or every (options) template when id is the set id. */
  withdraw(d: DomainState, id: number, all: boolean, options: boolean): void {
    if (all) {
      for (const [tid, t] of [...d.templates]) {
        if (t.isOptions === options) this.removeTemplate(d, tid);
      }
    } else {
      this.removeTemplate(d, id);
    }
    this.counters.templateWithdrawals++;
  }

  /**
   * Templates changed or removed since the last call, at most `limit` of them (the rest stay pending):
   * persistence writes only these, at a bounded rate.
   */
  takeTemplateChanges(limit: number): TemplateChanges {
    const out: TemplateChanges = { upserts: [], deletes: [] };
    for (const [key, d] of this.dirty) {
      if (out.upserts.length + out.deletes.length >= limit) break;
      this.dirty.delete(key);
      const id = Number(key.slice(key.lastIndexOf('|') + 1));
      const t = d?.templates.get(id);
      if (d !== undefined && t !== undefined && this.domains.get(keyOf(d)) === d) {
        out.upserts.push(serializeTemplate(t, d.exporterAddress, d.exporterPort, d.observationDomainId));
      } else {
        out.deletes.push(key);
      }
    }
    return out;
  }

  /** Template changes not yet taken. */
  pendingTemplateChanges(): number {
    return this.dirty.size;
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
    for (const d of [...this.domains.values()]) {
      for (const [id, t] of [...d.templates]) {
        if (nowMs - t.receivedAtMs > this.templateTtlMs) {
          this.removeTemplate(d, id);
          n++;
        }
      }
      // (An idle exporter's open gaps are long confirmed: the data plane takes losses every second.)
      if (d.templates.size === 0 && nowMs - d.lastSeenMs > this.templateTtlMs) this.dropDomain(d, false);
    }
    this.counters.templatesExpired += n;
    return n;
  }

  templateCount(): number {
    return this.lru.size;
  }

  /** Exporter/domain states held. */
  domainCount(): number {
    return this.domains.size;
  }

  /** Field specifiers held over all templates (the memory the templates take is about proportional). */
  templateFieldCount(): number {
    return this.heldFields;
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
      this.setTemplate(d, t, true);
      if (d.templates.get(t.templateId) === t) n++;
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

/** Same template definition (a refresh), whatever the receive time. */
function sameDefinition(a: CompiledTemplate, b: CompiledTemplate): boolean {
  if (a.isOptions !== b.isOptions || a.scopeFieldCount !== b.scopeFieldCount) return false;
  if (a.fields.length !== b.fields.length) return false;
  for (let i = 0; i < a.fields.length; i++) {
    const x = a.fields[i]!;
    const y = b.fields[i]!;
    if (x.id !== y.id || x.length !== y.length || x.enterpriseId !== y.enterpriseId) return false;
  }
  return true;
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
