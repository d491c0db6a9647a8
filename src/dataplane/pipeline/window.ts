/**
 * Capture windows: `AggregationInterval` minutes, aligned to multiples of the interval since the Unix
 * epoch (UTC). A flow belongs to the window holding its own start time (`startMs`), so a replayed
 * capture lands in its original windows.
 */

export const MINUTE_MS = 60_000;

/** TCP flags that end a connection: FIN and RST. */
const FIN = 1;
const RST = 4;
const TCP = 6;

export function intervalMs(aggregationIntervalMinutes: number): number {
  return Math.max(1, aggregationIntervalMinutes) * MINUTE_MS;
}

/** Start (Unix ms) of the window of `interval` ms that holds `timeMs`. */
export function windowStartOf(timeMs: number, interval: number): number {
  return Math.floor(timeMs / interval) * interval;
}

/**
 * `start` and `end` of a record (Unix seconds, as the SLS VPC flow-log field page defines them,
 * https://www.alibabacloud.com/help/en/sls/vpc): start = the first packet seen in the
 * window; end = the window end while the connection is still open, or its close time when a FIN or RST
 * was seen (never before start, never after the window end).
 */
export function recordTimes(
  firstMs: number,
  lastEndMs: number,
  tcpFlags: number,
  protocol: number,
  windowEndMs: number,
): { start: number; end: number } {
  const start = Math.floor(firstMs / 1000);
  const windowEnd = Math.floor(windowEndMs / 1000);
  const closed = protocol === TCP && (tcpFlags & (FIN | RST)) !== 0;
  if (!closed) return { start, end: windowEnd };
  return { start, end: Math.min(windowEnd, Math.max(start, Math.ceil(lastEndMs / 1000))) };
}
