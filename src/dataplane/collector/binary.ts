// Big-endian integer reads shared by the decoders.

const TWO_32 = 4294967296;

/** Unsigned big-endian integer of 1..8 bytes; 7/8-byte values above 2^53 lose precision (JS numbers). */
export function readUnsigned(buf: Buffer, off: number, len: number): number {
  switch (len) {
    case 1:
      return buf.readUInt8(off);
    case 2:
      return buf.readUInt16BE(off);
    case 4:
      return buf.readUInt32BE(off);
    case 8:
      return buf.readUInt32BE(off) * TWO_32 + buf.readUInt32BE(off + 4);
    case 7:
      return buf.readUIntBE(off, 3) * TWO_32 + buf.readUInt32BE(off + 3);
    default:
      return buf.readUIntBE(off, len); // 3, 5, 6
  }
}
