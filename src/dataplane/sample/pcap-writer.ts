// Minimal classic-libpcap writer (Ethernet link type, IPv4 or IPv6, TCP/UDP/ICMP): test fixtures and the demo's sample traffic.
// softflowd (and tcpdump) read these files; every checksum is computed so nothing is "bad" to a strict reader.
import { isIPv4, isIPv6 } from 'node:net';

export interface PcapPacket {
  /** Capture timestamp, Unix epoch milliseconds. */
  tsMs: number;
  /** Source/destination IP address (both IPv4 or both IPv6). */
  src: string;
  dst: string;
  proto: 'tcp' | 'udp' | 'icmp';
  sport: number;
  dport: number;
  /** TCP flags byte (FIN 1, SYN 2, RST 4, PSH 8, ACK 16, URG 32); default ACK. */
  tcpFlags?: number;
  /** ICMP type/code (ICMPv6 when the addresses are IPv6); default echo request. */
  icmpType?: number;
  icmpCode?: number;
  /** L4 payload bytes (zero-filled). */
  payloadLength: number;
}

const LINKTYPE_ETHERNET = 1;
const SRC_MAC = Buffer.from([0x02, 0, 0, 0, 0, 0x01]);
const DST_MAC = Buffer.from([0x02, 0, 0, 0, 0, 0x02]);

/** Build a complete pcap file (global header + one record per packet). */
export function buildPcap(packets: readonly PcapPacket[]): Buffer {
  const parts: Buffer[] = [];
  const global = Buffer.alloc(24);
  global.writeUInt32LE(0xa1b2c3d4, 0); // microsecond-resolution magic, little-endian file
  global.writeUInt16LE(2, 4);
  global.writeUInt16LE(4, 6);
  global.writeInt32LE(0, 8); // thiszone
  global.writeUInt32LE(0, 12); // sigfigs
  global.writeUInt32LE(65535, 16); // snaplen
  global.writeUInt32LE(LINKTYPE_ETHERNET, 20);
  parts.push(global);
  for (const p of packets) {
    const frame = buildFrame(p);
    const rec = Buffer.alloc(16);
    const sec = Math.floor(p.tsMs / 1000);
    rec.writeUInt32LE(sec, 0);
    rec.writeUInt32LE(Math.round((p.tsMs - sec * 1000) * 1000), 4);
    rec.writeUInt32LE(frame.length, 8);
    rec.writeUInt32LE(frame.length, 12);
    parts.push(rec, frame);
  }
  return Buffer.concat(parts);
}

/** Ethernet frame carrying one IP packet. */
export function buildFrame(p: PcapPacket): Buffer {
  const v6 = isIPv6(p.src);
  if (v6 ? !isIPv6(p.dst) : !isIPv4(p.src) || !isIPv4(p.dst)) {
    throw new Error(`pcap-writer: address family mismatch ${p.src} -> ${p.dst}`);
  }
  const eth = Buffer.alloc(14);
  DST_MAC.copy(eth, 0);
  SRC_MAC.copy(eth, 6);
  eth.writeUInt16BE(v6 ? 0x86dd : 0x0800, 12);
  const src = v6 ? ipv6Bytes(p.src) : ipv4Bytes(p.src);
  const dst = v6 ? ipv6Bytes(p.dst) : ipv4Bytes(p.dst);
  const protoNum = p.proto === 'tcp' ? 6 : p.proto === 'udp' ? 17 : v6 ? 58 : 1;
  const l4 = buildL4(p, protoNum, src, dst);
  const ip = v6 ? ipv6Header(src, dst, protoNum, l4.length) : ipv4Header(src, dst, protoNum, l4.length);
  return Buffer.concat([eth, ip, l4]);
}

function buildL4(p: PcapPacket, protoNum: number, src: Buffer, dst: Buffer): Buffer {
  const payload = Buffer.alloc(p.payloadLength);
  let hdr: Buffer;
  let checksumAt: number;
  if (p.proto === 'tcp') {
    hdr = Buffer.alloc(20);
    hdr.writeUInt16BE(p.sport, 0);
    hdr.writeUInt16BE(p.dport, 2);
    hdr.writeUInt32BE(1000, 4); // seq
    hdr.writeUInt32BE(0, 8); // ack
    hdr[12] = 5 << 4; // data offset: 5 words, no options
    hdr[13] = p.tcpFlags ?? 0x10;
    hdr.writeUInt16BE(65535, 14); // window
    checksumAt = 16;
  } else if (p.proto === 'udp') {
    hdr = Buffer.alloc(8);
    hdr.writeUInt16BE(p.sport, 0);
    hdr.writeUInt16BE(p.dport, 2);
    hdr.writeUInt16BE(8 + payload.length, 4);
    checksumAt = 6;
  } else {
    hdr = Buffer.alloc(8); // type, code, checksum, identifier, sequence
    hdr[0] = p.icmpType ?? (protoNum === 58 ? 128 : 8);
    hdr[1] = p.icmpCode ?? 0;
    hdr.writeUInt16BE(1, 4);
    hdr.writeUInt16BE(1, 6);
    checksumAt = 2;
  }
  const seg = Buffer.concat([hdr, payload]);
  // ICMPv4 has no pseudo-header; TCP, UDP and ICMPv6 do.
  const pseudo = protoNum === 1 ? Buffer.alloc(0) : pseudoHeader(src, dst, protoNum, seg.length);
  let sum = onesComplement(Buffer.concat([pseudo, seg]));
  if (p.proto === 'udp' && sum === 0) sum = 0xffff; // 0 means "no checksum" for UDP
  seg.writeUInt16BE(sum, checksumAt);
  return seg;
}

function pseudoHeader(src: Buffer, dst: Buffer, protoNum: number, len: number): Buffer {
  if (src.length === 4) {
    const b = Buffer.alloc(12);
    src.copy(b, 0);
    dst.copy(b, 4);
    b[9] = protoNum;
    b.writeUInt16BE(len, 10);
    return b;
  }
  const b = Buffer.alloc(40);
  src.copy(b, 0);
  dst.copy(b, 16);
  b.writeUInt32BE(len, 32);
  b[39] = protoNum;
  return b;
}

function ipv4Header(src: Buffer, dst: Buffer, protoNum: number, l4Len: number): Buffer {
  const h = Buffer.alloc(20);
  h[0] = 0x45;
  h.writeUInt16BE(20 + l4Len, 2);
  h.writeUInt16BE(0x1234, 4); // identification
  h.writeUInt16BE(0x4000, 6); // DF
  h[8] = 64; // TTL
  h[9] = protoNum;
  src.copy(h, 12);
  dst.copy(h, 16);
  h.writeUInt16BE(onesComplement(h), 10);
  return h;
}

function ipv6Header(src: Buffer, dst: Buffer, protoNum: number, l4Len: number): Buffer {
  const h = Buffer.alloc(40);
  h.writeUInt32BE(0x60000000, 0);
  h.writeUInt16BE(l4Len, 4);
  h[6] = protoNum;
  h[7] = 64; // hop limit
  src.copy(h, 8);
  dst.copy(h, 24);
  return h;
}

/** RFC 1071 Internet checksum. */
function onesComplement(b: Buffer): number {
  let sum = 0;
  for (let i = 0; i + 1 < b.length; i += 2) sum += b.readUInt16BE(i);
  if (b.length % 2 === 1) sum += (b[b.length - 1] ?? 0) << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

function ipv4Bytes(a: string): Buffer {
  return Buffer.from(a.split('.').map((x) => Number(x)));
}

function ipv6Bytes(a: string): Buffer {
  const out = Buffer.alloc(16);
  const [head = '', tail] = a.split('::');
  const h = head === '' ? [] : head.split(':');
  const t = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  groups.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16), i * 2));
  return out;
}
