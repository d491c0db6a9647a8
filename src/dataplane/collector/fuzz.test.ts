// Mutation fuzzing over the recorded fixtures and hand-built messages: decode() must never throw, and the
// counters must stay consistent with what it returned.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FlowDecoder } from './flow-decoder.js';
import {
  dataSet,
  ip,
  ipfixMessage,
  ipfixOptionsTemplateSet,
  ipfixTemplateSet,
  u,
  varlen,
} from './message-builder.js';

/** mulberry32: tiny deterministic PRNG, returns [0, 1). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const dir = join(dirname(fileURLToPath(import.meta.url)), '../../../test/fixtures/flows');
const seeds: Buffer[] = readdirSync(dir)
  .filter((f) => f.endsWith('.bin'))
  .sort()
  .map((f) => readFileSync(join(dir, f)));

// A hand-built IPFIX message with variable-length and enterprise fields and options, to reach those paths.
seeds.push(
  ipfixMessage({ exportTime: 1714521600, sequence: 1, domain: 1 }, [
    ipfixTemplateSet([
      {
        id: 256,
        fields: [
          { id: 8, length: 4 },
          { id: 82, length: 65535 },
          { id: 12, length: 4 },
          { id: 5, length: 2, enterpriseId: 9 },
          { id: 22, length: 4 },
          { id: 21, length: 4 },
        ],
      },
    ]),
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
    dataSet(257, [Buffer.concat([u(1, 4), u(1714521500000, 8)])]),
    dataSet(256, [
      Buffer.concat([
        ip('1.1.1.1'),
        varlen(Buffer.from('eth0')),
        ip('2.2.2.2'),
        u(7, 2),
        u(1000, 4),
        u(2000, 4),
      ]),
      Buffer.concat([
        ip('3.3.3.3'),
        varlen(Buffer.alloc(300), true),
        ip('4.4.4.4'),
        u(7, 2),
        u(1000, 4),
        u(2000, 4),
      ]),
    ]),
  ]),
);

const interesting = [0, 1, 2, 3, 4, 0x7f, 0x80, 0xff, 0xfe];

function mutate(src: Buffer, rnd: () => number): Buffer {
  const pick = (n: number): number => Math.floor(rnd() * n);
  let b = Buffer.from(src);
  const ops = 1 + pick(4);
  for (let i = 0; i < ops; i++) {
    switch (pick(6)) {
      case 0: // flip a bit
        if (b.length > 0) {
          const at = pick(b.length);
          b[at] = (b[at] ?? 0) ^ (1 << pick(8));
        }
        break;
      case 1: // overwrite a byte with a boundary value
        if (b.length > 0) b[pick(b.length)] = interesting[pick(interesting.length)] ?? 0;
        break;
      case 2: // truncate
        b = b.subarray(0, pick(b.length + 1));
        break;
      case 3: // overwrite a 16-bit word (length fields, set ids, field counts)
        if (b.length >= 2)
          b.writeUInt16BE(
            rnd() < 0.5 ? pick(65536) : ([0, 1, 2, 3, 4, 255, 256, 65535][pick(8)] ?? 0),
            pick(b.length - 1),
          );
        break;
      case 4: // append garbage
        b = Buffer.concat([b, Buffer.from(Array.from({ length: pick(16) }, () => pick(256)))]);
        break;
      default: // duplicate a slice
        if (b.length > 4) {
          const start = pick(b.length);
          const len = pick(Math.min(64, b.length - start) + 1);
          const at = pick(b.length);
          b = Buffer.concat([b.subarray(0, at), b.subarray(start, start + len), b.subarray(at)]);
        }
    }
  }
  return b;
}

describe('fuzz', () => {
  it('never throws on 20k mutated datagrams, and counters stay consistent', () => {
    const rnd = mulberry32(0xc0ffee);
    const d = new FlowDecoder();
    let returned = 0;
    const N = 20_000;
    for (let i = 0; i < N; i++) {
      const base = seeds[Math.floor(rnd() * seeds.length)] ?? Buffer.alloc(0);
      // Keep templates flowing: sometimes feed an unmodified seed (like a template refresh).
      const msg = rnd() < 0.1 ? base : mutate(base, rnd);
      const from = { address: '127.0.0.1', port: 9995 + Math.floor(rnd() * 2) };
      let flows: unknown[] = [];
      expect(() => {
        flows = d.decode(msg, from, 1_900_000_000_000 + i);
      }).not.toThrow();
      returned += flows.length;
      for (const f of flows as { startMs: number; packets: number; srcaddr: string }[]) {
        if (!Number.isFinite(f.startMs) || !Number.isFinite(f.packets) || typeof f.srcaddr !== 'string') {
          throw new Error(`bad flow from iteration ${i}: ${JSON.stringify(f)}`);
        }
      }
    }
    const c = d.counters;
    expect(c.packets).toBe(N);
    expect(c.internalErrors).toBe(0); // every failure was a checked one, not a caught RangeError
    expect(c.records).toBe(returned);
    expect(c.malformed).toBeLessThanOrEqual(N);
    expect(c.unsupportedVersion).toBeLessThanOrEqual(c.malformed);
    expect(c.malformed).toBeGreaterThan(1000); // the mutations really do break things
    expect(returned).toBeGreaterThan(1000); // ...and plenty still decodes
    for (const v of Object.values(c)) expect(Number.isInteger(v) && v >= 0).toBe(true);
    expect(JSON.parse(JSON.stringify(d.exportTemplates()))).toEqual(d.exportTemplates());
  });
});
