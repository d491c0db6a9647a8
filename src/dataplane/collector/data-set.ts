// Data set / data flowset decoding (IPFIX set id >= 256, v9 flowset id >= 256) with a compiled template.
import { readUnsigned } from './binary.js';
import type { DomainState } from './exporter-registry.js';
import {
  K_NTP,
  K_OFFSET,
  K_UINT,
  S_BYTES,
  S_BYTES_POST,
  S_BYTES_TOTAL,
  S_DPORT,
  S_DST4,
  S_DST6,
  S_END_DELTA_US,
  S_END_MS,
  S_END_NTP,
  S_END_SEC,
  S_END_SYSUP,
  S_FWD_STATUS,
  S_ICMP4,
  S_ICMP6,
  S_IN_IF,
  S_OUT_IF,
  S_PACKETS,
  S_PACKETS_POST,
  S_PACKETS_TOTAL,
  S_PROTO,
  S_SAMPLING,
  S_SPORT,
  S_SRC4,
  S_SRC6,
  S_START_DELTA_US,
  S_START_MS,
  S_START_NTP,
  S_START_SEC,
  S_START_SYSUP,
  S_SYS_INIT,
  S_TCP_FLAGS,
  SLOT_COUNT,
  VARIABLE_LENGTH,
} from './information-elements.js';
import { formatIPv4, formatIPv6 } from './ip-format.js';
import type { CompiledTemplate } from './template.js';
import { ntpToMs, sysUpTimeToMs } from './time.js';
import type { DecodedFlow, DecoderCounters } from './types.js';

/** Per-datagram facts a data record needs besides its own bytes. */
export interface DataSetContext {
  /** Export time from the message header, Unix ms. */
  exportMs: number;
  /** Exporter uptime at export from the v9 header; NaN for IPFIX (uses systemInitTimeMilliseconds). */
  headerUptimeMs: number;
  domain: DomainState;
  counters: DecoderCounters;
}

// Scratch for one record: slot values plus a presence bitmask. Module-level is safe because decoding is
// synchronous; it avoids allocating per record.
const vals = new Float64Array(SLOT_COUNT);
const val = (slot: number): number => vals[slot] ?? 0;
const bit = (slot: number): number => 1 << slot;

const ADDR4 = bit(S_SRC4) | bit(S_DST4);
const ADDR6 = bit(S_SRC6) | bit(S_DST6);
const SYSUP = bit(S_START_SYSUP) | bit(S_END_SYSUP);

/**
 * Decode every record of a data set in [pos, end). Flows are appended to `out`; options records update the
 * exporter state. Returns the number of data records (flows, options and non-flow records), or -1 when a
 * variable-length field runs past the set: the caller then discards this set's flows.
 * Trailing bytes shorter than the template's minimum record length are padding (RFC 7011 §3.3.1).
 */
export function decodeDataSet(
  buf: Buffer,
  pos: number,
  end: number,
  tpl: CompiledTemplate,
  ctx: DataSetContext,
  out: DecodedFlow[],
): number {
  const fields = tpl.fields;
  const fixed = tpl.fixedLength > 0;
  let count = 0;
  while (end - pos >= tpl.minLength) {
    let mask = 0;
    let p = pos;
    for (const f of fields) {
      let len = f.length;
      if (!fixed) {
        if (len === VARIABLE_LENGTH) {
          // RFC 7011 §7: 1-byte length, or 255 followed by a 2-byte length.
          if (p >= end) return -1;
          len = buf.readUInt8(p++);
          if (len === 255) {
            if (p + 2 > end) return -1;
            len = buf.readUInt16BE(p);
            p += 2;
          }
        }
        if (p + len > end) return -1;
      }
      const kind = f.kind;
      if (kind === K_UINT) {
        vals[f.slot] = readUnsigned(buf, p, len);
        mask |= 1 << f.slot;
      } else if (kind === K_OFFSET) {
        vals[f.slot] = p;
        mask |= 1 << f.slot;
      } else if (kind === K_NTP) {
        vals[f.slot] = ntpToMs(buf, p);
        mask |= 1 << f.slot;
      }
      p += len;
    }
    pos = p;
    count++;
    if (tpl.isOptions) {
      applyOptions(mask, ctx);
    } else {
      const flow = buildFlow(buf, mask, ctx, tpl.netflowVersion);
      if (flow === undefined) ctx.counters.nonFlowRecords++;
      else out.push(flow);
    }
  }
  return count;
}

function applyOptions(mask: number, ctx: DataSetContext): void {
  ctx.counters.optionsRecords++;
  if (mask & bit(S_SYS_INIT)) ctx.domain.systemInitTimeMs = val(S_SYS_INIT);
  if (mask & bit(S_SAMPLING)) ctx.domain.samplingInterval = val(S_SAMPLING);
}

function buildFlow(buf: Buffer, mask: number, ctx: DataSetContext, version: 9 | 10): DecodedFlow | undefined {
  let ipVersion: 4 | 6;
  let srcaddr: string;
  let dstaddr: string;
  if (mask & ADDR4) {
    ipVersion = 4;
    srcaddr = mask & bit(S_SRC4) ? formatIPv4(buf, val(S_SRC4)) : '0.0.0.0';
    dstaddr = mask & bit(S_DST4) ? formatIPv4(buf, val(S_DST4)) : '0.0.0.0';
  } else if (mask & ADDR6) {
    ipVersion = 6;
    srcaddr = mask & bit(S_SRC6) ? formatIPv6(buf, val(S_SRC6)) : '::';
    dstaddr = mask & bit(S_DST6) ? formatIPv6(buf, val(S_DST6)) : '::';
  } else {
    return undefined;
  }

  const protocol = val(S_PROTO) * ((mask >> S_PROTO) & 1);
  let srcport = mask & bit(S_SPORT) ? val(S_SPORT) : 0;
  let dstport = mask & bit(S_DPORT) ? val(S_DPORT) : 0;
  // Normalise ICMP: softflowd sends icmpTypeCode (IE 32/139) and no ports; pmacct already puts
  // type*256+code in the destination port. Use the latter convention for both.
  if (protocol === 1 && mask & bit(S_ICMP4)) {
    srcport = 0;
    dstport = val(S_ICMP4);
  } else if (protocol === 58 && mask & bit(S_ICMP6)) {
    srcport = 0;
    dstport = val(S_ICMP6);
  }

  // Counters: delta counts first; total or "post" (v9 OUT_BYTES/OUT_PKTS) counts only as a fallback.
  const bytes =
    mask & bit(S_BYTES)
      ? val(S_BYTES)
      : mask & bit(S_BYTES_TOTAL)
        ? val(S_BYTES_TOTAL)
        : mask & bit(S_BYTES_POST)
          ? val(S_BYTES_POST)
          : 0;
  const packets =
    mask & bit(S_PACKETS)
      ? val(S_PACKETS)
      : mask & bit(S_PACKETS_TOTAL)
        ? val(S_PACKETS_TOTAL)
        : mask & bit(S_PACKETS_POST)
          ? val(S_PACKETS_POST)
          : 0;

  // Time base for sysUpTime-relative stamps: v9 header, else systemInitTimeMilliseconds (in the record,
  // or from an options record). Without either, anchor the flow end at the export time (keeps duration).
  let uptimeAtExport = NaN;
  if (mask & SYSUP) {
    uptimeAtExport = ctx.headerUptimeMs;
    if (Number.isNaN(uptimeAtExport)) {
      const init = mask & bit(S_SYS_INIT) ? val(S_SYS_INIT) : ctx.domain.systemInitTimeMs;
      if (!Number.isNaN(init)) uptimeAtExport = ctx.exportMs - init;
      else uptimeAtExport = mask & bit(S_END_SYSUP) ? val(S_END_SYSUP) : val(S_START_SYSUP);
    }
  }
  let startMs = timeOf(
    mask,
    S_START_MS,
    S_START_NTP,
    S_START_SEC,
    S_START_SYSUP,
    S_START_DELTA_US,
    ctx,
    uptimeAtExport,
  );
  let endMs = timeOf(mask, S_END_MS, S_END_NTP, S_END_SEC, S_END_SYSUP, S_END_DELTA_US, ctx, uptimeAtExport);
  if (Number.isNaN(startMs)) startMs = Number.isNaN(endMs) ? ctx.exportMs : endMs;
  if (Number.isNaN(endMs)) endMs = startMs;

  const hasFwd = (mask & bit(S_FWD_STATUS)) !== 0;
  const forwardingStatus = hasFwd ? val(S_FWD_STATUS) : undefined;
  const d = ctx.domain;
  return {
    exporterAddress: d.exporterAddress,
    exporterPort: d.exporterPort,
    observationDomainId: d.observationDomainId,
    netflowVersion: version,
    ipVersion,
    srcaddr,
    dstaddr,
    srcport,
    dstport,
    protocol,
    packets,
    bytes,
    startMs,
    endMs,
    tcpFlags: val(S_TCP_FLAGS) * ((mask >> S_TCP_FLAGS) & 1),
    forwardingStatus,
    action: hasFwd ? actionOf(val(S_FWD_STATUS)) : 'ACCEPT',
    inputInterface: mask & bit(S_IN_IF) ? val(S_IN_IF) : undefined,
    outputInterface: mask & bit(S_OUT_IF) ? val(S_OUT_IF) : undefined,
  };
}

/**
 * RFC 7270 forwardingStatus: the 8-bit layout "status(2) | reason(6)" is the numeric value's low byte
 * (reduced-size encoding keeps the numeric value, so 1- and 4-byte encodings agree). Status 10b = dropped.
 * 01b forwarded, 11b consumed and 00b unknown are all ACCEPT.
 */
export function actionOf(forwardingStatus: number): 'ACCEPT' | 'REJECT' {
  return (forwardingStatus & 0xc0) === 0x80 ? 'REJECT' : 'ACCEPT';
}

// Precedence when a template carries several encodings: ms > µs/ns (NTP) > s > sysUpTime > delta-µs.
function timeOf(
  mask: number,
  ms: number,
  ntp: number,
  sec: number,
  sysup: number,
  deltaUs: number,
  ctx: DataSetContext,
  uptimeAtExport: number,
): number {
  if (mask & bit(ms)) return val(ms);
  if (mask & bit(ntp)) return val(ntp);
  if (mask & bit(sec)) return val(sec) * 1000;
  if (mask & bit(sysup)) return sysUpTimeToMs(val(sysup), ctx.exportMs, uptimeAtExport);
  if (mask & bit(deltaUs)) return ctx.exportMs - Math.ceil(val(deltaUs) / 1000);
  return NaN;
}
