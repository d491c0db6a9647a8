// IPFIX message decoding (RFC 7011 §3): 16-byte header, then sets until the message length.
import { decodeDataSet, type DataSetContext } from './data-set.js';
import type { ExporterRegistry } from './exporter-registry.js';
import { trackSequence } from './sequence.js';
import { IPFIX_OPTIONS_TEMPLATE_SET, IPFIX_TEMPLATE_SET, parseIpfixTemplateSet } from './template-sets.js';
import type { DecodedFlow, DecoderCounters } from './types.js';

export const IPFIX_HEADER_LENGTH = 16;

/**
 * Decode one IPFIX message. Returns false when anything is malformed.
 *
 * Error policy: the header must be intact and its length must equal the datagram length, else nothing is
 * decoded. Sets are length-delimited and independent, so a bad set never taints the sets before it: a set
 * header that lies (length < 4 or past the end) stops the walk, keeping earlier sets; a data set whose
 * records overrun it is dropped as a whole (its own records are suspect) and the walk continues with the
 * next set, since the set boundary itself was valid.
 */
export function decodeIpfix(
  buf: Buffer,
  address: string,
  port: number,
  nowMs: number,
  registry: ExporterRegistry,
  counters: DecoderCounters,
  out: DecodedFlow[],
): boolean {
  if (buf.length < IPFIX_HEADER_LENGTH || buf.readUInt16BE(2) !== buf.length) return false;
  const end = buf.length;
  const sequence = buf.readUInt32BE(8);
  const domain = registry.domain(10, address, port, buf.readUInt32BE(12), nowMs);
  const ctx: DataSetContext = { exportMs: buf.readUInt32BE(4) * 1000, headerUptimeMs: NaN, domain, counters };
  let ok = true;
  let units = 0; // data records in this message, -1 once unknown
  let pos = IPFIX_HEADER_LENGTH;
  while (pos < end) {
    if (end - pos < 4) {
      ok = false;
      break;
    }
    const setId = buf.readUInt16BE(pos);
    const setLength = buf.readUInt16BE(pos + 2);
    if (setLength < 4 || pos + setLength > end) {
      ok = false;
      break;
    }
    const body = pos + 4;
    const setEnd = pos + setLength;
    if (setId === IPFIX_TEMPLATE_SET || setId === IPFIX_OPTIONS_TEMPLATE_SET) {
      if (
        !parseIpfixTemplateSet(
          buf,
          body,
          setEnd,
          setId === IPFIX_OPTIONS_TEMPLATE_SET,
          registry,
          domain,
          nowMs,
        )
      ) {
        ok = false;
      }
    } else if (setId >= 256) {
      const tpl = registry.template(domain, setId, nowMs);
      if (tpl === undefined) {
        counters.templateMisses++;
        units = -1;
      } else {
        const before = out.length;
        const n = decodeDataSet(buf, body, setEnd, tpl, ctx, out);
        if (n < 0) {
          out.length = before;
          ok = false;
          units = -1;
        } else if (units >= 0) {
          units += n;
        }
      }
    }
    // Set ids 0, 1 and 4-255 are reserved (RFC 7011 §3.3.2): skipped by length.
    pos = setEnd;
  }
  trackSequence(domain, sequence, ok ? units : -1, counters);
  return ok;
}
