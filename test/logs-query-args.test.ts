// `vpcflow logs query` arguments: times without a zone are UTC whatever TZ says, and the endpoint may be
// an IPv6 literal or https.
import { createServer, type Server } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { CliUsageError, endpointUrl, parseTimeArg, slsGetLogs } from '../src/cli/logs-query.js';
import { DEV_ACCESS_KEY_ID, DEV_ACCESS_KEY_SECRET } from '../src/products/identity/identity-service.js';
import { startTestServer, type TestServer } from './support/server.js';

describe('parseTimeArg without a zone', () => {
  const savedTz = process.env['TZ'];
  afterEach(() => {
    if (savedTz === undefined) delete process.env['TZ'];
    else process.env['TZ'] = savedTz;
  });

  // Zones far from UTC on both sides, so a local-time reading cannot pass by accident.
  for (const tz of ['UTC', 'Asia/Shanghai', 'America/Los_Angeles']) {
    it(`reads zone-less date-times as UTC (TZ=${tz})`, () => {
      process.env['TZ'] = tz;
      const at = Date.UTC(2026, 0, 2, 3, 4, 5) / 1000;
      expect(parseTimeArg('2026-01-02T03:04:05')).toBe(at);
      expect(parseTimeArg('2026-01-02 03:04:05')).toBe(at);
      expect(parseTimeArg('2026-01-02T03:04')).toBe(at - 5);
      expect(parseTimeArg('2026-01-02 03:04:05.750')).toBe(at);
      expect(parseTimeArg('2026-01-02')).toBe(Date.UTC(2026, 0, 2) / 1000);
      // An explicit zone is still honoured.
      expect(parseTimeArg('2026-01-02T03:04:05Z')).toBe(at);
      expect(parseTimeArg('2026-01-02 03:04:05Z')).toBe(at);
      expect(parseTimeArg('2026-01-02T11:04:05+08:00')).toBe(at);
      expect(parseTimeArg('2026-01-02T11:04:05+0800')).toBe(at);
      expect(parseTimeArg('2026-01-01T22:04:05-05:00')).toBe(at);
    });
  }

  it('still refuses what is not ISO-8601', () => {
    for (const v of [
      '2026-01-02T03',
      '2026-1-2',
      'Jan 2 2026',
      '2026-01-02T03:04:05 Z',
      '2026-13-45T03:04:05',
    ]) {
      expect(() => parseTimeArg(v), v).toThrow(CliUsageError);
    }
  });
});

describe('logs query endpoint', () => {
  let server: TestServer | undefined;
  let raw: Server | undefined;
  beforeEach(() => {
    server = undefined;
    raw = undefined;
  });
  afterEach(async () => {
    await server?.close();
    await new Promise<void>((resolve) => (raw ? raw.close(() => resolve()) : resolve()));
  });

  const call = (endpoint: string) =>
    slsGetLogs({
      endpoint,
      project: 'no-such-project',
      logstore: 'flows/extra',
      accessKeyId: DEV_ACCESS_KEY_ID,
      accessKeySecret: DEV_ACCESS_KEY_SECRET,
      params: { from: '0', to: '1' },
    });

  it('reaches a server on an IPv6 literal ([::1])', async (ctx) => {
    try {
      server = await startTestServer({ host: '::1' });
    } catch {
      ctx.skip(); // no IPv6 loopback on this machine
      return;
    }
    const res = await call(`http://[::1]:${server.port}`);
    // An SLS answer (a signed request for an unknown path): the request got there.
    expect(res.status).toBe(405);
    expect(JSON.parse(res.body)).toMatchObject({ errorCode: 'InvalidMethod' });
  });

  it('speaks TLS to an https endpoint', async () => {
    // A bare TCP server: the first byte a TLS client sends is a handshake record (0x16).
    const firstBytes: number[] = [];
    const listening = createServer((socket) => {
      socket.once('data', (chunk: Buffer) => {
        firstBytes.push(chunk[0] ?? -1);
        socket.destroy();
      });
    });
    raw = listening;
    const port = await new Promise<number>((resolve) =>
      listening.listen(0, '127.0.0.1', () => {
        const address = listening.address();
        resolve(typeof address === 'object' && address ? address.port : 0);
      }),
    );
    const err = (await call(`https://127.0.0.1:${port}`).then(
      () => undefined,
      (e: unknown) => e,
    )) as NodeJS.ErrnoException | undefined;
    expect(err).toBeInstanceOf(Error);
    expect(err?.code).not.toBe('ERR_INVALID_PROTOCOL');
    expect(firstBytes).toEqual([0x16]);
  });

  it('refuses an endpoint that is not an http(s) URL', () => {
    expect(endpointUrl('http://[::1]:8080').hostname).toBe('[::1]');
    expect(endpointUrl('https://example.com').protocol).toBe('https:');
    expect(() => endpointUrl('ftp://127.0.0.1:8080')).toThrow(CliUsageError);
    expect(() => endpointUrl('127.0.0.1:8080')).toThrow(CliUsageError);
    expect(() => endpointUrl('not a url')).toThrow(CliUsageError);
  });
});
