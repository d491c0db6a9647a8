/**
 * Logs that answer "what happened": one info line per SLS and admin request, a data-plane summary after a
 * flush (received, attributed, why not, delivered), per-flow reasons at debug, and readable text lines.
 */
import { createSocket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../src/app.js';
import { slsGetLogs } from '../src/cli/logs-query.js';
import { sampleIpfixMessages, samplePackets } from '../src/dataplane/sample/sample-traffic.js';
import { createLogger, textLine } from '../src/logger.js';
import { DEV_ACCESS_KEY_ID, DEV_ACCESS_KEY_SECRET } from '../src/products/identity/identity-service.js';
import { testConfig } from './support/server.js';

let app: App | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function start(level: 'info' | 'debug'): Promise<{ url: string; lines: Record<string, unknown>[] }> {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger(level, (l) => lines.push(JSON.parse(l) as Record<string, unknown>), 'json');
  app = await createApp(
    testConfig({ seedFiles: ['examples/seed.yaml'], collectors: ['127.0.0.1:0'], logLevel: level }),
    logger,
  );
  const server = await app.listen();
  return { url: server.url, lines };
}

describe('request and data-plane logs', () => {
  it('logs one info line per SLS and admin request, with status and error code', async () => {
    const { url, lines } = await start('info');
    const call = (logstore: string) =>
      slsGetLogs({
        endpoint: url,
        project: 'flowlog-project',
        logstore,
        accessKeyId: DEV_ACCESS_KEY_ID,
        accessKeySecret: DEV_ACCESS_KEY_SECRET,
        params: { from: '0', to: '1', query: 'eni-id: x' },
      });
    expect((await call('flowlog-store')).status).toBe(200);
    expect((await call('missing-store')).status).toBe(404);
    await fetch(`${url}/_vpcflow/health`);
    await fetch(`${url}/_vpcflow/nothing`);
    const sls = lines.filter((l) => l['msg'] === 'sls request');
    expect(sls).toHaveLength(2);
    expect(sls[0]).toMatchObject({
      level: 'info',
      method: 'GET',
      path: '/logstores/flowlog-store',
      host: 'flowlog-project.localhost',
      status: 200,
      requestId: expect.any(String),
      peer: '127.0.0.1',
    });
    expect(String(sls[0]?.['query'])).toContain('query=eni-id: x');
    expect(sls[1]).toMatchObject({ status: 404, code: 'LogStoreNotExist' });
    const admin = lines.filter((l) => l['msg'] === 'admin request');
    expect(admin.map((l) => [l['path'], l['status'], l['code']])).toEqual([
      ['/_vpcflow/health', 200, undefined],
      ['/_vpcflow/nothing', 404, 'NotFound'],
    ]);
  });

  it('summarises each flush at info and gives per-flow reasons at debug', async () => {
    const { lines } = await start('debug');
    const dataplane = app!.dataplane!;
    // No flow log yet: every sample flow is on an ENI without an Active flow log; one more matches no ENI.
    const packets = [
      ...samplePackets(Date.now()),
      {
        tsMs: Date.now(),
        src: '192.0.2.1',
        dst: '192.0.2.2',
        proto: 'udp' as const,
        sport: 1,
        dport: 2,
        payloadLength: 10,
      },
    ];
    const sock = createSocket('udp4');
    for (const m of sampleIpfixMessages(packets)) {
      await new Promise<void>((resolve, reject) =>
        sock.send(m, dataplane.bound[0]!.port, '127.0.0.1', (err) => (err ? reject(err) : resolve())),
      );
    }
    sock.close();
    for (let i = 0; i < 100 && dataplane.counters().pipeline.flows < 13; i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    await dataplane.flush();
    const summary = lines.find((l) => l['msg'] === 'data plane summary');
    expect(summary).toMatchObject({
      level: 'info',
      reason: 'flush',
      received: { datagrams: 1, flows: 13 },
      attributed: 12,
      notRecorded: { noEni: 1, ambiguous: 0, noActiveFlowLog: 16, trafficType: 0, dropped: 0 },
      records: { emitted: 0 },
      delivered: 0,
      failed: 0,
    });
    const debug = lines.filter((l) => l['level'] === 'debug').map((l) => l['msg']);
    expect(debug).toContain('flow not attributed: unattributed');
    expect(debug).toContain('flow on an ENI without an Active flow log');
    expect(lines.find((l) => l['msg'] === 'flow not attributed: unattributed')).toMatchObject({
      src: '192.0.2.1:1',
      dst: '192.0.2.2:2',
      protocol: 17,
    });
    // Nothing moved since: a second flush writes no summary.
    const before = lines.length;
    await dataplane.flush();
    expect(lines.slice(before).filter((l) => l['msg'] === 'data plane summary')).toHaveLength(0);
  });

  it('writes readable text lines (the default on a terminal) and JSON otherwise', () => {
    expect(
      textLine('2026-01-02T03:04:05.000Z', 'info', 'request', {
        action: 'DescribeVpcs',
        ms: 1.5,
        note: 'a b',
      }),
    ).toBe('2026-01-02T03:04:05.000Z INFO  request action=DescribeVpcs ms=1.5 note="a b"\n');
    const out: string[] = [];
    createLogger('info', (l) => out.push(l), 'text').warn('careful', { port: 8080 });
    expect(out[0]).toMatch(/^\S+Z WARN {2}careful port=8080\n$/);
    createLogger('info', (l) => out.push(l), 'json').info('x', { a: 1 });
    expect(JSON.parse(out[1]!)).toMatchObject({ level: 'info', msg: 'x', a: 1 });
  });
});
