import { describe, expect, it } from 'vitest';
import { FlowDecoder } from './flow-decoder.js';
import { dataSet, ip, ipfixMessage, ipfixTemplateSet, u, withdrawalSet } from './message-builder.js';
import type { TemplateFieldSpec } from './types.js';

const T0 = Date.UTC(2024, 4, 1);
const FIELDS: TemplateFieldSpec[] = [
  { id: 8, length: 4 },
  { id: 12, length: 4 },
  { id: 2, length: 4 },
];
const record = Buffer.concat([ip('10.0.0.1'), ip('10.0.0.2'), u(5, 4)]);
const wide = (n: number): TemplateFieldSpec[] =>
  Array.from({ length: n }, (_, i) => ({ id: 1 + (i % 100), length: 4 }));

function templates(domain: number, ids: number[], fields: TemplateFieldSpec[] = FIELDS): Buffer {
  return ipfixMessage({ exportTime: T0 / 1000, sequence: 0, domain }, [
    ipfixTemplateSet(ids.map((id) => ({ id, fields }))),
  ]);
}
function data(domain: number, id: number): Buffer {
  return ipfixMessage({ exportTime: T0 / 1000, sequence: 0, domain }, [dataSet(id, [record])]);
}

describe('collector limits', () => {
  it('one exporter over its template limit evicts its own least recently used templates, not others’', () => {
    const d = new FlowDecoder({ limits: { maxTemplatesPerExporter: 10, maxTemplates: 100 } });
    const normal = { address: '192.0.2.1', port: 4739 };
    const flood = { address: '198.51.100.66', port: 4739 };
    d.decode(templates(1, [256]), normal, T0);
    for (let i = 0; i < 50; i++) d.decode(templates(1, [300 + i * 3, 301 + i * 3, 302 + i * 3]), flood, T0);
    expect(d.templateCount()).toBe(11);
    expect(d.counters.templatesEvicted).toBe(140);
    // The normal exporter's flows still decode.
    expect(d.decode(data(1, 256), normal, T0 + 1)).toHaveLength(1);
  });

  it('the total limit evicts the least recently used template: used ones stay', () => {
    const d = new FlowDecoder({ limits: { maxTemplatesPerExporter: 1000, maxTemplates: 20 } });
    const used = { address: '192.0.2.1', port: 4739 };
    d.decode(templates(1, [256]), used, T0);
    for (let i = 0; i < 100; i++) {
      d.decode(templates(1, [256 + i]), { address: `203.0.113.${i}`, port: 4739 }, T0);
      // Data for the used template keeps it recent.
      expect(d.decode(data(1, 256), used, T0 + i)).toHaveLength(1);
    }
    expect(d.templateCount()).toBe(20);
    expect(d.counters.templatesEvicted).toBe(81);
  });

  it('the field budget bounds memory whatever the template count; a template wider than it is refused', () => {
    const d = new FlowDecoder({ limits: { maxTemplateFields: 1000 } });
    const from = { address: '192.0.2.9', port: 4739 };
    for (let i = 0; i < 40; i++) d.decode(templates(1, [256 + i], wide(100)), from, T0);
    expect(d.templateFieldCount()).toBeLessThanOrEqual(1000);
    expect(d.templateCount()).toBe(10);
    d.decode(templates(1, [999], wide(1001)), from, T0);
    expect(d.counters.templatesRefused).toBe(1);
  });

  it('observation domains per exporter and in total are bounded, least recently seen evicted', () => {
    const d = new FlowDecoder({ limits: { maxDomainsPerExporter: 4, maxDomains: 10 } });
    for (let dom = 0; dom < 100; dom++)
      d.decode(templates(dom, [256]), { address: '198.51.100.7', port: 1 }, T0);
    expect(d.domainCount()).toBe(4);
    expect(d.templateCount()).toBe(4);
    for (let i = 0; i < 30; i++) d.decode(templates(0, [256]), { address: `203.0.113.${i}`, port: 1 }, T0);
    expect(d.domainCount()).toBe(10);
    expect(d.counters.domainsEvicted).toBe(96 + 24);
  });

  it('reports only what changed for persistence, at most `limit` at a time', () => {
    const d = new FlowDecoder();
    const from = { address: '192.0.2.1', port: 4739 };
    d.decode(templates(1, [256, 257, 258]), from, T0);
    expect(d.takeTemplateChanges(2).upserts).toHaveLength(2);
    expect(d.takeTemplateChanges(10).upserts.map((t) => t.templateId)).toEqual([258]);
    // An unchanged refresh soon after is not a change; a redefinition and a withdrawal are.
    d.decode(templates(1, [256, 257, 258]), from, T0 + 1000);
    expect(d.takeTemplateChanges(10)).toEqual({ upserts: [], deletes: [] });
    d.decode(templates(1, [256], [{ id: 8, length: 4 }]), from, T0 + 2000);
    d.decode(
      ipfixMessage({ exportTime: T0 / 1000, sequence: 0, domain: 1 }, [withdrawalSet(2, [257])]),
      from,
      T0,
    );
    const changes = d.takeTemplateChanges(10);
    expect(changes.upserts.map((t) => t.templateId)).toEqual([256]);
    expect(changes.deletes).toEqual(['10|192.0.2.1|4739|1|257']);
  });
});
