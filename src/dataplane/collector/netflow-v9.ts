// NetFlow v9 export packet decoding (RFC 3954): 20-byte header, then flowsets to the end of the datagram.
import { decodeDataSet, type DataSetContext } from './data-set.js';
import type { ExporterRegistry } from './exporter-registry.js';
import { trackSequence } from './sequence.js';
import {
  parseV9OptionsTemplateFlowset,
  parseV9TemplateFlowset,
  V9_OPTIONS_TEMPLATE_FLOWSET,
  V9_TEMPLATE_FLOWSET,
} from './template-sets.js';
import type { DecodedFlow, DecoderCounters } from './types.js';

export const V9_HEADER_LENGTH = 20;

/**
 * Decode one NetFlow v9 packet; same error policy as IPFIX (see ipfix.ts). The header `count` field is
 * not trusted (exporters disagree on whether template records count); the datagram length is.
 * Fewer than 4 trailing bytes are accepted as packet padding.
 */
export function decodeNetflowV9(
  buf: Buffer,
  address: string,
  port: number,
  nowMs: number,
  registry: ExporterRegistry,
  counters: DecoderCounters,
  out: DecodedFlow[],
): boolean {
  if (buf.length < V9_HEADER_LENGTH) return false;
  const end = buf.length;
  const sequence = buf.readUInt32BE(12);
  const domain = registry.domain(9, address, port, buf.readUInt32BE(16), nowMs);
  const ctx: DataSetContext = {
    exportMs: buf.readUInt32BE(8) * 1000,
    headerUptimeMs: buf.readUInt32BE(4),
    domain,
    counters,
  };
  let ok = true;
  let pos = V9_HEADER_LENGTH;
  while (end - pos >= 4) {
    const setId = buf.readUInt16BE(pos);
    const setLength = buf.readUInt16BE(pos + 2);
    if (setLength < 4 || pos + setLength > end) {
      ok = false;
      break;
    }
    const body = pos + 4;
    const setEnd = pos + setLength;
    if (setId === V9_TEMPLATE_FLOWSET) {
      if (!parseV9TemplateFlowset(buf, body, setEnd, registry, domain, nowMs)) ok = false;
    } else if (setId === V9_OPTIONS_TEMPLATE_FLOWSET) {
      if (!parseV9OptionsTemplateFlowset(buf, body, setEnd, registry, domain, nowMs)) ok = false;
    } else if (setId >= 256) {
      const tpl = registry.template(domain, setId, nowMs);
      if (tpl === undefined) {
        counters.templateMisses++;
      } else {
        const before = out.length;
        if (decodeDataSet(buf, body, setEnd, tpl, ctx, out) < 0) {
          out.length = before;
          ok = false;
        }
      }
    }
    pos = setEnd;
  }
  // v9 sequence numbers count export packets, so one unit per datagram regardless of content.
  trackSequence(domain, sequence, 1, counters);
  return ok;
}
