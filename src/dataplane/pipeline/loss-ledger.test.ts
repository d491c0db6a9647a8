import { describe, expect, it } from 'vitest';
import type { DecodedFlow } from '../collector/index.js';
import { LossLedger } from './loss-ledger.js';
import type { Attribution } from './topology.js';

const MIN = 60_000;
const T = 100 * MIN;
const exporter = { address: '192.0.2.1', port: 4739, observationDomainId: 0 };
const flow = { exporterAddress: '192.0.2.1', exporterPort: 4739, observationDomainId: 0 } as DecodedFlow;
const at = (eniId: string, vpcId = 'vpc-1'): Attribution => ({
  eni: { eniId, vpcId } as Attribution['eni'],
  direction: 'in',
});

describe('LossLedger', () => {
  it('an unbound exporter’s loss concerns the ENIs it reported, in the minute it was noted', () => {
    let now = T + 5_000;
    const ledger = new LossLedger(
      () => now,
      () => undefined,
    );
    ledger.noteExporterLoss(exporter, 3); // nothing reported yet: counted, marks nothing
    expect(ledger.dropped).toBe(3);
    expect(ledger.lostDuring(T, T + MIN)({ eniId: 'eni-a', vpcId: 'vpc-1' })).toBe(false);
    ledger.noteSeen(flow, [at('eni-a')]);
    ledger.noteExporterLoss(exporter, 2);
    const lost = ledger.lostDuring(T, T + MIN);
    expect(lost({ eniId: 'eni-a', vpcId: 'vpc-1' })).toBe(true);
    expect(lost({ eniId: 'eni-b', vpcId: 'vpc-1' })).toBe(false);
    expect(ledger.lostDuring(T + MIN, T + 2 * MIN)({ eniId: 'eni-a', vpcId: 'vpc-1' })).toBe(false);
    now += MIN;
    ledger.prune(T + MIN);
    expect(ledger.lostDuring(T, T + MIN)({ eniId: 'eni-a', vpcId: 'vpc-1' })).toBe(false);
  });

  it('a bound exporter’s loss concerns its VPC; an overload concerns every ENI; a full table one ENI', () => {
    const ledger = new LossLedger(
      () => T,
      () => ({ vpcId: 'vpc-9' }),
    );
    ledger.noteExporterLoss(exporter, 1);
    let lost = ledger.lostDuring(T, T + MIN);
    expect(lost({ eniId: 'x', vpcId: 'vpc-9' })).toBe(true);
    expect(lost({ eniId: 'x', vpcId: 'vpc-1' })).toBe(false);
    const other = new LossLedger(
      () => T,
      () => undefined,
    );
    other.noteEniLoss('eni-z');
    expect(other.lostDuring(T, T + MIN)({ eniId: 'eni-z', vpcId: 'v' })).toBe(true);
    other.noteDropped(10);
    lost = other.lostDuring(T, T + MIN);
    expect(lost({ eniId: 'anything', vpcId: 'any' })).toBe(true);
    expect(other.dropped).toBe(11);
  });

  it('a lost batch is a loss of each exporter in it', () => {
    const ledger = new LossLedger(
      () => T,
      () => undefined,
    );
    ledger.noteSeen(flow, [at('eni-a')]);
    ledger.noteLostBatch([flow, flow, { ...flow, exporterPort: 9 }]);
    expect(ledger.dropped).toBe(3);
    expect(ledger.lostDuring(T, T + MIN)({ eniId: 'eni-a', vpcId: 'vpc-1' })).toBe(true);
  });
});
