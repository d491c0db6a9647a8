/** Identifier and credential formats of RAM and STS, random from node:crypto. */
import { createHash, randomBytes, randomInt } from 'node:crypto';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function alnum(n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += ALNUM[randomInt(ALNUM.length)];
  return s;
}

function digits(n: number): string {
  let s = String(1 + randomInt(9));
  for (let i = 1; i < n; i++) s += String(randomInt(10));
  return s;
}

/** RAM user IDs are 16 digits (`2xxxxxxxxxxxxxxx` in the docs' masked samples). */
export const newUserId = (): string => digits(16);
/** Role IDs are 19 digits. */
export const newRoleId = (): string => digits(19);
/** `LTAI5t` + 18, the shape of current AccessKey IDs (24 characters). */
export const newAccessKeyId = (): string => `LTAI5t${alnum(18)}`;
/** AccessKey secrets are 30 characters. */
export const newAccessKeySecret = (): string => alnum(30);
/** STS AccessKey IDs begin `STS.`. */
export const newStsAccessKeyId = (): string => `STS.${alnum(25)}`;
/** Opaque; real tokens are long base64 strings beginning `CAIS`. */
export const newSecurityToken = (): string => `CAIS${randomBytes(180).toString('base64')}`;

/** Tokens are stored as hashes: a database dump does not reveal live session tokens. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** `2026-01-01T00:00:00Z`: RAM and STS timestamps have no milliseconds. */
export function isoSeconds(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}
