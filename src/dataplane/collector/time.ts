// Timestamp conversions to Unix epoch milliseconds.

const TWO_32 = 4294967296;
const TWO_31 = 2147483648;
/** Seconds between the NTP epoch (1900-01-01) and the Unix epoch (1970-01-01). */
const NTP_UNIX_OFFSET_S = 2208988800;

/**
 * 64-bit NTP timestamp (RFC 7011 §6.1.9/6.1.10: dateTimeMicroseconds/Nanoseconds) to Unix ms.
 * Era handling: seconds below 2^31 (i.e. before 1968 in era 0) are taken as era 1 (after Feb 2036).
 */
export function ntpToMs(buf: Buffer, off: number): number {
  let sec = buf.readUInt32BE(off);
  const frac = buf.readUInt32BE(off + 4);
  if (sec < TWO_31) sec += TWO_32;
  // Round the binary fraction to whole microseconds first (an exact ms value is not representable in
  // 2^-32 s units), then floor to ms.
  const us = Math.round((frac * 1e6) / TWO_32);
  return (sec - NTP_UNIX_OFFSET_S) * 1000 + Math.floor(us / 1000);
}

/**
 * Convert a 32-bit sysUpTime-relative timestamp (ms since exporter boot, wraps every ~49.7 days) to
 * Unix ms, given the export time and the exporter's uptime at export. The difference is taken modulo 2^32
 * as a signed value, so a flow that started before an uptime wrap still lands before the export time.
 */
export function sysUpTimeToMs(ts: number, exportMs: number, uptimeAtExportMs: number): number {
  let diff = (uptimeAtExportMs - ts) % TWO_32;
  if (diff < 0) diff += TWO_32;
  if (diff >= TWO_31) diff -= TWO_32;
  return exportMs - diff;
}
