// Byte-level builders for IPFIX / NetFlow v9 / NetFlow v5 export packets. Used by the tests to hand-craft
// RFC-style messages (and usable by benchmarks or a future test exporter). No validation on purpose:
// tests need to build broken packets too.
import { isIPv6 } from 'node:net';
import type { TemplateFieldSpec } from './types.js';

/** Unsigned big-endian value in `len` bytes (1..8). */
export function u(value: number | bigint, len: number): Buffer {
  const b = Buffer.alloc(len);
  let v = BigInt(value);
  for (let i = len - 1; i >= 0; i--) {
    b[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return b;
}

/** IPv4 or IPv6 address bytes. */
export function ip(address: string): Buffer {
  if (!isIPv6(address)) return Buffer.from(address.split('.').map(Number));
  const [head = '', tail] = address.split('::');
  const h = head === '' ? [] : head.split(':');
  const t = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  return Buffer.concat(groups.map((g) => u(parseInt(g, 16), 2)));
}

/** Variable-length IPFIX field content with its length prefix (1 byte, or 255 + 2 bytes when forced/long). */
export function varlen(content: Buffer, forceLongForm = false): Buffer {
  if (content.length < 255 && !forceLongForm) return Buffer.concat([u(content.length, 1), content]);
  return Buffer.concat([u(255, 1), u(content.length, 2), content]);
}

/** 64-bit NTP timestamp for a Unix time in ms (dateTimeMicroseconds/Nanoseconds encoding). */
export function ntp(unixMs: number): Buffer {
  const sec = Math.floor(unixMs / 1000) + 2208988800;
  const frac = Math.round(((unixMs % 1000) / 1000) * 2 ** 32);
  return Buffer.concat([u(sec % 2 ** 32, 4), u(frac, 4)]);
}

function setOf(id: number, body: Buffer): Buffer {
  return Buffer.concat([u(id, 2), u(body.length + 4, 2), body]);
}

function ipfixFieldSpecs(fields: readonly TemplateFieldSpec[]): Buffer {
  return Buffer.concat(
    fields.map((f) =>
      f.enterpriseId === undefined
        ? Buffer.concat([u(f.id, 2), u(f.length, 2)])
        : Buffer.concat([u(f.id | 0x8000, 2), u(f.length, 2), u(f.enterpriseId, 4)]),
    ),
  );
}

export interface IpfixHeader {
  exportTime: number; // seconds
  sequence: number;
  domain: number;
}

/** IPFIX message: 16-byte header (length computed) + sets. */
export function ipfixMessage(h: IpfixHeader, sets: readonly Buffer[]): Buffer {
  const body = Buffer.concat(sets);
  return Buffer.concat([
    u(10, 2),
    u(16 + body.length, 2),
    u(h.exportTime, 4),
    u(h.sequence, 4),
    u(h.domain, 4),
    body,
  ]);
}

export function ipfixTemplateSet(
  templates: readonly { id: number; fields: readonly TemplateFieldSpec[] }[],
): Buffer {
  return setOf(
    2,
    Buffer.concat(
      templates.map((t) => Buffer.concat([u(t.id, 2), u(t.fields.length, 2), ipfixFieldSpecs(t.fields)])),
    ),
  );
}

export function ipfixOptionsTemplateSet(
  templates: readonly { id: number; scopeCount: number; fields: readonly TemplateFieldSpec[] }[],
): Buffer {
  return setOf(
    3,
    Buffer.concat(
      templates.map((t) =>
        Buffer.concat([u(t.id, 2), u(t.fields.length, 2), u(t.scopeCount, 2), ipfixFieldSpecs(t.fields)]),
      ),
    ),
  );
}

/** Template withdrawal records (field count 0) in a template (2) or options template (3) set. */
export function withdrawalSet(setId: 2 | 3, templateIds: readonly number[]): Buffer {
  return setOf(setId, Buffer.concat(templateIds.map((id) => Buffer.concat([u(id, 2), u(0, 2)]))));
}

/** Data set (IPFIX) or data flowset (v9): set id = template id, records concatenated, optional padding. */
export function dataSet(templateId: number, records: readonly Buffer[], padding = 0): Buffer {
  return setOf(templateId, Buffer.concat([...records, Buffer.alloc(padding)]));
}

// The basic IPv4 flow template many tests send: 5-tuple, 8-byte counters, absolute millisecond timestamps
// (IANA IPFIX Information Elements, RFC 7012). One definition so the template and its records can't drift.
const BASIC_FLOW_FIELDS: readonly TemplateFieldSpec[] = [
  { id: 8, length: 4 }, // sourceIPv4Address
  { id: 12, length: 4 }, // destinationIPv4Address
  { id: 7, length: 2 }, // sourceTransportPort
  { id: 11, length: 2 }, // destinationTransportPort
  { id: 4, length: 1 }, // protocolIdentifier
  { id: 2, length: 8 }, // packetDeltaCount
  { id: 1, length: 8 }, // octetDeltaCount
  { id: 152, length: 8 }, // flowStartMilliseconds
  { id: 153, length: 8 }, // flowEndMilliseconds
];

/** One flow of the basic template: IPv4 addresses, ports, protocol number, counters, Unix ms times. */
export interface BasicFlow {
  src: string;
  dst: string;
  sport: number;
  dport: number;
  protocol: number;
  packets: number | bigint;
  bytes: number | bigint;
  startMs: number;
  endMs: number;
}

/** IPFIX template set announcing the basic IPv4 flow template under `id`. */
export function basicFlowTemplate(id = 256): Buffer {
  return ipfixTemplateSet([{ id, fields: BASIC_FLOW_FIELDS }]);
}

/** A record of the basic template (for `dataSet(id, ...)`), fields in template order. */
export function basicFlowRecord(f: BasicFlow): Buffer {
  return Buffer.concat([
    ip(f.src),
    ip(f.dst),
    u(f.sport, 2),
    u(f.dport, 2),
    u(f.protocol, 1),
    u(f.packets, 8),
    u(f.bytes, 8),
    u(f.startMs, 8),
    u(f.endMs, 8),
  ]);
}

export interface V9Header {
  sysUptime: number; // ms
  unixSecs: number;
  sequence: number;
  sourceId: number;
  count?: number;
}

export function v9Packet(h: V9Header, flowsets: readonly Buffer[]): Buffer {
  const header = Buffer.concat([
    u(9, 2),
    u(h.count ?? flowsets.length, 2),
    u(h.sysUptime, 4),
    u(h.unixSecs, 4),
    u(h.sequence, 4),
    u(h.sourceId, 4),
  ]);
  return Buffer.concat([header, ...flowsets]);
}

export function v9TemplateFlowset(
  templates: readonly { id: number; fields: readonly TemplateFieldSpec[] }[],
): Buffer {
  return setOf(
    0,
    Buffer.concat(
      templates.map((t) =>
        Buffer.concat([
          u(t.id, 2),
          u(t.fields.length, 2),
          ...t.fields.map((f) => Buffer.concat([u(f.id, 2), u(f.length, 2)])),
        ]),
      ),
    ),
  );
}

export function v9OptionsTemplateFlowset(
  id: number,
  scope: readonly TemplateFieldSpec[],
  options: readonly TemplateFieldSpec[],
  padding = 0,
): Buffer {
  const spec = (f: TemplateFieldSpec): Buffer => Buffer.concat([u(f.id, 2), u(f.length, 2)]);
  return setOf(
    1,
    Buffer.concat([
      u(id, 2),
      u(scope.length * 4, 2),
      u(options.length * 4, 2),
      ...scope.map(spec),
      ...options.map(spec),
      Buffer.alloc(padding),
    ]),
  );
}

export interface V5Header {
  sysUptime: number;
  unixSecs: number;
  unixNsecs: number;
  sequence: number;
  engineType: number;
  engineId: number;
  samplingInterval?: number;
}

export interface V5Record {
  src: string;
  dst: string;
  nexthop?: string;
  input?: number;
  output?: number;
  packets: number;
  bytes: number;
  first: number;
  last: number;
  sport: number;
  dport: number;
  tcpFlags?: number;
  protocol: number;
}

export function v5Packet(h: V5Header, records: readonly V5Record[]): Buffer {
  const header = Buffer.concat([
    u(5, 2),
    u(records.length, 2),
    u(h.sysUptime, 4),
    u(h.unixSecs, 4),
    u(h.unixNsecs, 4),
    u(h.sequence, 4),
    u(h.engineType, 1),
    u(h.engineId, 1),
    u(h.samplingInterval ?? 0, 2),
  ]);
  const recs = records.map((r) =>
    Buffer.concat([
      ip(r.src),
      ip(r.dst),
      ip(r.nexthop ?? '0.0.0.0'),
      u(r.input ?? 0, 2),
      u(r.output ?? 0, 2),
      u(r.packets, 4),
      u(r.bytes, 4),
      u(r.first, 4),
      u(r.last, 4),
      u(r.sport, 2),
      u(r.dport, 2),
      u(0, 1),
      u(r.tcpFlags ?? 0, 1),
      u(r.protocol, 1),
      u(0, 1), // tos
      u(0, 2),
      u(0, 2), // src/dst AS
      u(0, 1),
      u(0, 1), // masks
      u(0, 2), // pad
    ]),
  );
  return Buffer.concat([header, ...recs]);
}
