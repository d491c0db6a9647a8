/** IPv4 and CIDR arithmetic for VPCs, vSwitches and ENI addresses (numbers are unsigned 32-bit). */

export interface Cidr {
  /** The network address. */
  readonly base: number;
  readonly mask: number;
  /** Number of addresses in the block. */
  readonly size: number;
}

/** Parses a dotted-quad address; undefined if malformed (no leading zeros, each part 0-255). */
export function parseIpv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^(0|[1-9]\d{0,2})$/.test(part)) return undefined;
    const n = Number(part);
    if (n > 255) return undefined;
    value = value * 256 + n;
  }
  return value;
}

export function formatIpv4(value: number): string {
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');
}

/**
 * Parses `a.b.c.d/m`. The address must be the block's network address (`10.0.0.1/16` is refused, as
 * the real API does rather than silently rounding it down).
 */
export function parseCidr(text: string): Cidr | undefined {
  const m = /^([0-9.]+)\/(\d{1,2})$/.exec(text);
  if (!m) return undefined;
  const base = parseIpv4(m[1] ?? '');
  const mask = Number(m[2]);
  if (base === undefined || mask > 32) return undefined;
  const size = 2 ** (32 - mask);
  if (base % size !== 0) return undefined;
  return { base, mask, size };
}

export function formatCidr(cidr: Cidr): string {
  return `${formatIpv4(cidr.base)}/${cidr.mask}`;
}

/** Whether `inner` lies entirely inside `outer` (equal blocks count). */
export function cidrContains(outer: Cidr, inner: Cidr): boolean {
  return inner.base >= outer.base && inner.base + inner.size <= outer.base + outer.size;
}

export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  return a.base < b.base + b.size && b.base < a.base + a.size;
}

export function ipInCidr(ip: number, cidr: Cidr): boolean {
  return ip >= cidr.base && ip < cidr.base + cidr.size;
}

/** The RFC 1918 blocks a VPC's CIDR must lie in. */
export const PRIVATE_BLOCKS: readonly Cidr[] = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'].map(
  (c) => parseCidr(c) as Cidr,
);

/**
 * vSwitch addresses a resource may use: the first address and the last three of every vSwitch CIDR
 * block are reserved (CreateVSwitch docs: for 192.168.1.0/24, .0, .253, .254 and .255).
 */
export function usableRange(cidr: Cidr): { first: number; last: number; count: number } {
  const first = cidr.base + 1;
  const last = cidr.base + cidr.size - 4;
  return { first, last, count: Math.max(0, last - first + 1) };
}

export function isUsableAddress(ip: number, cidr: Cidr): boolean {
  const { first, last } = usableRange(cidr);
  return ip >= first && ip <= last;
}
