// Sequence-number gap detection per exporter/domain (loss on the UDP path or inside the exporter).
import type { DomainState } from './exporter-registry.js';
import type { DecoderCounters } from './types.js';

const TWO_31 = 2147483648;

/**
 * Check a datagram's sequence number against the previous one and remember it.
 * Units: IPFIX = data records (RFC 7011 §3.1, options records included), v9 = export packets
 * (RFC 3954 §5.1), v5 = flows. `units` is the count carried by this datagram, or -1 when unknown (e.g. a
 * data set could not be decoded), in which case the next datagram is not checked.
 *
 * RFC semantics: seq(n) = seq(n-1) + units(n-1). softflowd 1.1.0's IPFIX instead stamps each message
 * with the total *including* its own records (observed: 20, 47, 74, 100 for messages of 20, 27, 27, 26
 * records), i.e. seq(n) = seq(n-1) + units(n). Both are accepted, so neither convention reports false gaps.
 * Arithmetic is modulo 2^32 (wrap-safe). Backward jumps (reordering, exporter restart) count as a gap
 * event but add nothing to `sequenceLost`.
 */
export function trackSequence(d: DomainState, seq: number, units: number, counters: DecoderCounters): void {
  if (d.lastSequence >= 0 && d.lastUnits >= 0 && units >= 0) {
    const expected = (d.lastSequence + d.lastUnits) >>> 0;
    const expectedInclusive = (d.lastSequence + units) >>> 0;
    if (seq !== expected && seq !== expectedInclusive) {
      counters.sequenceGaps++;
      const forward = Math.min((seq - expected) >>> 0, (seq - expectedInclusive) >>> 0);
      if (forward < TWO_31) counters.sequenceLost += forward;
    }
  }
  d.lastSequence = seq;
  d.lastUnits = units;
}
