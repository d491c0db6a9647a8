import { describe, expect, it } from 'vitest';
import { FlowDecoder } from './flow-decoder.js';
import {
  dataSet,
  ip,
  u,
  v5Packet,
  v9OptionsTemplateFlowset,
  v9Packet,
  v9TemplateFlowset,
} from './message-builder.js';
import type { TemplateFieldSpec } from './types.js';

const FROM = { address: '198.51.100.1', port: 2055 };
const NOW = Date.UTC(2024, 4, 1, 1);
const UNIX_S = Date.UTC(2024, 4, 1, 0, 30) / 1000;

// NetFlow v9 field types: IN_BYTES 1, IN_PKTS 2, PROTOCOL 4, TCP_FLAGS 6, L4_SRC_PORT 7, IPV4_SRC_ADDR 8,
// INPUT_SNMP 10, L4_DST_PORT 11, IPV4_DST_ADDR 12, OUTPUT_SNMP 14, LAST_SWITCHED 21, FIRST_SWITCHED 22.
const V9_FIELDS: TemplateFieldSpec[] = [
  { id: 8, length: 4 },
  { id: 12, length: 4 },
  { id: 7, length: 2 },
  { id: 11, length: 2 },
  { id: 4, length: 1 },
  { id: 6, length: 1 },
  { id: 2, length: 4 },
  { id: 1, length: 4 },
  { id: 22, length: 4 },
  { id: 21, length: 4 },
  { id: 10, length: 2 },
  { id: 14, length: 2 },
];

const v9Record = (first: number, last: number, sport = 1234): Buffer =>
  Buffer.concat([
    ip('10.9.0.1'),
    ip('10.9.0.2'),
    u(sport, 2),
    u(80, 2),
    u(6, 1),
    u(0x12, 1),
    u(3, 4),
    u(180, 4),
    u(first, 4),
    u(last, 4),
    u(1, 2),
    u(2, 2),
  ]);

describe('NetFlow v9', () => {
  it('decodes template + data flowsets with the header time base (unix secs - sysUptime)', () => {
    const d = new FlowDecoder();
    const pkt = v9Packet({ sysUptime: 100_000, unixSecs: UNIX_S, sequence: 0, sourceId: 42 }, [
      v9TemplateFlowset([{ id: 260, fields: V9_FIELDS }]),
      dataSet(260, [v9Record(90_000, 95_500)], 2),
    ]);
    expect(d.decode(pkt, FROM, NOW)).toEqual([
      {
        exporterAddress: '198.51.100.1',
        exporterPort: 2055,
        observationDomainId: 42,
        netflowVersion: 9,
        ipVersion: 4,
        srcaddr: '10.9.0.1',
        dstaddr: '10.9.0.2',
        srcport: 1234,
        dstport: 80,
        protocol: 6,
        packets: 3,
        bytes: 180,
        startMs: UNIX_S * 1000 - 10_000,
        endMs: UNIX_S * 1000 - 4_500,
        tcpFlags: 0x12,
        forwardingStatus: undefined,
        action: 'ACCEPT',
        inputInterface: 1,
        outputInterface: 2,
      },
    ]);
    expect(d.counters).toMatchObject({ malformed: 0, templates: 1, records: 1 });
  });

  it('handles a sysUptime wrap (flow stamped before the 2^32 ms wrap)', () => {
    const d = new FlowDecoder();
    const pkt = v9Packet({ sysUptime: 1_000, unixSecs: UNIX_S, sequence: 0, sourceId: 1 }, [
      v9TemplateFlowset([{ id: 260, fields: V9_FIELDS }]),
      dataSet(260, [v9Record(2 ** 32 - 4_000, 500)]),
    ]);
    expect(d.decode(pkt, FROM, NOW)[0]).toMatchObject({
      startMs: UNIX_S * 1000 - 5_000,
      endMs: UNIX_S * 1000 - 500,
    });
  });

  it('parses options templates (scope types are not IEs) and keeps the sampling interval', () => {
    const d = new FlowDecoder();
    const pkt = v9Packet({ sysUptime: 1_000, unixSecs: UNIX_S, sequence: 0, sourceId: 1 }, [
      // scope: System (type 1, which is also IN_BYTES's number) ; options: SAMPLING_INTERVAL (34)
      v9OptionsTemplateFlowset(300, [{ id: 1, length: 4 }], [{ id: 34, length: 4 }], 2),
      dataSet(300, [Buffer.concat([u(0x0a000001, 4), u(512, 4)])]),
    ]);
    expect(d.decode(pkt, FROM, NOW)).toEqual([]);
    expect(d.counters).toMatchObject({ optionsRecords: 1, templates: 1, malformed: 0 });
    expect(d.exporters()[0]).toMatchObject({ netflowVersion: 9, samplingInterval: 512 });
  });

  it('counts template misses and malformed flowsets, keeping earlier flowsets', () => {
    const d = new FlowDecoder();
    const h = { sysUptime: 100_000, unixSecs: UNIX_S, sequence: 0, sourceId: 42 };
    expect(d.decode(v9Packet(h, [dataSet(260, [v9Record(1, 2)])]), FROM, NOW)).toEqual([]);
    expect(d.counters.templateMisses).toBe(1);
    const lying = Buffer.concat([u(260, 2), u(999, 2), v9Record(1, 2)]);
    const pkt = v9Packet({ ...h, sequence: 1 }, [
      v9TemplateFlowset([{ id: 260, fields: V9_FIELDS }]),
      dataSet(260, [v9Record(1, 2)]),
      lying,
    ]);
    expect(d.decode(pkt, FROM, NOW)).toHaveLength(1);
    expect(d.decode(pkt.subarray(0, 19), FROM, NOW)).toEqual([]);
    expect(d.counters).toMatchObject({ malformed: 2, records: 1 });
  });

  it('rejects variable-length fields in v9 templates', () => {
    const d = new FlowDecoder();
    const pkt = v9Packet({ sysUptime: 0, unixSecs: UNIX_S, sequence: 0, sourceId: 1 }, [
      v9TemplateFlowset([{ id: 260, fields: [{ id: 8, length: 65535 }] }]),
    ]);
    d.decode(pkt, FROM, NOW);
    expect(d.counters).toMatchObject({ malformed: 1, templates: 0 });
  });
});

describe('NetFlow v5', () => {
  const header = {
    sysUptime: 3_600_000,
    unixSecs: UNIX_S,
    unixNsecs: 250_000_000,
    sequence: 0,
    engineType: 1,
    engineId: 2,
    samplingInterval: 0x4000 | 10,
  };
  const rec = {
    src: '192.168.1.10',
    dst: '8.8.8.8',
    input: 4,
    output: 7,
    packets: 5,
    bytes: 400,
    first: 3_590_000,
    last: 3_599_000,
    sport: 5353,
    dport: 53,
    tcpFlags: 0,
    protocol: 17,
  };

  it('decodes fixed 48-byte records with header-relative times', () => {
    const d = new FlowDecoder();
    const exportMs = UNIX_S * 1000 + 250;
    expect(d.decode(v5Packet(header, [rec, { ...rec, sport: 5354 }]), FROM, NOW)).toEqual([
      {
        exporterAddress: '198.51.100.1',
        exporterPort: 2055,
        observationDomainId: 0x0102,
        netflowVersion: 5,
        ipVersion: 4,
        srcaddr: '192.168.1.10',
        dstaddr: '8.8.8.8',
        srcport: 5353,
        dstport: 53,
        protocol: 17,
        packets: 5,
        bytes: 400,
        startMs: exportMs - 10_000,
        endMs: exportMs - 1_000,
        tcpFlags: 0,
        forwardingStatus: undefined,
        action: 'ACCEPT',
        inputInterface: 4,
        outputInterface: 7,
      },
      expect.objectContaining({ srcport: 5354 }),
    ]);
    expect(d.exporters()[0]).toMatchObject({
      netflowVersion: 5,
      observationDomainId: 0x0102,
      samplingInterval: 10,
    });
  });

  it('drops packets whose count does not match the datagram length', () => {
    const d = new FlowDecoder();
    const pkt = v5Packet(header, [rec, rec]);
    expect(d.decode(pkt.subarray(0, pkt.length - 1), FROM, NOW)).toEqual([]);
    expect(d.decode(Buffer.concat([pkt, Buffer.alloc(4)]), FROM, NOW)).toEqual([]);
    expect(d.decode(pkt.subarray(0, 10), FROM, NOW)).toEqual([]);
    expect(d.counters).toMatchObject({ malformed: 3, records: 0 });
  });
});
