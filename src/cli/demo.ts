/**
 * `vpcflow demo`: records within a minute, with nothing to set up. Starts a server in memory on free
 * ports with examples/seed.yaml and a collector, creates a VPC-wide flow log through the signed RPC API,
 * sends the sample traffic of src/dataplane/sample (through softflowd when installed, else a built-in
 * IPFIX sender), flushes, reads the records back through the SLS API and prints them, then stops.
 */
import { createSocket } from 'node:dgram';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApp } from '../app.js';
import { resolveConfig } from '../config.js';
import { buildPcap } from '../dataplane/sample/pcap-writer.js';
import { sampleIpfixMessages, samplePackets } from '../dataplane/sample/sample-traffic.js';
import { findSoftflowd, replayPcap } from '../dataplane/sample/softflowd.js';
import { DEV_ACCESS_KEY_ID, DEV_ACCESS_KEY_SECRET } from '../products/identity/identity-service.js';
import { v1Sign, v1StringToSign } from '../protocol/signature-v1.js';
import { formatTable, slsGetLogs, tableRows } from './logs-query.js';
import { DEMO, helpText, parseCommand, UsageError } from './options.js';

export const DEMO_SEED = fileURLToPath(new URL('../../examples/seed.yaml', import.meta.url));
const VPC = 'vpc-bp1exampleprod000001';
const PROJECT = 'flowlog-project';
const LOGSTORE = 'flowlog-store';

export async function demoCommand(argv: string[]): Promise<number> {
  const { values } = parseCommand(DEMO, argv, 'vpcflow demo');
  if (values['help']) {
    process.stdout.write(helpText(DEMO));
    return 0;
  }
  const sender = typeof values['sender'] === 'string' ? values['sender'] : 'auto';
  if (!['auto', 'softflowd', 'builtin'].includes(sender)) {
    throw new UsageError(`--sender must be auto, softflowd or builtin, got "${sender}"`, 'vpcflow demo');
  }
  const softflowd = sender === 'builtin' ? undefined : findSoftflowd();
  if (sender === 'softflowd' && softflowd === undefined) {
    throw new UsageError(
      '--sender softflowd: softflowd is not installed (apt-get install softflowd)',
      'vpcflow demo',
    );
  }
  const say = (line: string): boolean => process.stderr.write(`demo: ${line}\n`);

  // The development account of the seed file, whatever VPCFLOW_* variables the shell has.
  const config = {
    ...resolveConfig({}, {}),
    port: 0,
    inMemory: true,
    seedFiles: [DEMO_SEED],
    collectors: ['127.0.0.1:0'],
    transitionMs: 0,
    logLevel: 'warn' as const,
  };
  const app = await createApp(config);
  const dir = mkdtempSync(join(tmpdir(), 'vpcflow-demo-'));
  try {
    const server = await app.listen();
    const dataplane = app.dataplane!;
    const collectorPort = dataplane.bound[0]!.port;
    say(
      `server on ${server.url} (in memory, seed ${DEMO_SEED}), collector on udp 127.0.0.1:${collectorPort}`,
    );

    const created = await rpc(server.url, {
      Action: 'CreateFlowLog',
      RegionId: 'cn-hangzhou',
      ResourceType: 'VPC',
      ResourceId: VPC,
      TrafficType: 'All',
      ProjectName: PROJECT,
      LogStoreName: LOGSTORE,
      FlowLogName: 'demo',
      AggregationInterval: '1',
    });
    say(`CreateFlowLog ${String(created['FlowLogId'])} on ${VPC} -> ${PROJECT}/${LOGSTORE}`);

    const started = Date.now();
    const packets = samplePackets(started);
    const before = dataplane.counters().collector.decoder.records;
    let expectedFlows: number;
    if (softflowd !== undefined) {
      const pcapFile = join(dir, 'sample-traffic.pcap');
      writeFileSync(pcapFile, buildPcap(packets));
      const result = await replayPcap(softflowd, {
        pcapFile,
        host: '127.0.0.1',
        port: collectorPort,
        pidFile: join(dir, 'softflowd.pid'),
      });
      if (result.code !== 0) throw new Error(`softflowd exited with ${result.code}: ${result.stderr.trim()}`);
      expectedFlows = new Set(packets.map((p) => `${p.src}|${p.dst}|${p.sport}|${p.dport}|${p.proto}`)).size;
      say(`softflowd (${softflowd}) replayed ${packets.length} packets as IPFIX`);
    } else {
      const messages = sampleIpfixMessages(packets);
      await sendUdp(messages, collectorPort);
      expectedFlows = new Set(packets.map((p) => `${p.src}|${p.dst}|${p.sport}|${p.dport}|${p.proto}`)).size;
      say(`built-in IPFIX sender: ${packets.length} packets as ${expectedFlows} flows (softflowd not used)`);
    }
    // Wait (bounded) until the collector has decoded them, then close the windows now.
    for (let i = 0; i < 100 && dataplane.counters().collector.decoder.records - before < expectedFlows; i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    const flushed = await dataplane.flush();
    say(`flushed: ${flushed.records} record(s) stored`);

    const res = await slsGetLogs({
      endpoint: server.url,
      project: PROJECT,
      logstore: LOGSTORE,
      accessKeyId: DEV_ACCESS_KEY_ID,
      accessKeySecret: DEV_ACCESS_KEY_SECRET,
      params: {
        from: String(Math.floor(started / 1000) - 600),
        to: String(Math.floor(Date.now() / 1000) + 600),
        query: '*',
        line: '100',
        offset: '0',
        reverse: 'false',
      },
    });
    if (res.status !== 200) throw new Error(`GetLogs answered ${res.status}: ${res.body}`);
    const rows = JSON.parse(res.body) as Record<string, string>[];
    if (values['json']) {
      for (const row of rows) process.stdout.write(`${JSON.stringify(row)}\n`);
    } else {
      const fields = [
        'start',
        'eni-id',
        'direction',
        'srcaddr',
        'srcport',
        'dstaddr',
        'dstport',
        'protocol',
        'packets',
        'bytes',
        'action',
        'log-status',
      ];
      process.stdout.write(formatTable(tableRows(rows, fields, false)));
    }
    say(
      `${rows.length} record(s) read back with GetLogs; done in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    say('next: npm start -- --seed examples/seed.yaml --collector 127.0.0.1:4739 (README "The data plane")');
    return rows.length > 0 ? 0 : 1;
  } finally {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One v1-signed RPC call to the demo's own server (GET, JSON). */
async function rpc(url: string, params: Record<string, string>): Promise<Record<string, unknown>> {
  const all: Record<string, string> = {
    Format: 'JSON',
    Version: '2016-04-28',
    AccessKeyId: DEV_ACCESS_KEY_ID,
    SignatureMethod: 'HMAC-SHA1',
    SignatureVersion: '1.0',
    SignatureNonce: randomUUID(),
    Timestamp: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    ...params,
  };
  all['Signature'] = v1Sign(v1StringToSign('GET', all), DEV_ACCESS_KEY_SECRET);
  const res = await fetch(`${url}/?${new URLSearchParams(all).toString()}`);
  const body = (await res.json()) as Record<string, unknown>;
  if (res.status !== 200)
    throw new Error(`${params['Action']}: ${String(body['Code'])}: ${String(body['Message'])}`);
  return body;
}

function sendUdp(messages: readonly Buffer[], port: number): Promise<void> {
  const sock = createSocket('udp4');
  return new Promise<void>((resolve, reject) => {
    let left = messages.length;
    sock.once('error', reject);
    for (const m of messages) {
      sock.send(m, port, '127.0.0.1', (err) => {
        if (err) reject(err);
        else if (--left === 0) resolve();
      });
    }
  }).finally(() => sock.close());
}
