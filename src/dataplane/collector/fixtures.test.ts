// Recorded softflowd 1.1.0 exports (see test/fixtures/flows/README.md) must decode to exactly the values in
// expected.json, which were cross-checked against nfdump 1.7.1.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildPcap } from '../sample/pcap-writer.js';
import { captureSoftflowd, hasSoftflowd } from '../../../test/support/softflowd.js';
import { skipWithout } from '../../../test/support/real-tools.js';
import { FlowDecoder } from './flow-decoder.js';
import type { DecodedFlow } from './types.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), '../../../test/fixtures/flows');
const SOURCE = { address: '127.0.0.1', port: 9995 };
const DECODE_AT_MS = Date.UTC(2030, 0, 1);

interface Fixture {
  files: string[];
  netflowVersion: 5 | 9 | 10;
  observationDomainId: number;
  counters: Record<string, number>;
  /** Absent for the burst, whose flows are derived from its scenario below. */
  flows?: Omit<DecodedFlow, 'exporterAddress' | 'exporterPort' | 'observationDomainId' | 'netflowVersion'>[];
}

const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as Record<string, Fixture>;

function full(fx: Fixture): DecodedFlow[] {
  return (fx.flows ?? []).map((f) => ({
    exporterAddress: SOURCE.address,
    exporterPort: SOURCE.port,
    observationDomainId: fx.observationDomainId,
    netflowVersion: fx.netflowVersion,
    ...f,
  }));
}

describe('softflowd fixtures', () => {
  it.each(Object.keys(expected))('%s decodes exactly', (name) => {
    const fx = expected[name];
    if (fx === undefined) throw new Error(name);
    const d = new FlowDecoder();
    const flows = fx.files.flatMap((file) => d.decode(readFileSync(join(dir, file)), SOURCE, DECODE_AT_MS));
    expect(flows).toEqual(fx.flows === undefined ? burstFlows() : full(fx));
    expect(d.counters).toMatchObject(fx.counters);
  });

  // burstScenario(): packet i is UDP 10.0.1.1:(20000+i) -> 10.0.2.(i+1):514 with 10+i payload bytes at
  // T0 + 10 s + 7i ms; IP length = 20 + 8 + 10 + i. Independent of the decoder, and what nfdump showed.
  function burstFlows(): DecodedFlow[] {
    const t0 = Date.UTC(2024, 4, 1) + 10_000;
    return Array.from({ length: 30 }, (_, i) => ({
      exporterAddress: SOURCE.address,
      exporterPort: SOURCE.port,
      observationDomainId: 0,
      netflowVersion: 10 as const,
      ipVersion: 4 as const,
      srcaddr: '10.0.1.1',
      dstaddr: `10.0.2.${i + 1}`,
      srcport: 20000 + i,
      dstport: 514,
      protocol: 17,
      packets: 1,
      bytes: 38 + i,
      startMs: t0 + 7 * i,
      endMs: t0 + 7 * i,
      tcpFlags: 0,
      forwardingStatus: undefined,
      action: 'ACCEPT' as const,
      inputInterface: 0,
      outputInterface: 0,
    }));
  }

  it('v10, v9 and v5 agree on the shared IPv4 flows of the mixed scenario', () => {
    const pick = (name: string, withTimes = true): string[] =>
      (expected[name]?.flows ?? [])
        .filter((f) => f.ipVersion === 4)
        .map((f) =>
          [f.srcaddr, f.srcport, f.dstaddr, f.dstport, f.protocol, f.packets, f.bytes, f.tcpFlags]
            .concat(withTimes ? [f.startMs, f.endMs] : [])
            .join(' '),
        )
        .sort();
    const ipfix = pick('ipfix-mixed');
    expect(ipfix).toHaveLength(6);
    expect(pick('ipfix-uptime')).toEqual(ipfix);
    expect(pick('v5-mixed')).toEqual(ipfix);
    expect(ipfix).toContain('10.0.0.1 53870 10.0.0.2 80 6 4 280 27 1714521600000 1714521600301');
    expect(ipfix).toContain('10.0.0.1 0 10.0.0.2 2048 1 1 84 0 1714521602000 1714521602000');
    // v9's header carries whole unix seconds only, so its time base is up to 1 s early: here 10 ms,
    // because softflowd exported at pcap time 3.010 s (nfdump decodes the same values).
    expect(pick('v9-mixed', false)).toEqual(pick('ipfix-mixed', false));
    const v9 = expected['v9-mixed']?.flows?.filter((f) => f.ipVersion === 4) ?? [];
    const v10 = expected['ipfix-mixed']?.flows?.filter((f) => f.ipVersion === 4) ?? [];
    v9.forEach((f, i) => {
      expect(f.startMs - (v10[i]?.startMs ?? NaN)).toBe(-10);
      expect(f.endMs - (v10[i]?.endMs ?? NaN)).toBe(-10);
    });
  });

  it.skipIf(skipWithout(hasSoftflowd))(
    'live: softflowd -r exports what the fixtures recorded (IPFIX)',
    async () => {
      const { mixedScenario } = await import('../../../test/fixtures/flows/generate.js');
      const { datagrams, result } = await captureSoftflowd(buildPcap(mixedScenario()), 10, {
        adjustTime: true,
      });
      expect(result.timedOut).toBe(false);
      const d = new FlowDecoder();
      const flows = datagrams.flatMap((g) => d.decode(g, SOURCE, DECODE_AT_MS));
      const fx = expected['ipfix-mixed'];
      if (fx === undefined) throw new Error('fixture');
      expect(flows).toEqual(full(fx));
    },
  );
});
