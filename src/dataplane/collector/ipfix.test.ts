import { describe, expect, it } from 'vitest';
import { FlowDecoder } from './flow-decoder.js';
import {
  dataSet,
  ip,
  ipfixMessage,
  ipfixOptionsTemplateSet,
  ipfixTemplateSet,
  ntp,
  u,
  varlen,
  withdrawalSet,
} from './message-builder.js';
import type { TemplateFieldSpec } from './types.js';

const FROM = { address: '192.0.2.10', port: 4739 };
const NOW = Date.UTC(2024, 4, 1, 0, 10); // collector clock
const EXPORT_S = Date.UTC(2024, 4, 1, 0, 5) / 1000;
const H = { exportTime: EXPORT_S, sequence: 0, domain: 7 };
const T_START = Date.UTC(2024, 4, 1, 0, 4, 0, 123);
const T_END = T_START + 2500;

// A typical IPv4 template (pmacct-like: 8-byte counters and ms timestamps).
const V4_FIELDS: TemplateFieldSpec[] = [
  { id: 8, length: 4 },
  { id: 12, length: 4 },
  { id: 7, length: 2 },
  { id: 11, length: 2 },
  { id: 4, length: 1 },
  { id: 6, length: 1 },
  { id: 2, length: 8 },
  { id: 1, length: 8 },
  { id: 152, length: 8 },
  { id: 153, length: 8 },
  { id: 10, length: 4 },
  { id: 14, length: 4 },
  { id: 89, length: 1 },
];

interface V4 {
  src?: string;
  dst?: string;
  sport?: number;
  dport?: number;
  proto?: number;
  flags?: number;
  packets?: number;
  bytes?: number;
  fwd?: number;
}

function v4Record(r: V4 = {}): Buffer {
  return Buffer.concat([
    ip(r.src ?? '10.0.0.1'),
    ip(r.dst ?? '10.0.0.2'),
    u(r.sport ?? 40000, 2),
    u(r.dport ?? 443, 2),
    u(r.proto ?? 6, 1),
    u(r.flags ?? 0x1b, 1),
    u(r.packets ?? 10, 8),
    u(r.bytes ?? 1500, 8),
    u(T_START, 8),
    u(T_END, 8),
    u(3, 4),
    u(5, 4),
    u(r.fwd ?? 0x40, 1),
  ]);
}

const templateSet = ipfixTemplateSet([{ id: 256, fields: V4_FIELDS }]);

describe('IPFIX template + data', () => {
  it('decodes a template set and a data set in one message', () => {
    const d = new FlowDecoder();
    const msg = ipfixMessage(H, [
      templateSet,
      dataSet(256, [v4Record(), v4Record({ sport: 40001, fwd: 0x80 })]),
    ]);
    const flows = d.decode(msg, FROM, NOW);
    expect(flows).toHaveLength(2);
    expect(flows[0]).toEqual({
      exporterAddress: '192.0.2.10',
      exporterPort: 4739,
      observationDomainId: 7,
      netflowVersion: 10,
      ipVersion: 4,
      srcaddr: '10.0.0.1',
      dstaddr: '10.0.0.2',
      srcport: 40000,
      dstport: 443,
      protocol: 6,
      packets: 10,
      bytes: 1500,
      startMs: T_START,
      endMs: T_END,
      tcpFlags: 0x1b,
      forwardingStatus: 0x40,
      action: 'ACCEPT',
      inputInterface: 3,
      outputInterface: 5,
    });
    expect(flows[1]).toMatchObject({ srcport: 40001, forwardingStatus: 0x80, action: 'REJECT' });
    expect(d.counters).toMatchObject({
      packets: 1,
      records: 2,
      malformed: 0,
      templates: 1,
      templateMisses: 0,
    });
  });

  it('maps RFC 7270 forwardingStatus: only status 10b (dropped) is REJECT, in 1- and 4-byte encodings', () => {
    const d = new FlowDecoder();
    const fields: TemplateFieldSpec[] = [
      { id: 8, length: 4 },
      { id: 12, length: 4 },
      { id: 89, length: 4 },
    ];
    const rec = (s: number): Buffer => Buffer.concat([ip('1.1.1.1'), ip('2.2.2.2'), u(s, 4)]);
    const msg = ipfixMessage(H, [
      ipfixTemplateSet([{ id: 300, fields }]),
      dataSet(300, [rec(0x00), rec(0x42), rec(0x82), rec(0x8a), rec(0xc1)]),
    ]);
    expect(d.decode(msg, FROM, NOW).map((f) => f.action)).toEqual([
      'ACCEPT',
      'ACCEPT',
      'REJECT',
      'REJECT',
      'ACCEPT',
    ]);
  });

  it('defaults action to ACCEPT and leaves optional fields undefined when absent', () => {
    const d = new FlowDecoder();
    const fields: TemplateFieldSpec[] = [
      { id: 8, length: 4 },
      { id: 12, length: 4 },
    ];
    const msg = ipfixMessage(H, [
      ipfixTemplateSet([{ id: 300, fields }]),
      dataSet(300, [Buffer.concat([ip('1.1.1.1'), ip('2.2.2.2')])]),
    ]);
    const [f] = d.decode(msg, FROM, NOW);
    expect(f).toMatchObject({ action: 'ACCEPT', packets: 0, bytes: 0, protocol: 0, srcport: 0 });
    expect(f?.forwardingStatus).toBeUndefined();
    expect(f?.inputInterface).toBeUndefined();
    // No timestamps at all: the flow is placed at the export time.
    expect(f?.startMs).toBe(EXPORT_S * 1000);
    expect(f?.endMs).toBe(EXPORT_S * 1000);
  });

  it('accepts reduced-size encoding (4-byte counters, 2-byte forwardingStatus-less templates)', () => {
    const d = new FlowDecoder();
    const fields: TemplateFieldSpec[] = [
      { id: 8, length: 4 },
      { id: 12, length: 4 },
      { id: 2, length: 4 },
      { id: 1, length: 4 },
      { id: 1, length: 0 }, // zero-length field: legal filler, skipped
    ];
    const rec = Buffer.concat([ip('1.1.1.1'), ip('2.2.2.2'), u(0xffffffff, 4), u(123456, 4)]);
    const msg = ipfixMessage(H, [ipfixTemplateSet([{ id: 300, fields }]), dataSet(300, [rec])]);
    expect(d.decode(msg, FROM, NOW)[0]).toMatchObject({ packets: 0xffffffff, bytes: 123456 });
  });

  it('keeps 8-byte counters exact up to 2^53', () => {
    const d = new FlowDecoder();
    const msg = ipfixMessage(H, [
      templateSet,
      dataSet(256, [v4Record({ bytes: 2 ** 53 - 1, packets: 2 ** 40 })]),
    ]);
    expect(d.decode(msg, FROM, NOW)[0]).toMatchObject({ bytes: 2 ** 53 - 1, packets: 2 ** 40 });
  });

  it('decodes IPv6 addresses (IE 27/28) to canonical compressed text', () => {
    const d = new FlowDecoder();
    const fields: TemplateFieldSpec[] = [
      { id: 27, length: 16 },
      { id: 28, length: 16 },
      { id: 4, length: 1 },
      { id: 139, length: 2 },
    ];
    const rec = Buffer.concat([ip('2001:db8:0:0:1:0:0:1'), ip('fe80::abcd'), u(58, 1), u(0x8000, 2)]);
    const msg = ipfixMessage(H, [ipfixTemplateSet([{ id: 300, fields }]), dataSet(300, [rec])]);
    expect(d.decode(msg, FROM, NOW)[0]).toMatchObject({
      ipVersion: 6,
      srcaddr: '2001:db8::1:0:0:1',
      dstaddr: 'fe80::abcd',
      protocol: 58,
      srcport: 0,
      dstport: 0x8000, // ICMPv6 echo request: type 128 << 8
    });
  });

  it('normalises ICMP: icmpTypeCodeIPv4 (IE 32) becomes dstport type<<8|code', () => {
    const d = new FlowDecoder();
    const fields: TemplateFieldSpec[] = [
      { id: 8, length: 4 },
      { id: 12, length: 4 },
      { id: 4, length: 1 },
      { id: 32, length: 2 },
    ];
    const rec = Buffer.concat([ip('1.1.1.1'), ip('2.2.2.2'), u(1, 1), u(0x0303, 2)]);
    const msg = ipfixMessage(H, [ipfixTemplateSet([{ id: 300, fields }]), dataSet(300, [rec])]);
    expect(d.decode(msg, FROM, NOW)[0]).toMatchObject({ protocol: 1, srcport: 0, dstport: 0x0303 });
  });

  it('skips records without any IP address (counted as nonFlowRecords)', () => {
    const d = new FlowDecoder();
    const msg = ipfixMessage(H, [
      ipfixTemplateSet([{ id: 300, fields: [{ id: 2, length: 4 }] }]),
      dataSet(300, [u(5, 4), u(6, 4)]),
    ]);
    expect(d.decode(msg, FROM, NOW)).toEqual([]);
    expect(d.counters).toMatchObject({ nonFlowRecords: 2, malformed: 0, records: 0 });
  });
});

describe('IPFIX timestamps', () => {
  const addr = Buffer.concat([ip('1.1.1.1'), ip('2.2.2.2')]);
  const addrFields: TemplateFieldSpec[] = [
    { id: 8, length: 4 },
    { id: 12, length: 4 },
  ];
  const decodeOne = (fields: TemplateFieldSpec[], rec: Buffer, extraSets: Buffer[] = []): unknown => {
    const d = new FlowDecoder();
    const msg = ipfixMessage(H, [
      ipfixTemplateSet([{ id: 400, fields: [...addrFields, ...fields] }]),
      ...extraSets,
      dataSet(400, [Buffer.concat([addr, rec])]),
    ]);
    const f = d.decode(msg, FROM, NOW)[0];
    return f === undefined ? undefined : [f.startMs, f.endMs];
  };

  it('flowStart/EndSeconds (150/151)', () => {
    const fields = [
      { id: 150, length: 4 },
      { id: 151, length: 4 },
    ];
    expect(decodeOne(fields, Buffer.concat([u(1714521600, 4), u(1714521660, 4)]))).toEqual([
      1714521600000, 1714521660000,
    ]);
  });

  it('flowStart/EndMicroseconds and Nanoseconds (154-157, NTP format)', () => {
    const us = [
      { id: 154, length: 8 },
      { id: 155, length: 8 },
    ];
    expect(decodeOne(us, Buffer.concat([ntp(T_START), ntp(T_END)]))).toEqual([T_START, T_END]);
    const ns = [
      { id: 156, length: 8 },
      { id: 157, length: 8 },
    ];
    expect(decodeOne(ns, Buffer.concat([ntp(T_START), ntp(T_END)]))).toEqual([T_START, T_END]);
  });

  it('flowStart/EndSysUpTime (22/21) with systemInitTimeMilliseconds (160) in the record', () => {
    const init = T_START - 60_000;
    const fields = [
      { id: 160, length: 8 },
      { id: 22, length: 4 },
      { id: 21, length: 4 },
    ];
    expect(decodeOne(fields, Buffer.concat([u(init, 8), u(60_000, 4), u(62_500, 4)]))).toEqual([
      T_START,
      T_END,
    ]);
  });

  it('flowStart/EndSysUpTime with systemInitTimeMilliseconds from an options record', () => {
    const init = T_START - 60_000;
    const options = [
      ipfixOptionsTemplateSet([
        {
          id: 500,
          scopeCount: 1,
          fields: [
            { id: 149, length: 4 },
            { id: 160, length: 8 },
          ],
        },
      ]),
      dataSet(500, [Buffer.concat([u(7, 4), u(init, 8)])]),
    ];
    const fields = [
      { id: 22, length: 4 },
      { id: 21, length: 4 },
    ];
    expect(decodeOne(fields, Buffer.concat([u(60_000, 4), u(62_500, 4)]), options)).toEqual([T_START, T_END]);
  });

  it('without any time base, sysUpTime flows end at the export time and keep their duration', () => {
    const fields = [
      { id: 22, length: 4 },
      { id: 21, length: 4 },
    ];
    expect(decodeOne(fields, Buffer.concat([u(60_000, 4), u(62_500, 4)]))).toEqual([
      EXPORT_S * 1000 - 2500,
      EXPORT_S * 1000,
    ]);
  });

  it('flowStart/EndDeltaMicroseconds (158/159) are relative to the export time', () => {
    const fields = [
      { id: 158, length: 4 },
      { id: 159, length: 4 },
    ];
    expect(decodeOne(fields, Buffer.concat([u(5_000_000, 4), u(1_000_000, 4)]))).toEqual([
      EXPORT_S * 1000 - 5000,
      EXPORT_S * 1000 - 1000,
    ]);
  });
});

describe('IPFIX options, variable length and enterprise fields', () => {
  it('parses options templates and options data without emitting them as flows', () => {
    const d = new FlowDecoder();
    const msg = ipfixMessage(H, [
      ipfixOptionsTemplateSet([
        {
          id: 260,
          scopeCount: 1,
          fields: [
            { id: 143, length: 4 },
            { id: 160, length: 8 },
            { id: 305, length: 4 },
          ],
        },
      ]),
      dataSet(260, [Buffer.concat([u(1, 4), u(1714521600000, 8), u(100, 4)])]),
    ]);
    expect(d.decode(msg, FROM, NOW)).toEqual([]);
    expect(d.counters).toMatchObject({ optionsRecords: 1, templates: 1, malformed: 0, records: 0 });
    expect(d.exporters()[0]).toMatchObject({
      netflowVersion: 10,
      observationDomainId: 7,
      systemInitTimeMs: 1714521600000,
      samplingInterval: 100,
      templateIds: [260],
    });
  });

  it('rejects an options template with scope field count 0 (RFC 7011 §3.4.2.2)', () => {
    const d = new FlowDecoder();
    const msg = ipfixMessage(H, [
      ipfixOptionsTemplateSet([{ id: 260, scopeCount: 0, fields: [{ id: 160, length: 8 }] }]),
    ]);
    d.decode(msg, FROM, NOW);
    expect(d.counters).toMatchObject({ malformed: 1, templates: 0 });
  });

  it('skips variable-length fields in both length forms (1-byte and 255 + 2-byte)', () => {
    const d = new FlowDecoder();
    const fields: TemplateFieldSpec[] = [
      { id: 8, length: 4 },
      { id: 82, length: 65535 }, // interfaceName, variable
      { id: 12, length: 4 },
      { id: 83, length: 65535 }, // interfaceDescription, variable
      { id: 2, length: 4 },
    ];
    const rec = (n: number, long: boolean): Buffer =>
      Buffer.concat([
        ip('10.1.1.1'),
        varlen(Buffer.from('eth0')),
        ip('10.1.1.2'),
        varlen(Buffer.alloc(n, 0x61), long),
        u(n, 4),
      ]);
    const msg = ipfixMessage(H, [
      ipfixTemplateSet([{ id: 300, fields }]),
      dataSet(300, [rec(3, false), rec(300, true), rec(0, true), rec(0, false)]),
    ]);
    const flows = d.decode(msg, FROM, NOW);
    expect(flows.map((f) => [f.srcaddr, f.dstaddr, f.packets])).toEqual([
      ['10.1.1.1', '10.1.1.2', 3],
      ['10.1.1.1', '10.1.1.2', 300],
      ['10.1.1.1', '10.1.1.2', 0],
      ['10.1.1.1', '10.1.1.2', 0],
    ]);
    expect(d.counters.malformed).toBe(0);
  });

  it('drops a data set whose variable-length field overruns it, keeps earlier sets', () => {
    const d = new FlowDecoder();
    const fields: TemplateFieldSpec[] = [
      { id: 8, length: 4 },
      { id: 12, length: 4 },
      { id: 82, length: 65535 },
    ];
    const good = Buffer.concat([ip('1.1.1.1'), ip('2.2.2.2'), varlen(Buffer.from('x'))]);
    const lying = Buffer.concat([ip('3.3.3.3'), ip('4.4.4.4'), u(200, 1), Buffer.from('short')]);
    const msg = ipfixMessage(H, [
      ipfixTemplateSet([{ id: 300, fields }]),
      dataSet(300, [good]),
      dataSet(300, [good, lying]),
      dataSet(300, [good]),
    ]);
    const flows = d.decode(msg, FROM, NOW);
    expect(flows).toHaveLength(2); // first and last set; the whole middle set is dropped
    expect(d.counters).toMatchObject({ malformed: 1, records: 2 });
  });

  it('skips enterprise-specific fields (enterprise bit + PEN) cleanly, even with colliding IE ids', () => {
    const d = new FlowDecoder();
    const fields: TemplateFieldSpec[] = [
      { id: 8, length: 4 },
      { id: 1, length: 8, enterpriseId: 29305 }, // PEN field with id 1: must NOT be read as octetDeltaCount
      { id: 12, length: 4 },
      { id: 100, length: 65535, enterpriseId: 9 }, // variable-length enterprise field
      { id: 1, length: 4 },
    ];
    const rec = Buffer.concat([
      ip('1.1.1.1'),
      u(999999, 8),
      ip('2.2.2.2'),
      varlen(Buffer.from('vendor')),
      u(77, 4),
    ]);
    const msg = ipfixMessage(H, [ipfixTemplateSet([{ id: 300, fields }]), dataSet(300, [rec])]);
    expect(d.decode(msg, FROM, NOW)[0]).toMatchObject({ srcaddr: '1.1.1.1', dstaddr: '2.2.2.2', bytes: 77 });
    expect(d.exportTemplates()[0]?.fields[1]).toEqual({ id: 1, length: 8, enterpriseId: 29305 });
  });

  it('treats trailing bytes shorter than a record as set padding', () => {
    const d = new FlowDecoder();
    const msg = ipfixMessage(H, [templateSet, dataSet(256, [v4Record()], 3)]);
    expect(d.decode(msg, FROM, NOW)).toHaveLength(1);
    expect(d.counters.malformed).toBe(0);
  });
});

describe('IPFIX template lifecycle', () => {
  it('counts a template miss, then decodes once the template arrives', () => {
    const d = new FlowDecoder();
    expect(d.decode(ipfixMessage(H, [dataSet(256, [v4Record()])]), FROM, NOW)).toEqual([]);
    expect(d.counters).toMatchObject({ templateMisses: 1, malformed: 0 });
    expect(d.decode(ipfixMessage({ ...H, sequence: 1 }, [templateSet]), FROM, NOW)).toEqual([]);
    expect(
      d.decode(ipfixMessage({ ...H, sequence: 1 }, [dataSet(256, [v4Record()])]), FROM, NOW),
    ).toHaveLength(1);
    expect(d.counters).toMatchObject({ templateMisses: 1, templates: 1, records: 1 });
  });

  it('keys templates by exporter address, port and observation domain', () => {
    const d = new FlowDecoder();
    d.decode(ipfixMessage(H, [templateSet]), FROM, NOW);
    const data = (domain: number): Buffer => ipfixMessage({ ...H, domain }, [dataSet(256, [v4Record()])]);
    expect(d.decode(data(7), FROM, NOW)).toHaveLength(1);
    expect(d.decode(data(8), FROM, NOW)).toHaveLength(0); // other domain
    expect(d.decode(data(7), { ...FROM, port: 4740 }, NOW)).toHaveLength(0); // other transport session
    expect(d.decode(data(7), { ...FROM, address: '192.0.2.11' }, NOW)).toHaveLength(0); // other exporter
    // Dual-stack sockets report IPv4 peers as ::ffff:a.b.c.d: same exporter.
    expect(d.decode(data(7), { ...FROM, address: '::ffff:192.0.2.10' }, NOW)).toHaveLength(1);
    expect(d.counters.templateMisses).toBe(3);
  });

  it('withdraws one template, and all templates with the set id (field count 0)', () => {
    const d = new FlowDecoder();
    const two = ipfixTemplateSet([
      { id: 256, fields: V4_FIELDS },
      { id: 257, fields: V4_FIELDS },
    ]);
    const opts = ipfixOptionsTemplateSet([{ id: 258, scopeCount: 1, fields: [{ id: 149, length: 4 }] }]);
    d.decode(ipfixMessage(H, [two, opts]), FROM, NOW);
    expect(d.templateCount()).toBe(3);
    d.decode(ipfixMessage(H, [withdrawalSet(2, [256])]), FROM, NOW);
    expect(d.exporters()[0]?.templateIds.sort()).toEqual([257, 258]);
    expect(d.decode(ipfixMessage(H, [dataSet(256, [v4Record()])]), FROM, NOW)).toEqual([]);
    d.decode(ipfixMessage(H, [withdrawalSet(2, [2])]), FROM, NOW); // all (non-options) templates
    expect(d.exporters()[0]?.templateIds).toEqual([258]);
    d.decode(ipfixMessage(H, [withdrawalSet(3, [3])]), FROM, NOW); // all options templates
    expect(d.templateCount()).toBe(0);
    expect(d.counters).toMatchObject({ templateWithdrawals: 3, malformed: 0, templateMisses: 1 });
  });

  it('replaces a template redefined with the same id', () => {
    const d = new FlowDecoder();
    d.decode(ipfixMessage(H, [templateSet]), FROM, NOW);
    const fields: TemplateFieldSpec[] = [
      { id: 12, length: 4 },
      { id: 8, length: 4 },
    ];
    const msg = ipfixMessage(H, [
      ipfixTemplateSet([{ id: 256, fields }]),
      dataSet(256, [Buffer.concat([ip('9.9.9.9'), ip('8.8.8.8')])]),
    ]);
    expect(d.decode(msg, FROM, NOW)[0]).toMatchObject({ srcaddr: '8.8.8.8', dstaddr: '9.9.9.9' });
  });
});

describe('IPFIX malformed input', () => {
  const good = ipfixMessage(H, [templateSet, dataSet(256, [v4Record(), v4Record()])]);

  it('rejects a wrong version and too-short datagrams without throwing', () => {
    const d = new FlowDecoder();
    const v11 = Buffer.from(good);
    v11.writeUInt16BE(11, 0);
    expect(d.decode(v11, FROM, NOW)).toEqual([]);
    expect(d.decode(Buffer.alloc(0), FROM, NOW)).toEqual([]);
    expect(d.decode(Buffer.from([0]), FROM, NOW)).toEqual([]);
    expect(d.decode(good.subarray(0, 15), FROM, NOW)).toEqual([]);
    expect(d.counters).toMatchObject({ packets: 4, malformed: 4, unsupportedVersion: 1, records: 0 });
  });

  it('drops a message whose length field does not match the datagram', () => {
    const d = new FlowDecoder();
    const longer = Buffer.from(good);
    longer.writeUInt16BE(good.length + 10, 2);
    const shorter = Buffer.from(good);
    shorter.writeUInt16BE(good.length - 10, 2);
    expect(d.decode(longer, FROM, NOW)).toEqual([]);
    expect(d.decode(shorter, FROM, NOW)).toEqual([]);
    expect(d.decode(good.subarray(0, good.length - 5), FROM, NOW)).toEqual([]); // truncated datagram
    expect(d.counters).toMatchObject({ malformed: 3, templates: 0 });
  });

  it('keeps sets before a set whose length field lies, stops there', () => {
    const d = new FlowDecoder();
    const badSet = Buffer.concat([u(256, 2), u(400, 2), v4Record()]); // claims 400 bytes
    const msg = ipfixMessage(H, [templateSet, dataSet(256, [v4Record()]), badSet]);
    expect(d.decode(msg, FROM, NOW)).toHaveLength(1);
    expect(d.counters).toMatchObject({ malformed: 1, records: 1, templates: 1 });
    const zeroLen = ipfixMessage(H, [dataSet(256, [v4Record()]), Buffer.from([1, 0, 0, 0])]);
    expect(d.decode(zeroLen, FROM, NOW)).toHaveLength(1);
    expect(d.counters.malformed).toBe(2);
  });

  it('rejects a template whose field specifiers run past the set, keeping earlier templates', () => {
    const d = new FlowDecoder();
    const truncatedTemplate = Buffer.concat([
      u(2, 2),
      u(4 + 4 + 4 + 4, 2),
      u(256, 2),
      u(1, 2),
      u(8, 2),
      u(4, 2),
      u(257, 2),
      u(9, 2),
    ]);
    d.decode(ipfixMessage(H, [truncatedTemplate]), FROM, NOW);
    expect(d.exporters()[0]?.templateIds).toEqual([256]);
    expect(d.counters).toMatchObject({ malformed: 1, templates: 1 });
  });

  it('refuses templates that would make record counting unbounded (all fields zero-length)', () => {
    const d = new FlowDecoder();
    const msg = ipfixMessage(H, [
      ipfixTemplateSet([{ id: 300, fields: [{ id: 8, length: 0 }] }]),
      dataSet(300, []),
    ]);
    expect(d.decode(msg, FROM, NOW)).toEqual([]);
    expect(d.counters).toMatchObject({ malformed: 1, templates: 0, templateMisses: 1 });
  });

  it('skips reserved set ids (4-255) by length', () => {
    const d = new FlowDecoder();
    const reserved = Buffer.concat([u(100, 2), u(8, 2), u(0, 4)]);
    const msg = ipfixMessage(H, [templateSet, reserved, dataSet(256, [v4Record()])]);
    expect(d.decode(msg, FROM, NOW)).toHaveLength(1);
    expect(d.counters.malformed).toBe(0);
  });
});
