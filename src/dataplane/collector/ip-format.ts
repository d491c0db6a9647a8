// Address formatting straight from the datagram buffer (no intermediate allocations beyond the string).

// Decimal strings of 0..255 with the dot appended, so IPv4 formatting is 4 lookups and 3 concatenations
// (number-to-string conversion dominated decode time otherwise).
const OCTET = Array.from({ length: 256 }, (_, i) => String(i));
const OCTET_DOT = OCTET.map((s) => `${s}.`);

/** Dotted-quad text of the 4 bytes at `off` (caller guarantees bounds). */
export function formatIPv4(buf: Buffer, off: number): string {
  const w = buf.readUInt32BE(off);
  return (
    (OCTET_DOT[w >>> 24] as string) +
    (OCTET_DOT[(w >>> 16) & 0xff] as string) +
    (OCTET_DOT[(w >>> 8) & 0xff] as string) +
    (OCTET[w & 0xff] as string)
  );
}

/**
 * Canonical RFC 5952 text of the 16 bytes at `off`: lower-case hex, no leading zeros, the longest run
 * (first one on ties) of two or more zero groups compressed to `::`. IPv4-mapped addresses use the
 * mixed form `::ffff:a.b.c.d` (RFC 5952 §5), which is also how Node prints mapped peers.
 */
export function formatIPv6(buf: Buffer, off: number): string {
  let bestStart = -1;
  let bestLen = 0;
  let runStart = -1;
  for (let i = 0; i < 8; i++) {
    if (buf.readUInt16BE(off + i * 2) === 0) {
      if (runStart < 0) runStart = i;
      const len = i - runStart + 1;
      if (len > bestLen) {
        bestLen = len;
        bestStart = runStart;
      }
    } else {
      runStart = -1;
    }
  }
  if (bestStart === 0 && bestLen === 5 && buf.readUInt16BE(off + 10) === 0xffff) {
    return `::ffff:${formatIPv4(buf, off + 12)}`;
  }
  if (bestLen < 2) bestStart = -1; // a single zero group is not compressed (RFC 5952 §4.2.2)
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (i === bestStart) {
      out += i === 0 ? '::' : ':';
      i += bestLen - 1;
      continue;
    }
    out += buf.readUInt16BE(off + i * 2).toString(16);
    if (i < 7) out += ':';
  }
  return out;
}

/** Strip the IPv4-mapped prefix Node reports on dual-stack sockets, so one exporter has one key. */
export function unmapIPv4(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}
