// Sequence-number gap detection per exporter/domain (loss on the UDP path or inside the exporter).
import type { DomainState } from './exporter-registry.js';
import type { DecoderCounters } from './types.js';

const TWO_31 = 2147483648;

/**
 * How long a gap waits for late (reordered) datagrams before its units count as lost for SKIPDATA
 * (collector clock). UDP reordering spans micro- to milliseconds; two seconds is generous.
 */
export const REORDER_TOLERANCE_MS = 2_000;
/** Open gaps remembered per exporter/domain; beyond it the oldest is taken as lost at once. */
const MAX_OPEN_GAPS = 32;

/** Units (records or packets) that a forward jump skipped, waiting for late datagrams. */
export interface SequenceGap {
  /** First missing unit (modulo 2^32). */
  lo: number;
  /** Missing units still unaccounted for. */
  count: number;
  /** When the gap was seen (collector clock). */
  atMs: number;
}

/**
 * Check a datagram's sequence number against the previous one and remember it.
 * Units: IPFIX = data records (RFC 7011 §3.1, options records included), v9 = export packets
 * (RFC 3954 §5.1), v5 = flows. `units` is the count carried by this datagram, or -1 when unknown (e.g. a
 * data set could not be decoded), in which case the next datagram is not checked.
 *
 * RFC semantics: seq(n) = seq(n-1) + units(n-1). softflowd 1.1.0's IPFIX instead stamps each message
 * with the total *including* its own records (observed: 20, 47, 74, 100 for messages of 20, 27, 27, 26
 * records), i.e. seq(n) = seq(n-1) + units(n). Both are accepted, so neither convention reports false gaps.
 * Arithmetic is modulo 2^32 (wrap-safe).
 *
 * A forward jump (ahead of the expected number by less than half the sequence space) is a gap event: its
 * units are added to `sequenceLost` and kept as an open gap. A datagram behind the expected number is a
 * gap event too but never a loss:
 * - if it falls into an open gap it is a reordered (late) datagram: the units it brings are taken off the
 *   gap (`sequenceRecovered`) and the expected number stays where it was (no false gap at the next one);
 * - otherwise it is a duplicate or straggler, and is ignored, unless the next datagram continues from it,
 *   which means the exporter restarted: the sequence is then followed from there.
 * Open gaps become losses for SKIPDATA only after REORDER_TOLERANCE_MS (see `takeConfirmedLosses`).
 */
export function trackSequence(d: DomainState, seq: number, units: number, counters: DecoderCounters): void {
  const nowMs = d.lastSeenMs;
  if (d.lastSequence >= 0 && d.lastUnits >= 0 && units >= 0) {
    const expected = (d.lastSequence + d.lastUnits) >>> 0;
    const expectedInclusive = (d.lastSequence + units) >>> 0;
    if (seq === expected || seq === expectedInclusive) {
      if (expected !== expectedInclusive) d.inclusiveSequence = seq === expectedInclusive;
    } else {
      counters.sequenceGaps++;
      const rfcForward = (seq - expected) >>> 0;
      const inclusiveForward = (seq - expectedInclusive) >>> 0;
      const forward = Math.min(rfcForward, inclusiveForward);
      if (forward < TWO_31) {
        counters.sequenceLost += forward;
        // RFC: the missing units start where the previous datagram's end; inclusive numbering: at its stamp.
        const inclusive = inclusiveForward < rfcForward;
        openGap(d, inclusive ? d.lastSequence : expected, forward, nowMs);
      } else {
        // Behind: a late datagram, a duplicate, or an exporter that restarted.
        const first = d.inclusiveSequence ? (seq - units) >>> 0 : seq;
        const filled = fillGaps(d, first, units);
        if (filled > 0) {
          counters.sequenceRecovered += filled;
          d.resyncSequence = -1;
          return;
        }
        if (!continues(d.resyncSequence, d.resyncUnits, seq, units)) {
          // Not (yet) a restart: remember it, keep following the current sequence.
          d.resyncSequence = seq;
          d.resyncUnits = units;
          return;
        }
      }
    }
  }
  d.resyncSequence = -1;
  d.lastSequence = seq;
  d.lastUnits = units;
}

/** Whether `seq` directly follows a remembered datagram (either numbering convention). */
function continues(prevSeq: number, prevUnits: number, seq: number, units: number): boolean {
  if (prevSeq < 0 || prevUnits < 0) return false;
  return seq === (prevSeq + prevUnits) >>> 0 || seq === (prevSeq + units) >>> 0;
}

function openGap(d: DomainState, lo: number, count: number, nowMs: number): void {
  d.gaps.push({ lo, count, atMs: nowMs });
  while (d.gaps.length > MAX_OPEN_GAPS) d.confirmedLost += d.gaps.shift()!.count;
}

/** Takes the units [first, first + units) off the open gaps; returns how many were missing. */
function fillGaps(d: DomainState, first: number, units: number): number {
  let filled = 0;
  for (let i = 0; i < d.gaps.length; i++) {
    const g = d.gaps[i]!;
    const offset = (first - g.lo) >>> 0;
    if (offset >= g.count) continue;
    const n = Math.min(units, g.count - offset);
    filled += n;
    const tail = g.count - offset - n;
    if (offset === 0) {
      g.lo = (g.lo + n) >>> 0;
      g.count = tail;
    } else {
      g.count = offset;
      if (tail > 0) d.gaps.splice(i + 1, 0, { lo: (first + n) >>> 0, count: tail, atMs: g.atMs });
    }
    if (g.count === 0) d.gaps.splice(i, 1);
    break;
  }
  while (d.gaps.length > MAX_OPEN_GAPS) d.confirmedLost += d.gaps.shift()!.count;
  return filled;
}

/**
 * Units lost for good on this exporter/domain since the last call: gaps older than the reorder tolerance
 * (every open gap when `all`), plus gaps evicted earlier. Resets what it returns.
 */
export function takeConfirmedLosses(d: DomainState, nowMs: number, all: boolean): number {
  let lost = d.confirmedLost;
  d.confirmedLost = 0;
  if (d.gaps.length > 0) {
    const keep: SequenceGap[] = [];
    for (const g of d.gaps) {
      if (all || nowMs - g.atMs >= REORDER_TOLERANCE_MS) lost += g.count;
      else keep.push(g);
    }
    d.gaps = keep;
  }
  return lost;
}
