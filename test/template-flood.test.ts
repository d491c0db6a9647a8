/**
 * The template flood of the tenant-safety issue, over real UDP against a server with a `--data` store:
 * datagrams of 150 templates of 100 fields, each under a new observation domain, from one source. The
 * collector keeps within its limits (templates per exporter, field budget, domains per exporter),
 * counts what it evicted, persists a bounded number of template rows, and a normal exporter's flows
 * sent meanwhile (from another address) still become records.
 */
import { randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEFAULT_COLLECTOR_LIMITS } from '../src/dataplane/collector/index.js';
import {
  basicFlowRecord,
  basicFlowTemplate,
  dataSet,
  ipfixMessage,
  ipfixTemplateSet,
} from '../src/dataplane/collector/message-builder.js';
import { DEV_ACCOUNT_ID } from '../src/products/identity/identity-service.js';
import { startTestServer, tempDir, type TestServer } from './support/server.js';
import { insertEni, insertNetwork } from './support/world.js';

const FLOOD_DATAGRAMS = 300;
const TEMPLATES_PER_DATAGRAM = 150;
const FIELDS_PER_TEMPLATE = 100;
const ENI_IP = '10.93.0.10';
const PEER_IP = '10.93.0.20';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ collectors: ['127.0.0.1:0'], inMemory: false, dataDir: tempDir() });
});
afterAll(async () => server.close());

const FLOOD = ipfixMessage({ exportTime: Math.floor(Date.now() / 1000), sequence: 0, domain: 0 }, [
  ipfixTemplateSet(
    Array.from({ length: TEMPLATES_PER_DATAGRAM }, (_, i) => ({
      id: 256 + i,
      fields: Array.from({ length: FIELDS_PER_TEMPLATE }, (_, k) => ({ id: 1 + (k % 120), length: 4 })),
    })),
  ),
]);

/** The flood datagram under another observation domain (IPFIX header bytes 12-15). */
function floodDatagram(domain: number): Buffer {
  const buf = Buffer.from(FLOOD);
  buf.writeUInt32BE(domain, 12);
  return buf;
}

function normalDatagram(sequence: number, startMs: number): Buffer {
  return ipfixMessage({ exportTime: Math.floor(startMs / 1000), sequence, domain: 7 }, [
    basicFlowTemplate(300),
    dataSet(300, [
      basicFlowRecord({
        src: ENI_IP,
        dst: PEER_IP,
        sport: 40000 + sequence,
        dport: 443,
        protocol: 6,
        packets: 3,
        bytes: 300,
        startMs,
        endMs: startMs + 50,
      }),
    ]),
  ]);
}

function bound(address: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = createSocket('udp4');
    s.once('error', reject);
    s.bind(0, address, () => resolve(s));
  });
}

const send = (s: Socket, buf: Buffer, port: number): Promise<void> =>
  new Promise((resolve, reject) => s.send(buf, port, '127.0.0.1', (err) => (err ? reject(err) : resolve())));

it('a template flood stays within the collector limits while a normal exporter’s flows become records', async () => {
  const net = await insertNetwork(server.app, { vpcCidr: '10.93.0.0/16', vswitchCidr: '10.93.0.0/24' });
  const eni = await insertEni(server.app, net, ENI_IP);
  const project = `flood-${randomBytes(3).toString('hex')}`;
  const logs = server.app.store.repos.logs;
  const now = Date.now();
  await logs.insertProject({
    region_id: 'cn-hangzhou',
    project_name: project,
    account_id: DEV_ACCOUNT_ID,
    description: '',
    created_at: now,
    updated_at: now,
  });
  await logs.insertLogstore({
    region_id: 'cn-hangzhou',
    project_name: project,
    logstore_name: 'flows',
    ttl_days: 30,
    shard_count: 2,
    created_at: now,
    updated_at: now,
  });
  await server.app.services.flowLogs.create(
    { accountId: DEV_ACCOUNT_ID, regionId: 'cn-hangzhou' },
    {
      resourceType: 'NetworkInterface',
      resourceId: eni,
      trafficType: 'All',
      projectName: project,
      logstoreName: 'flows',
      aggregationInterval: 1,
      trafficPath: [],
      tags: [],
    },
  );

  const dp = server.app.dataplane!;
  const port = dp.bound[0]!.port;
  const attacker = await bound('127.0.0.2');
  const normal = await bound('127.0.0.3');
  const before = dp.counters().collector.datagrams;
  const NORMAL = 30;
  const flowStart = Date.now() - 120_000;
  try {
    for (let i = 0; i < FLOOD_DATAGRAMS; i++) {
      await send(attacker, floodDatagram(1000 + i), port);
      if (i % 10 === 0) await send(normal, normalDatagram(i / 10, flowStart + i), port);
      // Let the collector read (a real flood is paced by the network too; the socket buffer is finite).
      if (i % 20 === 19) await new Promise((r) => setTimeout(r, 5));
    }
  } finally {
    attacker.close();
    normal.close();
  }
  for (let i = 0; i < 500 && dp.counters().collector.datagrams - before < FLOOD_DATAGRAMS + NORMAL; i++) {
    await new Promise((r) => setTimeout(r, 20));
  }
  const decoder = dp.collector.decoder;
  const limits = DEFAULT_COLLECTOR_LIMITS;
  // Within the bounds (45,000 templates and 300 domains were offered), with the evictions counted.
  expect(decoder.templateCount()).toBeLessThanOrEqual(limits.maxTemplatesPerExporter + 1);
  expect(decoder.templateFieldCount()).toBeLessThanOrEqual(limits.maxTemplateFields);
  expect(decoder.domainCount()).toBeLessThanOrEqual(limits.maxDomainsPerExporter + 1);
  const counters = decoder.counters;
  expect(counters.templatesEvicted + counters.templatesRefused).toBeGreaterThan(0);
  expect(counters.domainsEvicted).toBeGreaterThan(0);
  const metrics = await (await fetch(`${server.url}/_vpcflow/metrics`)).text();
  expect(metrics).toMatch(/vpcflow_collector_templates_evicted_total [1-9]/);
  expect(metrics).toMatch(/vpcflow_collector_domains_evicted_total [1-9]/);

  // The normal exporter's flows all became records.
  const flushed = await fetch(`${server.url}/_vpcflow/flush`, { method: 'POST' });
  expect(flushed.status).toBe(200);
  expect(((await flushed.json()) as { records: number }).records).toBeGreaterThanOrEqual(1);
  expect(dp.counters().pipeline.attributed).toBe(NORMAL);

  // Persistence writes at most the templates held (not a rewrite per change).
  await server.app.close();
  const reopened = await startTestServer({
    collectors: ['127.0.0.1:0'],
    inMemory: false,
    dataDir: server.app.config.dataDir,
  });
  try {
    const rows = await reopened.app.store.db.get<{ n: number }>(
      'SELECT COUNT(*) AS n FROM collector_templates',
    );
    expect(rows?.n).toBeLessThanOrEqual(limits.maxTemplatesPerExporter + 1);
    expect(reopened.app.dataplane!.collector.decoder.templateCount()).toBe(rows?.n);
  } finally {
    await reopened.close();
    server = { ...server, close: async () => undefined };
  }
});
