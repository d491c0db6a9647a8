/**
 * Resource IDs and MAC addresses in the shapes the real services hand out: `vpc-` + the region's
 * 3-character prefix (`bp1` in cn-hangzhou) + 18 lower-case alphanumerics, e.g. `vpc-bp1q2w3e4r5t6y7u8i9o`.
 */
import { randomBytes } from 'node:crypto';
import { findRegion } from '../regions/region-catalog.js';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

function randomChars(n: number): string {
  // 252 is the largest multiple of 36 below 256: rejecting bytes above it keeps the draw uniform.
  let out = '';
  while (out.length < n) {
    for (const byte of randomBytes(n * 2)) {
      if (byte < 252 && out.length < n) out += ALPHABET[byte % 36];
    }
  }
  return out;
}

/** A new ID such as `vpc-bp1...`, `vsw-bp1...`, `sg-bp1...`, `eni-bp1...`, `fl-bp1...`. */
export function newResourceId(prefix: string, regionId: string): string {
  const region = findRegion(regionId);
  if (!region) throw new Error(`unknown region ${regionId}`);
  return `${prefix}-${region.idPrefix}${randomChars(18)}`;
}

/**
 * The VRouter and route table that come with a VPC. vpcflow does not model them; their IDs are derived
 * from the VPC ID so that they stay the same on every read without being stored.
 */
export function vRouterIdOf(vpcId: string): string {
  return `vrt-${vpcId.slice(vpcId.indexOf('-') + 1)}`;
}

export function routeTableIdOf(vpcId: string): string {
  return `vtb-${vpcId.slice(vpcId.indexOf('-') + 1)}`;
}

/** A MAC address in Alibaba Cloud's OUI, `00:16:3e:xx:xx:xx`. */
export function newMacAddress(): string {
  const tail = [...randomBytes(3)].map((b) => b.toString(16).padStart(2, '0'));
  return ['00', '16', '3e', ...tail].join(':');
}

/** `YYYY-MM-DDThh:mm:ssZ`, the timestamp format of CreationTime fields. */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
