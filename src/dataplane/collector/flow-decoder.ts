// FlowDecoder: one datagram in, normalised flows out, for IPFIX (v10), NetFlow v9 and NetFlow v5.
import type { CollectorLimits } from './collector-limits.js';
import {
  ExporterRegistry,
  type ExporterInfo,
  type SequenceLoss,
  type TemplateChanges,
} from './exporter-registry.js';
import { decodeIpfix } from './ipfix.js';
import { unmapIPv4 } from './ip-format.js';
import { decodeNetflowV5 } from './netflow-v5.js';
import { decodeNetflowV9 } from './netflow-v9.js';
import type { DecodedFlow, DecoderCounters, PacketSource, SerializedTemplate } from './types.js';

/**
 * Default template lifetime: 30 minutes. RFC 7011 §8.4 requires a Collecting Process to give every
 * template received over UDP a lifetime and expire templates that are not refreshed within it (the
 * exporter must resend templates periodically); 1800 s is the `templateLifeTime` default of the IPFIX
 * configuration model (RFC 6728) and comfortably exceeds typical refresh intervals (softflowd, pmacct:
 * every few packets or minutes). Configure a longer TTL for exporters that refresh rarely.
 */
export const DEFAULT_TEMPLATE_TTL_MS = 30 * 60 * 1000;

/** How often (in collector time) decode() sweeps expired templates and idle exporters. */
const SWEEP_INTERVAL_MS = 60 * 1000;

export interface FlowDecoderOptions {
  templateTtlMs?: number;
  /** Bounds of templates and exporter/domain states (collector-limits.ts); defaults when omitted. */
  limits?: Partial<CollectorLimits>;
}

export function emptyDecoderCounters(): DecoderCounters {
  return {
    packets: 0,
    records: 0,
    malformed: 0,
    templateMisses: 0,
    sequenceGaps: 0,
    sequenceLost: 0,
    sequenceRecovered: 0,
    templates: 0,
    templateWithdrawals: 0,
    templatesExpired: 0,
    templatesEvicted: 0,
    templatesRefused: 0,
    domainsEvicted: 0,
    optionsRecords: 0,
    nonFlowRecords: 0,
    unsupportedVersion: 0,
    internalErrors: 0,
  };
}

export class FlowDecoder {
  /** Live counters; copy with `{ ...decoder.counters }` for a snapshot. */
  readonly counters: DecoderCounters = emptyDecoderCounters();
  private readonly registry: ExporterRegistry;
  private lastSweepMs = -Infinity;

  constructor(options: FlowDecoderOptions = {}) {
    this.registry = new ExporterRegistry(
      this.counters,
      options.templateTtlMs ?? DEFAULT_TEMPLATE_TTL_MS,
      options.limits,
    );
  }

  get templateTtlMs(): number {
    return this.registry.templateTtlMs;
  }

  set templateTtlMs(ms: number) {
    this.registry.templateTtlMs = ms;
  }

  /**
   * Decode one datagram. Never throws: malformed input is counted (`malformed`, once per datagram) and
   * whatever could be safely decoded before the damage is returned (see ipfix.ts for the set policy).
   * `nowMs` is the collector clock used for template TTLs (defaults to Date.now()).
   */
  decode(buf: Buffer, from: PacketSource, nowMs: number = Date.now()): DecodedFlow[] {
    const counters = this.counters;
    counters.packets++;
    const out: DecodedFlow[] = [];
    let ok = false;
    try {
      const address = unmapIPv4(from.address);
      const version = buf.length >= 2 ? buf.readUInt16BE(0) : -1;
      if (version === 10) ok = decodeIpfix(buf, address, from.port, nowMs, this.registry, counters, out);
      else if (version === 9)
        ok = decodeNetflowV9(buf, address, from.port, nowMs, this.registry, counters, out);
      else if (version === 5)
        ok = decodeNetflowV5(buf, address, from.port, nowMs, this.registry, counters, out);
      else if (version >= 0) counters.unsupportedVersion++;
    } catch {
      // Every read is bounds-checked before it happens; this only guards against decoder bugs so a
      // hostile datagram can never take the collector down.
      counters.internalErrors++;
      ok = false;
    }
    if (!ok) counters.malformed++;
    counters.records += out.length;
    if (nowMs - this.lastSweepMs >= SWEEP_INTERVAL_MS) {
      this.lastSweepMs = nowMs;
      this.registry.expire(nowMs);
    }
    return out;
  }

  /** Drop templates not refreshed within the TTL; returns how many were removed. */
  expireTemplates(nowMs: number = Date.now()): number {
    return this.registry.expire(nowMs);
  }

  /** Number of templates currently held (all exporters). */
  templateCount(): number {
    return this.registry.templateCount();
  }

  /** Exporter/domain states held. */
  domainCount(): number {
    return this.registry.domainCount();
  }

  /** Field specifiers held over all templates. */
  templateFieldCount(): number {
    return this.registry.templateFieldCount();
  }

  /** Templates changed or removed since the last call, at most `limit` (see ExporterRegistry). */
  takeTemplateChanges(limit: number): TemplateChanges {
    return this.registry.takeTemplateChanges(limit);
  }

  /** Every live template as plain JSON-serialisable data (persist it; feed it to importTemplates). */
  exportTemplates(): SerializedTemplate[] {
    return this.registry.exportTemplates();
  }

  /**
   * Restore persisted templates. Entries are validated (untrusted JSON); invalid ones are skipped, and a
   * template already learnt from the wire is not replaced by an older copy. Their original `receivedAtMs`
   * is kept, so the TTL still applies. Returns how many were imported.
   */
  importTemplates(list: readonly SerializedTemplate[], nowMs: number = Date.now()): number {
    return Array.isArray(list) ? this.registry.importTemplates(list, nowMs) : 0;
  }

  /**
   * Units lost for good since the last call, per exporter/domain: sequence gaps that no late (reordered)
   * datagram filled within the reorder tolerance (all open gaps when `all`). For SKIPDATA attribution.
   */
  takeSequenceLosses(nowMs: number = Date.now(), all = false): SequenceLoss[] {
    return this.registry.takeSequenceLosses(nowMs, all);
  }

  /** Exporters/domains seen, with their template ids and options values (system init time, sampling). */
  exporters(): ExporterInfo[] {
    return this.registry.exporters();
  }
}
