/**
 * Hostile datagrams for the campaign: mutations of recorded IPFIX / NetFlow v9 / v5 exports (softflowd
 * fixtures) (bit flips, boundary values, truncation, garbage, duplicated slices), plus
 * template floods (many wide templates under ever-new observation domains).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ipfixMessage, ipfixTemplateSet } from '../../src/dataplane/collector/message-builder.js';
import type { Rng } from './prng.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/flows');
const SEEDS: Buffer[] = readdirSync(dir)
  .filter((f) => f.endsWith('.bin'))
  .sort()
  .map((f) => readFileSync(join(dir, f)));

const WIDE = Array.from({ length: 100 }, (_, k) => ({ id: 1 + (k % 120), length: 4 }));
const FLOOD = ipfixMessage({ exportTime: 1714521600, sequence: 0, domain: 0 }, [
  ipfixTemplateSet(Array.from({ length: 150 }, (_, i) => ({ id: 256 + i, fields: WIDE }))),
]);
const INTERESTING = [0, 1, 2, 3, 4, 0x7f, 0x80, 0xff, 0xfe];

function mutate(src: Buffer, r: Rng): Buffer {
  let b = Buffer.from(src);
  const ops = 1 + r.int(4);
  for (let i = 0; i < ops; i++) {
    switch (r.int(6)) {
      case 0:
        if (b.length > 0) {
          const at = r.int(b.length);
          b[at] = (b[at] ?? 0) ^ (1 << r.int(8));
        }
        break;
      case 1:
        if (b.length > 0) b[r.int(b.length)] = r.pick(INTERESTING);
        break;
      case 2:
        b = b.subarray(0, r.int(b.length + 1));
        break;
      case 3:
        if (b.length >= 2)
          b.writeUInt16BE(
            r.chance(0.5) ? r.int(65536) : r.pick([0, 1, 2, 3, 4, 255, 256, 65535]),
            r.int(b.length - 1),
          );
        break;
      case 4:
        b = Buffer.concat([b, Buffer.from(Array.from({ length: r.int(16) }, () => r.int(256)))]);
        break;
      default:
        if (b.length > 4) {
          const start = r.int(b.length);
          const len = r.int(Math.min(64, b.length - start) + 1);
          const at = r.int(b.length);
          b = Buffer.concat([b.subarray(0, at), b.subarray(start, start + len), b.subarray(at)]);
        }
    }
  }
  return b;
}

let floodDomain = 0;

/** The next hostile datagram. */
export function nextDatagram(r: Rng): Buffer {
  if (r.chance(0.01)) {
    // A template flood datagram under a new observation domain.
    const buf = Buffer.from(FLOOD);
    buf.writeUInt32BE(++floodDomain, 12);
    return buf;
  }
  return mutate(r.pick(SEEDS), r);
}
