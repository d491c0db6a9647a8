import { describe, expect, it } from 'vitest';
import { DEFAULT_TEMPLATE_TTL_MS, FlowDecoder } from './flow-decoder.js';
import {
  dataSet,
  ip,
  ipfixMessage,
  ipfixOptionsTemplateSet,
  ipfixTemplateSet,
  u,
} from './message-builder.js';
import type { SerializedTemplate, TemplateFieldSpec } from './types.js';

const FROM = { address: '203.0.113.5', port: 4739 };
const T0 = Date.UTC(2024, 4, 1);
const H = { exportTime: T0 / 1000, sequence: 0, domain: 3 };
const FIELDS: TemplateFieldSpec[] = [
  { id: 8, length: 4 },
  { id: 12, length: 4 },
  { id: 82, length: 65535 },
  { id: 7, length: 2, enterpriseId: 6876 },
  { id: 2, length: 4 },
];
const record = Buffer.concat([ip('1.2.3.4'), ip('5.6.7.8'), u(0, 1), u(9, 2), u(42, 4)]);
const templates = ipfixMessage(H, [
  ipfixTemplateSet([{ id: 256, fields: FIELDS }]),
  ipfixOptionsTemplateSet([
    {
      id: 257,
      scopeCount: 1,
      fields: [
        { id: 149, length: 4 },
        { id: 160, length: 8 },
      ],
    },
  ]),
]);
const data = ipfixMessage(H, [dataSet(256, [record])]);

describe('template export / import', () => {
  it('round-trips through JSON into a fresh decoder', () => {
    const a = new FlowDecoder();
    a.decode(templates, FROM, T0);
    const exported = a.exportTemplates();
    expect(exported).toHaveLength(2);
    expect(exported.find((t) => t.templateId === 256)).toEqual({
      netflowVersion: 10,
      exporterAddress: '203.0.113.5',
      exporterPort: 4739,
      observationDomainId: 3,
      templateId: 256,
      isOptions: false,
      scopeFieldCount: 0,
      fields: FIELDS,
      receivedAtMs: T0,
    });
    const json = JSON.parse(JSON.stringify(exported)) as SerializedTemplate[];
    const b = new FlowDecoder();
    expect(b.importTemplates(json, T0 + 1000)).toBe(2);
    expect(b.decode(data, FROM, T0 + 2000)).toEqual(a.decode(data, FROM, T0 + 2000));
    expect(b.decode(data, FROM, T0 + 2000)[0]).toMatchObject({ srcaddr: '1.2.3.4', packets: 42 });
    expect(b.exportTemplates()).toEqual(exported);
  });

  it('ignores invalid entries and never replaces a fresher template learnt from the wire', () => {
    const d = new FlowDecoder();
    d.decode(templates, FROM, T0 + 5000);
    const [good] = d.exportTemplates();
    if (good === undefined) throw new Error('no template');
    const junk = [
      null,
      { ...good, netflowVersion: 8 },
      { ...good, templateId: 2 },
      { ...good, fields: [{ id: -1, length: 4 }] },
      { ...good, fields: [] },
      { ...good, receivedAtMs: T0 }, // older than the wire copy
    ] as unknown as SerializedTemplate[];
    expect(d.importTemplates(junk, T0 + 6000)).toBe(0);
    expect(d.importTemplates('nope' as unknown as SerializedTemplate[], T0)).toBe(0);
    expect(d.exportTemplates()[0]?.receivedAtMs).toBe(T0 + 5000);
  });
});

describe('template expiry (TTL)', () => {
  it('defaults to 30 minutes', () => {
    expect(DEFAULT_TEMPLATE_TTL_MS).toBe(1_800_000);
    expect(new FlowDecoder().templateTtlMs).toBe(1_800_000);
  });

  it('expires templates that are not refreshed within the TTL; a refresh extends them', () => {
    const d = new FlowDecoder({ templateTtlMs: 60_000 });
    d.decode(templates, FROM, T0);
    expect(d.decode(data, FROM, T0 + 60_000)).toHaveLength(1); // exactly at the TTL: still valid
    d.decode(templates, FROM, T0 + 50_000); // refresh
    expect(d.decode(data, FROM, T0 + 100_000)).toHaveLength(1);
    expect(d.decode(data, FROM, T0 + 110_001)).toHaveLength(0);
    expect(d.counters).toMatchObject({ templateMisses: 1, templatesExpired: 1 });
  });

  it('expireTemplates() sweeps every exporter, and imported templates keep their age', () => {
    const d = new FlowDecoder({ templateTtlMs: 60_000 });
    d.decode(templates, FROM, T0);
    expect(d.expireTemplates(T0 + 30_000)).toBe(0);
    expect(d.expireTemplates(T0 + 61_000)).toBe(2);
    expect(d.templateCount()).toBe(0);
    const other = new FlowDecoder({ templateTtlMs: 60_000 });
    other.decode(templates, FROM, T0);
    const e = new FlowDecoder({ templateTtlMs: 60_000 });
    e.importTemplates(other.exportTemplates(), T0 + 61_000);
    expect(e.decode(data, FROM, T0 + 61_000)).toHaveLength(0);
  });
});
