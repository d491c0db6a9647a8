import { describe, expect, it } from 'vitest';
import { FlowDecoder } from './flow-decoder.js';
import { dataSet, ip, ipfixMessage, ipfixTemplateSet, v5Packet, v9Packet } from './message-builder.js';

const FROM = { address: '10.255.0.1', port: 9000 };
const NOW = Date.UTC(2024, 4, 1);
const tpl = ipfixTemplateSet([
  {
    id: 256,
    fields: [
      { id: 8, length: 4 },
      { id: 12, length: 4 },
    ],
  },
]);
const rec = Buffer.concat([ip('1.1.1.1'), ip('2.2.2.2')]);
const ipfix = (sequence: number, records: number, domain = 1): Buffer =>
  ipfixMessage({ exportTime: NOW / 1000, sequence, domain }, [
    tpl,
    dataSet(
      256,
      Array.from({ length: records }, () => rec),
    ),
  ]);

describe('sequence gaps', () => {
  it('IPFIX: sequence counts data records; gaps and lost records are counted', () => {
    const d = new FlowDecoder();
    d.decode(ipfix(100, 3), FROM, NOW);
    d.decode(ipfix(103, 2), FROM, NOW); // in order
    d.decode(ipfix(110, 1), FROM, NOW); // 5 records lost
    expect(d.counters).toMatchObject({ sequenceGaps: 1, sequenceLost: 5 });
    d.decode(ipfix(105, 1), FROM, NOW); // late/reordered: a gap event, nothing "lost"
    expect(d.counters).toMatchObject({ sequenceGaps: 2, sequenceLost: 5 });
  });

  it('IPFIX: a reordered datagram is not a loss, and does not make the next one look like a gap', () => {
    const d = new FlowDecoder();
    d.decode(ipfix(100, 3), FROM, NOW);
    d.decode(ipfix(105, 2), FROM, NOW); // 103 (2 records) is late: counted as a gap for now
    expect(d.counters).toMatchObject({ sequenceGaps: 1, sequenceLost: 2, sequenceRecovered: 0 });
    d.decode(ipfix(103, 2), FROM, NOW + 10); // ...and arrives: recovered, the expected number stays at 107
    d.decode(ipfix(107, 1), FROM, NOW + 20);
    d.decode(ipfix(108, 1), FROM, NOW + 30);
    expect(d.counters).toMatchObject({ sequenceGaps: 2, sequenceLost: 2, sequenceRecovered: 2 });
    // Nothing is left to report as lost (SKIPDATA), even at a flush.
    expect(d.takeSequenceLosses(NOW + 60_000, true)).toEqual([]);
  });

  it('IPFIX: an unfilled gap is a loss of that exporter once the reorder tolerance has passed', () => {
    const d = new FlowDecoder();
    const other = { address: '10.255.0.2', port: 9000 };
    d.decode(ipfix(0, 4), FROM, NOW);
    d.decode(ipfix(10, 4), FROM, NOW); // 6 records lost
    d.decode(ipfix(0, 4), other, NOW);
    d.decode(ipfix(4, 4), other, NOW);
    d.decode(ipfix(7, 1), FROM, NOW + 5); // a late half of the gap: 4..6 of 4..9
    expect(d.takeSequenceLosses(NOW + 1_000)).toEqual([]); // still waiting for late datagrams
    expect(d.takeSequenceLosses(NOW + 2_000)).toEqual([
      { exporterAddress: FROM.address, exporterPort: FROM.port, observationDomainId: 1, lost: 5 },
    ]);
    expect(d.takeSequenceLosses(NOW + 3_000)).toEqual([]); // reported once
    expect(d.counters).toMatchObject({ sequenceLost: 6, sequenceRecovered: 1 });
  });

  it('IPFIX: an exporter restart (the sequence starts over) is followed without inventing losses', () => {
    const d = new FlowDecoder();
    d.decode(ipfix(5000, 10), FROM, NOW);
    d.decode(ipfix(5010, 10), FROM, NOW);
    d.decode(ipfix(0, 10), FROM, NOW); // restarted
    d.decode(ipfix(10, 10), FROM, NOW); // continues from 0: followed from here
    d.decode(ipfix(20, 10), FROM, NOW);
    d.decode(ipfix(30, 10), FROM, NOW);
    expect(d.counters.sequenceLost).toBe(0);
    d.decode(ipfix(45, 1), FROM, NOW); // a real gap after the restart is still seen
    expect(d.counters.sequenceLost).toBe(5);
  });

  it('IPFIX: wraps modulo 2^32', () => {
    const d = new FlowDecoder();
    d.decode(ipfix(2 ** 32 - 2, 3), FROM, NOW);
    d.decode(ipfix(1, 1), FROM, NOW);
    expect(d.counters.sequenceGaps).toBe(0);
    d.decode(ipfix(4, 1), FROM, NOW);
    expect(d.counters).toMatchObject({ sequenceGaps: 1, sequenceLost: 2 });
  });

  it('IPFIX: tracks each observation domain separately', () => {
    const d = new FlowDecoder();
    d.decode(ipfix(0, 2, 1), FROM, NOW);
    d.decode(ipfix(500, 2, 2), FROM, NOW);
    d.decode(ipfix(2, 2, 1), FROM, NOW);
    d.decode(ipfix(502, 2, 2), FROM, NOW);
    expect(d.counters.sequenceGaps).toBe(0);
  });

  it("IPFIX: accepts softflowd's inclusive numbering (count including the current message)", () => {
    const d = new FlowDecoder();
    d.decode(ipfix(20, 20), FROM, NOW);
    d.decode(ipfix(47, 27), FROM, NOW);
    d.decode(ipfix(74, 27), FROM, NOW);
    d.decode(ipfix(100, 26), FROM, NOW);
    expect(d.counters.sequenceGaps).toBe(0);
  });

  it('IPFIX: does not judge the next message after a template miss (record count unknown)', () => {
    const d = new FlowDecoder();
    const noTemplate = ipfixMessage({ exportTime: NOW / 1000, sequence: 0, domain: 9 }, [
      dataSet(256, [rec]),
    ]);
    d.decode(noTemplate, FROM, NOW);
    d.decode(ipfixMessage({ exportTime: NOW / 1000, sequence: 77, domain: 9 }, [tpl]), FROM, NOW);
    expect(d.counters).toMatchObject({ sequenceGaps: 0, templateMisses: 1 });
  });

  it('NetFlow v9: sequence counts export packets', () => {
    const d = new FlowDecoder();
    const pkt = (sequence: number): Buffer =>
      v9Packet({ sysUptime: 0, unixSecs: 0, sequence, sourceId: 5 }, []);
    [7, 8, 9, 12, 13].forEach((s) => d.decode(pkt(s), FROM, NOW));
    expect(d.counters).toMatchObject({ sequenceGaps: 1, sequenceLost: 2 });
  });

  it('NetFlow v5: flow_sequence counts flows', () => {
    const d = new FlowDecoder();
    const r = {
      src: '1.1.1.1',
      dst: '2.2.2.2',
      packets: 1,
      bytes: 1,
      first: 0,
      last: 0,
      sport: 1,
      dport: 2,
      protocol: 17,
    };
    const pkt = (sequence: number, n: number): Buffer =>
      v5Packet(
        { sysUptime: 0, unixSecs: 0, unixNsecs: 0, sequence, engineType: 0, engineId: 0 },
        Array(n).fill(r),
      );
    d.decode(pkt(0, 29), FROM, NOW);
    d.decode(pkt(29, 29), FROM, NOW);
    d.decode(pkt(87, 13), FROM, NOW); // 29 lost
    expect(d.counters).toMatchObject({ sequenceGaps: 1, sequenceLost: 29 });
  });
});
