// NetFlow v5 (Cisco fixed format): 24-byte header + count x 48-byte records, IPv4 only.
import type { ExporterRegistry } from './exporter-registry.js';
import { formatIPv4 } from './ip-format.js';
import { trackSequence } from './sequence.js';
import { sysUpTimeToMs } from './time.js';
import type { DecodedFlow, DecoderCounters } from './types.js';

export const V5_HEADER_LENGTH = 24;
export const V5_RECORD_LENGTH = 48;

/**
 * Decode one NetFlow v5 packet. The datagram must be exactly header + count records long; anything else
 * is malformed and nothing is decoded (v5 has no inner framing to recover from).
 */
export function decodeNetflowV5(
  buf: Buffer,
  address: string,
  port: number,
  nowMs: number,
  registry: ExporterRegistry,
  counters: DecoderCounters,
  out: DecodedFlow[],
): boolean {
  if (buf.length < V5_HEADER_LENGTH) return false;
  const count = buf.readUInt16BE(2);
  if (buf.length !== V5_HEADER_LENGTH + count * V5_RECORD_LENGTH) return false;
  const uptime = buf.readUInt32BE(4);
  const exportMs = buf.readUInt32BE(8) * 1000 + Math.floor(buf.readUInt32BE(12) / 1e6);
  const sequence = buf.readUInt32BE(16);
  const domainId = (buf.readUInt8(20) << 8) | buf.readUInt8(21);
  const domain = registry.domain(5, address, port, domainId, nowMs);
  const sampling = buf.readUInt16BE(22) & 0x3fff; // top 2 bits: sampling mode
  if (sampling !== 0) domain.samplingInterval = sampling;
  for (let i = 0, r = V5_HEADER_LENGTH; i < count; i++, r += V5_RECORD_LENGTH) {
    out.push({
      exporterAddress: address,
      exporterPort: port,
      observationDomainId: domainId,
      netflowVersion: 5,
      ipVersion: 4,
      srcaddr: formatIPv4(buf, r),
      dstaddr: formatIPv4(buf, r + 4),
      srcport: buf.readUInt16BE(r + 32),
      dstport: buf.readUInt16BE(r + 34),
      protocol: buf.readUInt8(r + 38),
      packets: buf.readUInt32BE(r + 16),
      bytes: buf.readUInt32BE(r + 20),
      startMs: sysUpTimeToMs(buf.readUInt32BE(r + 24), exportMs, uptime),
      endMs: sysUpTimeToMs(buf.readUInt32BE(r + 28), exportMs, uptime),
      tcpFlags: buf.readUInt8(r + 37),
      forwardingStatus: undefined,
      action: 'ACCEPT',
      inputInterface: buf.readUInt16BE(r + 12),
      outputInterface: buf.readUInt16BE(r + 14),
    });
  }
  trackSequence(domain, sequence, count, counters);
  return true;
}
