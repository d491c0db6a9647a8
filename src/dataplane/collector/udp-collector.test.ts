import { createSocket, type Socket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { DecodedFlow } from './types.js';
import { UdpCollector } from './udp-collector.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), '../../../test/fixtures/flows');
const MIXED = readFileSync(join(dir, 'ipfix-mixed-0.bin')); // 8 flows, templates included
const V5 = readFileSync(join(dir, 'v5-mixed-0.bin')); // 6 flows

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function client(): Promise<Socket> {
  const s = createSocket('udp4');
  cleanups.push(() => new Promise<void>((r) => s.close(() => r())));
  return s;
}

function send(s: Socket, msg: Buffer, port: number, host = '127.0.0.1'): Promise<void> {
  return new Promise((resolve, reject) => s.send(msg, port, host, (err) => (err ? reject(err) : resolve())));
}

async function until(cond: () => boolean, what: string, timeoutMs = 2000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('UdpCollector', () => {
  it('receives datagrams on an ephemeral loopback port and delivers decoded flows in batches', async () => {
    const got: DecodedFlow[][] = [];
    const errors: Error[] = [];
    const col = new UdpCollector({
      listen: [
        { host: '127.0.0.1', port: 0 },
        { host: '127.0.0.1', port: 0 },
      ],
      onFlows: (flows) => {
        got.push(flows);
      },
      onError: (e) => errors.push(e),
    });
    const bound = await col.start();
    cleanups.push(() => col.stop());
    expect(bound).toHaveLength(2);
    expect(bound[0]).toMatchObject({ address: '127.0.0.1', family: 'IPv4' });
    expect(bound[0]?.port).toBeGreaterThan(0);
    expect(bound[1]?.port).not.toBe(bound[0]?.port);
    expect(bound[0]?.recvBufferSize).toBeGreaterThan(0);

    const c = await client();
    await send(c, MIXED, bound[0]?.port ?? 0);
    await send(c, V5, bound[1]?.port ?? 0);
    await send(c, Buffer.from('not a flow packet'), bound[0]?.port ?? 0);
    await until(() => col.counters().flowsDelivered === 14 && col.counters().datagrams === 3, '14 flows');
    const flows = got.flat();
    expect(flows.filter((f) => f.netflowVersion === 10)).toHaveLength(8);
    expect(flows.filter((f) => f.netflowVersion === 5)).toHaveLength(6);
    expect(flows[0]?.exporterAddress).toBe('127.0.0.1');
    expect(flows[0]?.exporterPort).toBe(c.address().port);
    expect(col.counters()).toMatchObject({
      datagrams: 3,
      bytes: MIXED.length + V5.length + 17,
      droppedOverload: 0,
      queued: 0,
      decoder: { packets: 3, records: 14, malformed: 1 },
    });
    expect(errors).toEqual([]);
  });

  it('drops and counts records while the consumer is busy and the queue is full', async () => {
    const batches: number[] = [];
    let release: () => void = () => undefined;
    const col = new UdpCollector({
      listen: { host: '127.0.0.1', port: 0 },
      maxQueuedRecords: 5,
      onFlows: (flows) => {
        batches.push(flows.length);
        return new Promise<void>((r) => (release = r));
      },
    });
    const [b] = await col.start();
    cleanups.push(() => col.stop());
    const c = await client();
    await send(c, MIXED, b?.port ?? 0);
    await until(() => batches.length === 1, 'first batch');
    for (let i = 0; i < 3; i++) await send(c, MIXED, b?.port ?? 0);
    await until(() => col.counters().datagrams === 4, '4 datagrams');
    expect(col.counters()).toMatchObject({ droppedOverload: 3 * 8 - 5, queued: 5, flowsDelivered: 8 });
    release();
    await until(() => batches.length === 2, 'second batch');
    expect(batches).toEqual([8, 5]);
    release();
    await until(() => col.counters().queued === 0, 'drain');
    expect(col.counters()).toMatchObject({ flowsDelivered: 13, droppedOverload: 19, batches: 2 });
  });

  it('reports consumer errors without stopping delivery', async () => {
    const errors: string[] = [];
    let calls = 0;
    const col = new UdpCollector({
      listen: { host: '127.0.0.1', port: 0 },
      onFlows: () => {
        calls++;
        if (calls === 1) throw new Error('sync boom');
        if (calls === 2) return Promise.reject(new Error('async boom'));
      },
      onError: (e) => errors.push(e.message),
    });
    const [b] = await col.start();
    cleanups.push(() => col.stop());
    const c = await client();
    for (let i = 0; i < 3; i++) {
      await send(c, MIXED, b?.port ?? 0);
      await until(() => calls === i + 1, `call ${i + 1}`);
    }
    await until(() => errors.length === 2, 'errors');
    expect(errors).toEqual(['sync boom', 'async boom']);
    expect(col.counters()).toMatchObject({ consumerErrors: 2, flowsDelivered: 24 });
  });

  it('delivers what is still queued on stop()', async () => {
    const got: number[] = [];
    const col = new UdpCollector({
      listen: { host: '127.0.0.1', port: 0 },
      onFlows: async (flows) => {
        await new Promise((r) => setTimeout(r, 20));
        got.push(flows.length);
      },
    });
    const [b] = await col.start();
    const c = await client();
    await send(c, MIXED, b?.port ?? 0);
    await until(() => col.counters().datagrams === 1, 'datagram');
    await col.stop();
    expect(got).toEqual([8]);
  });

  it('drain() resolves once every flow received has been taken by the consumer, across many batches', async () => {
    let taken = 0;
    const col = new UdpCollector({
      listen: { host: '127.0.0.1', port: 0 },
      maxBatchRecords: 8,
      onFlows: async (flows) => {
        await Promise.resolve();
        taken += flows.length;
      },
    });
    const [b] = await col.start();
    cleanups.push(() => col.stop());
    const c = await client();
    for (let i = 0; i < 40; i++) await send(c, MIXED, b?.port ?? 0);
    await until(() => col.counters().datagrams === 40, '40 datagrams');
    await col.drain(); // 40 batches of 8, one per event-loop turn
    expect(taken).toBe(320);
    expect(col.counters()).toMatchObject({ queued: 0, flowsDelivered: 320, droppedOverload: 0 });
  });

  it('rejects start() when a port is taken', async () => {
    const first = new UdpCollector({ listen: { host: '127.0.0.1', port: 0 }, onFlows: () => undefined });
    const [b] = await first.start();
    cleanups.push(() => first.stop());
    const second = new UdpCollector({
      listen: { host: '127.0.0.1', port: b?.port ?? 0 },
      onFlows: () => undefined,
    });
    await expect(second.start()).rejects.toThrow(/EADDRINUSE/);
  });

  it('binds IPv6 loopback when available', async (ctx) => {
    const col = new UdpCollector({ listen: { host: '::1', port: 0 }, onFlows: () => undefined });
    let bound;
    try {
      bound = await col.start();
    } catch {
      ctx.skip(); // no IPv6 on this host
      return;
    }
    cleanups.push(() => col.stop());
    expect(bound[0]).toMatchObject({ address: '::1', family: 'IPv6' });
    const s = createSocket('udp6');
    cleanups.push(() => new Promise<void>((r) => s.close(() => r())));
    await send(s, MIXED, bound[0]?.port ?? 0, '::1');
    await until(() => col.counters().decoder.records === 8, 'flows over IPv6');
  });
});
