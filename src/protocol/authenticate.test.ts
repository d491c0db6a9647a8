import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { authenticate, type AuthOptions } from './authenticate.js';
import { ApiError } from './errors.js';
import { NonceCache } from './nonce-cache.js';
import { parseParams, DEFAULT_LIMITS, type RawRequest } from './request.js';
import { percentEncode } from './encode.js';

const SKEW = 15 * 60_000;

function signedV1(timestamp: string, nonce: string): RawRequest {
  const p: Record<string, string> = {
    Action: 'DescribeRegions',
    Version: '2016-04-28',
    AccessKeyId: 'ak',
    SignatureMethod: 'HMAC-SHA1',
    SignatureVersion: '1.0',
    SignatureNonce: nonce,
    Timestamp: timestamp,
  };
  const canonical = Object.keys(p)
    .sort()
    .map((k) => `${percentEncode(k)}=${percentEncode(p[k]!)}`)
    .join('&');
  p['Signature'] = createHmac('sha1', 'secret&')
    .update(`GET&%2F&${percentEncode(canonical)}`)
    .digest('base64');
  const query = Object.entries(p)
    .map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`)
    .join('&');
  return { method: 'GET', url: `/?${query}`, headers: {}, body: Buffer.alloc(0) };
}

function options(clock: { now: number }): AuthOptions {
  return {
    lookupAccessKey: async (id) =>
      id === 'ak'
        ? { accessKeyId: 'ak', secret: 'secret', accountId: '1', active: true, principalType: 'account' }
        : undefined,
    nonces: new NonceCache(SKEW, 1000),
    skewMs: SKEW,
    now: () => clock.now,
  };
}

async function codeOf(req: RawRequest, opts: AuthOptions): Promise<string> {
  try {
    await authenticate(req, parseParams(req, DEFAULT_LIMITS), opts);
    return 'ok';
  } catch (err) {
    return err instanceof ApiError ? err.code : String(err);
  }
}

describe('authenticate', () => {
  it('refuses a replay of a request dated ahead of the server clock for as long as its timestamp is acceptable', async () => {
    const t0 = Date.UTC(2026, 0, 1);
    const clock = { now: t0 };
    const opts = options(clock);
    // Dated 14 minutes ahead: acceptable from now until 29 minutes from now.
    const req = signedV1(new Date(t0 + 14 * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z'), 'n-ahead');
    expect(await codeOf(req, opts)).toBe('ok');
    clock.now = t0 + 16 * 60_000;
    expect(await codeOf(req, opts)).toBe('SignatureNonceUsed');
    clock.now = t0 + 30 * 60_000;
    expect(await codeOf(req, opts)).toBe('InvalidTimeStamp.Expired');
  });
});
