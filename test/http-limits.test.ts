/**
 * HTTP transport limits over real sockets: slow-header clients are answered 408 and closed within a
 * second or so of `--headers-timeout-ms` (Node alone checks only every 30 s), a slow body within
 * `--request-timeout-ms`, one address cannot hold more than `--max-connections-per-ip` connections,
 * and a keep-alive connection closes after `--max-requests-per-socket` requests.
 */
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/server.js';

interface Conn {
  socket: Socket;
  data: () => string;
  closed: Promise<void>;
}

function open(port: number): Promise<Conn> {
  return new Promise((resolve, reject) => {
    let data = '';
    const socket = connect(port, '127.0.0.1');
    const closed = new Promise<void>((done) => socket.once('close', () => done()));
    socket.on('data', (d: Buffer) => (data += d.toString()));
    socket.on('error', () => undefined);
    socket.once('connect', () => resolve({ socket, data: () => data, closed }));
    socket.once('error', reject);
  });
}

function statusOf(raw: string): number {
  return Number(/^HTTP\/1\.1 (\d{3})/.exec(raw)?.[1] ?? 0);
}

function bodyOf(raw: string): Record<string, unknown> {
  return JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4)) as Record<string, unknown>;
}

describe('slow clients', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      headersTimeoutMs: 1000,
      requestTimeoutMs: 2000,
      maxConnectionsPerIp: 1000,
    });
  });
  afterAll(async () => server.close());

  it('150 sockets sending one header line at a time are answered 408 and closed soon after the timeout', async () => {
    const conns = await Promise.all(Array.from({ length: 150 }, () => open(server.port)));
    for (const c of conns) c.socket.write('GET /_vpcflow/health HTTP/1.1\r\nHost: x\r\n');
    // Keep trickling header lines (every 200 ms) until closed, as a slowloris client does.
    let line = 0;
    const trickle = setInterval(() => {
      line++;
      for (const c of conns) if (!c.socket.destroyed) c.socket.write(`X-Slow-${line}: 1\r\n`);
    }, 200);
    try {
      // Timeout 1 s, checked every 0.5 s: all closed within a few seconds (Node's own check: 30 s).
      const outcome = await Promise.race([
        Promise.all(conns.map((c) => c.closed)).then(() => 'all closed'),
        new Promise((r) => setTimeout(() => r('still open'), 6000)),
      ]);
      expect(outcome).toBe('all closed');
    } finally {
      clearInterval(trickle);
      for (const c of conns) c.socket.destroy();
    }
    for (const c of conns) {
      expect(statusOf(c.data())).toBe(408);
      expect(bodyOf(c.data())).toMatchObject({ Code: 'RequestTimeout' });
    }
    // The server still answers everyone else.
    expect((await fetch(`${server.url}/_vpcflow/health`)).status).toBe(200);
  });

  it('a body that trickles in is cut off at the request timeout with 408', async () => {
    const c = await open(server.port);
    c.socket.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n');
    c.socket.write('Content-Length: 1000\r\n\r\nAction=');
    const trickle = setInterval(() => !c.socket.destroyed && c.socket.write('x'), 200);
    try {
      await Promise.race([c.closed, new Promise((r) => setTimeout(r, 6000))]);
    } finally {
      clearInterval(trickle);
    }
    expect(c.socket.destroyed || c.socket.readableEnded).toBe(true);
    expect(statusOf(c.data())).toBe(408);
    c.socket.destroy();
  });
});

describe('connection caps', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ maxConnectionsPerIp: 5, maxRequestsPerSocket: 3 });
  });
  afterAll(async () => server.close());

  it('refuses a connection over --max-connections-per-ip with 429 Throttling.TooManyConnections', async () => {
    const held = await Promise.all(Array.from({ length: 5 }, () => open(server.port)));
    const extra = await open(server.port);
    extra.socket.write('GET /_vpcflow/health HTTP/1.1\r\nHost: x\r\n\r\n');
    await extra.closed;
    expect(statusOf(extra.data())).toBe(429);
    expect(bodyOf(extra.data())).toMatchObject({ Code: 'Throttling.TooManyConnections' });
    // Once one closes, a new connection is served.
    held[0]!.socket.destroy();
    await held[0]!.closed;
    let served = 0;
    for (let i = 0; i < 20 && served === 0; i++) {
      const again = await open(server.port);
      again.socket.write('GET /_vpcflow/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
      await again.closed;
      if (statusOf(again.data()) === 200) served++;
      else await new Promise((r) => setTimeout(r, 50));
    }
    expect(served).toBe(1);
    for (const c of held) c.socket.destroy();
  });

  it('closes a keep-alive connection after --max-requests-per-socket requests, without a 5xx', async () => {
    const c = await open(server.port);
    const replies: number[] = [];
    for (let i = 0; i < 3; i++) {
      const before = c.data().length;
      c.socket.write('GET /_vpcflow/health HTTP/1.1\r\nHost: x\r\n\r\n');
      while (!/\r\n\r\n[^]*\}$/.test(c.data().slice(before))) await new Promise((r) => setTimeout(r, 10));
      replies.push(statusOf(c.data().slice(before)));
      if (i < 2) expect(c.data().slice(before)).toMatch(/connection: keep-alive/i);
      else expect(c.data().slice(before)).toMatch(/connection: close/i);
    }
    await c.closed;
    expect(replies).toEqual([200, 200, 200]);
  });
});
