/**
 * Sample traffic for examples/seed.yaml: conversations of the seed's ENIs (10.0.1.10 and 10.0.1.11 on
 * vSwitch web-b, 10.0.2.1 "batch" on web-c) with each other and with addresses outside the VPC. Flows are
 * attributed by the ENIs' private IPs, so any capture you bring must use the seed's addresses (or yours
 * must be in your seed file). The same conversations come as pcap packets (for softflowd, and
 * examples/sample-traffic.pcap) or as IPFIX messages (the demo's built-in sender).
 */
import { dataSet, ipfixMessage, ipfixTemplateSet, u, ip } from '../collector/message-builder.js';
import type { PcapPacket } from './pcap-writer.js';

interface Conversation {
  src: string;
  dst: string;
  proto: 'tcp' | 'udp' | 'icmp';
  sport: number;
  dport: number;
  /** Packets each way (the reply swaps the addresses and ports); 0 replies for one-way traffic. */
  requests: number;
  replies: number;
  payload: number;
}

const FIN = 1;
const SYN = 2;
const PSH_ACK = 8 | 16;
const ACK = 16;

/** ENI web-1 (10.0.1.10) serves HTTPS; web-2 (10.0.1.11) and batch (10.0.2.1) call out. */
export const SAMPLE_CONVERSATIONS: readonly Conversation[] = [
  {
    src: '203.0.113.7',
    dst: '10.0.1.10',
    proto: 'tcp',
    sport: 51514,
    dport: 443,
    requests: 6,
    replies: 5,
    payload: 600,
  },
  {
    src: '198.51.100.20',
    dst: '10.0.1.10',
    proto: 'tcp',
    sport: 40222,
    dport: 443,
    requests: 4,
    replies: 4,
    payload: 300,
  },
  {
    src: '10.0.1.11',
    dst: '10.0.1.10',
    proto: 'tcp',
    sport: 38000,
    dport: 443,
    requests: 3,
    replies: 3,
    payload: 200,
  },
  {
    src: '10.0.1.11',
    dst: '100.100.2.136',
    proto: 'udp',
    sport: 53001,
    dport: 53,
    requests: 2,
    replies: 2,
    payload: 60,
  },
  {
    src: '10.0.2.1',
    dst: '47.96.1.1',
    proto: 'tcp',
    sport: 44000,
    dport: 80,
    requests: 5,
    replies: 6,
    payload: 900,
  },
  {
    src: '10.0.2.1',
    dst: '10.0.1.10',
    proto: 'icmp',
    sport: 0,
    dport: 0,
    requests: 3,
    replies: 3,
    payload: 56,
  },
];

/** The conversations as packets, starting at `startMs`, 50 ms apart. */
export function samplePackets(startMs: number): PcapPacket[] {
  const packets: PcapPacket[] = [];
  let t = startMs;
  for (const c of SAMPLE_CONVERSATIONS) {
    // Request, reply, request, reply, ... while each side has packets left.
    const order: boolean[] = [];
    for (let i = 0; i < Math.max(c.requests, c.replies); i++) {
      if (i < c.requests) order.push(false);
      if (i < c.replies) order.push(true);
    }
    order.forEach((reply, i) => {
      const flags =
        c.proto !== 'tcp'
          ? undefined
          : i === 0
            ? SYN
            : i === order.length - 1
              ? FIN | ACK
              : i % 3
                ? PSH_ACK
                : ACK;
      packets.push({
        tsMs: t,
        src: reply ? c.dst : c.src,
        dst: reply ? c.src : c.dst,
        proto: c.proto,
        sport: reply ? c.dport : c.sport,
        dport: reply ? c.sport : c.dport,
        ...(flags === undefined ? {} : { tcpFlags: flags }),
        ...(c.proto === 'icmp' ? { icmpType: reply ? 0 : 8 } : {}),
        payloadLength: c.payload,
      });
      t += 50;
    });
  }
  return packets;
}

// IPFIX template 256: the fields softflowd sends for IPv4 (absolute milliseconds, as with -A milli).
const TEMPLATE_ID = 256;
const FIELDS = [
  { id: 8, length: 4 }, // sourceIPv4Address
  { id: 12, length: 4 }, // destinationIPv4Address
  { id: 7, length: 2 }, // sourceTransportPort
  { id: 11, length: 2 }, // destinationTransportPort
  { id: 4, length: 1 }, // protocolIdentifier
  { id: 6, length: 1 }, // tcpControlBits
  { id: 2, length: 8 }, // packetDeltaCount
  { id: 1, length: 8 }, // octetDeltaCount
  { id: 152, length: 8 }, // flowStartMilliseconds
  { id: 153, length: 8 }, // flowEndMilliseconds
];
const PROTO = { tcp: 6, udp: 17, icmp: 1 } as const;

/**
 * The packets folded into unidirectional flows (as a flow exporter does) in IPFIX: one message with the
 * template and every flow. `sequence` is the number of records sent before (0 for a new exporter).
 */
export function sampleIpfixMessages(packets: readonly PcapPacket[], domain = 1, sequence = 0): Buffer[] {
  const flows = new Map<
    string,
    { p: PcapPacket; packets: number; bytes: number; flags: number; start: number; end: number }
  >();
  for (const p of packets) {
    const key = `${p.src}|${p.dst}|${p.proto}|${p.sport}|${p.dport}`;
    // On-wire size: IPv4 header 20 + TCP 20 / UDP 8 / ICMP 8 + payload.
    const bytes = 20 + (p.proto === 'tcp' ? 20 : 8) + p.payloadLength;
    const f = flows.get(key);
    if (f) {
      f.packets++;
      f.bytes += bytes;
      f.flags |= p.tcpFlags ?? 0;
      f.end = p.tsMs;
    } else {
      flows.set(key, { p, packets: 1, bytes, flags: p.tcpFlags ?? 0, start: p.tsMs, end: p.tsMs });
    }
  }
  const records = [...flows.values()].map((f) =>
    Buffer.concat([
      ip(f.p.src),
      ip(f.p.dst),
      u(f.p.proto === 'icmp' ? 0 : f.p.sport, 2),
      // ICMP type/code in the destination port, as exporters do.
      u(f.p.proto === 'icmp' ? (f.p.icmpType ?? 8) * 256 + (f.p.icmpCode ?? 0) : f.p.dport, 2),
      u(PROTO[f.p.proto], 1),
      u(f.p.proto === 'tcp' ? f.flags : 0, 1),
      u(f.packets, 8),
      u(f.bytes, 8),
      u(f.start, 8),
      u(f.end, 8),
    ]),
  );
  const exportTime = Math.floor(Date.now() / 1000);
  return [
    ipfixMessage({ exportTime, sequence, domain }, [
      ipfixTemplateSet([{ id: TEMPLATE_ID, fields: FIELDS }]),
      dataSet(TEMPLATE_ID, records),
    ]),
  ];
}
