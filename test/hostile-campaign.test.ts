/**
 * The hostile-input campaign (fixed seed, bounded count): at least 100,000 hostile HTTP requests
 * (test/campaign/requests.ts) and 100,000 hostile datagrams (test/campaign/datagrams.ts) against one
 * server, concurrently. Passes when no reply is a 5xx, every refusal is a well-formed error envelope
 * with a code from the error catalogs, the event-loop delay never exceeds 200 ms, RSS stays under
 * RSS_BOUND_MB, and a dump of the database is identical before and after.
 *
 * CAMPAIGN_REQUESTS / CAMPAIGN_DATAGRAMS / CAMPAIGN_SEED override the counts and the seed.
 */
import { createSocket } from 'node:dgram';
import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEV_ACCOUNT_ID } from '../src/products/identity/identity-service.js';
import { isCatalogedRpcCode, isCatalogedSlsCode } from './campaign/catalog.js';
import { nextDatagram } from './campaign/datagrams.js';
import { watchLoopDelay } from './campaign/loop-delay.js';
import { rng } from './campaign/prng.js';
import { nextRequests, type CampaignContext, type CampaignRequest } from './campaign/requests.js';
import { startTestServer, type TestServer } from './support/server.js';

const SEED = Number(process.env['CAMPAIGN_SEED'] ?? 20261202);
const REQUESTS = Number(process.env['CAMPAIGN_REQUESTS'] ?? 100_000);
const DATAGRAMS = Number(process.env['CAMPAIGN_DATAGRAMS'] ?? 100_000);
const CONCURRENCY = 8;
const MAX_LOOP_DELAY_MS = 200;
const RSS_BOUND_MB = 1024;
/** Raw, not-HTTP-at-all writes among the requests (each its own connection). */
const RAW_EVERY = 500;

let server: TestServer;
const ctx: CampaignContext = { project: 'campaign-proj', logstore: 'campaign-store' };

beforeAll(async () => {
  // Flow control off, so validly signed reads really run (throttling is tested on its own).
  server = await startTestServer({ collectors: ['127.0.0.1:0'], throttleRps: 0, maxConnectionsPerIp: 4096 });
  const logs = server.app.store.repos.logs;
  const now = Date.now();
  await logs.insertProject({
    region_id: 'cn-hangzhou',
    project_name: ctx.project,
    account_id: DEV_ACCOUNT_ID,
    description: '',
    created_at: now,
    updated_at: now,
  });
  await logs.insertLogstore({
    region_id: 'cn-hangzhou',
    project_name: ctx.project,
    logstore_name: ctx.logstore,
    ttl_days: 30,
    shard_count: 2,
    created_at: now,
    updated_at: now,
  });
});
afterAll(async () => server.close());

/** Every table but the collector's template cache, rows in a stable order. */
async function dump(): Promise<string> {
  const db = server.app.store.db;
  const tables = await db.all<{ name: string }>(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'collector_templates' ORDER BY name",
  );
  const out: Record<string, unknown[]> = {};
  for (const { name } of tables) out[name] = await db.all(`SELECT * FROM "${name}" ORDER BY 1`);
  return JSON.stringify(out);
}

interface Reply {
  status: number;
  body: string;
  contentType: string;
}

function send(agent: Agent, req: CampaignRequest): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const r = request(
      {
        host: '127.0.0.1',
        port: server.port,
        method: req.method,
        path: req.url,
        agent,
        // Node's client refuses control and non-Latin-1 characters in header values.
        headers: {
          ...Object.fromEntries(
            Object.entries(req.headers).map(([k, v]) => [k, v.replace(/[^\x20-\x7e]/g, '?')]),
          ),
          ...(req.body !== undefined ? { 'content-length': String(Buffer.byteLength(req.body)) } : {}),
        },
        insecureHTTPParser: true,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            contentType: String(res.headers['content-type'] ?? ''),
          }),
        );
        res.on('error', reject);
      },
    );
    r.on('error', reject);
    if (req.body !== undefined) r.write(req.body);
    r.end();
  });
}

function sendRaw(bytes: Buffer): Promise<Reply> {
  return new Promise((resolve) => {
    const socket = connect(server.port, '127.0.0.1', () => socket.end(bytes));
    let data = '';
    socket.on('data', (d: Buffer) => (data += d.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      const [head = '', body = ''] = data.split('\r\n\r\n');
      resolve({
        status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0),
        body,
        contentType: /content-type: ([^\r\n]+)/i.exec(head)?.[1] ?? '',
      });
    });
  });
}

/** The problem with a reply, or undefined when it is acceptable. */
function judge(req: CampaignRequest, reply: Reply): string | undefined {
  if (reply.status >= 500) return `status ${reply.status}`;
  if (reply.status === 0) return 'no reply';
  const ok = reply.status >= 200 && reply.status < 300;
  if (ok) return req.mayPass && !req.expectCode ? undefined : `accepted (${reply.status})`;
  let code: string | undefined;
  if (reply.contentType.includes('xml')) {
    code = /<Code>([^<]*)<\/Code>/.exec(reply.body)?.[1];
    if (!/<RequestId>[^<]+<\/RequestId>/.test(reply.body)) return 'XML envelope without RequestId';
  } else {
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(reply.body) as Record<string, unknown>;
    } catch {
      return `not JSON: ${reply.body.slice(0, 80)}`;
    }
    if (req.api === 'sls' && typeof body['errorCode'] === 'string') {
      if (typeof body['errorMessage'] !== 'string') return 'SLS envelope without errorMessage';
      return isCatalogedSlsCode(body['errorCode']) ? undefined : `uncatalogued SLS code ${body['errorCode']}`;
    }
    code = typeof body['Code'] === 'string' ? body['Code'] : undefined;
    if (typeof body['RequestId'] !== 'string' || typeof body['Message'] !== 'string')
      return 'RPC envelope incomplete';
  }
  if (code === undefined) return 'no error code';
  if (req.expectCode !== undefined && code !== req.expectCode)
    return `expected ${req.expectCode}, got ${code}`;
  return isCatalogedRpcCode(code) ? undefined : `uncatalogued RPC code ${code}`;
}

it(
  `survives ${REQUESTS} hostile requests and ${DATAGRAMS} hostile datagrams (seed ${SEED})`,
  async () => {
    const before = await dump();
    const loop = watchLoopDelay();
    let maxRssMb = process.memoryUsage.rss() / 1048576;
    const rssTimer = setInterval(() => {
      maxRssMb = Math.max(maxRssMb, process.memoryUsage.rss() / 1048576);
    }, 250);
    const findings = new Map<string, { count: number; example: string }>();
    const note = (what: string, example: string): void => {
      const f = findings.get(what);
      if (f) f.count++;
      else findings.set(what, { count: 1, example });
    };
    const byGenerator = new Map<string, number>();
    const started = Date.now();

    // HTTP: CONCURRENCY workers draw request groups from one seeded generator.
    const r = rng(SEED);
    let sent = 0;
    const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    const worker = async (): Promise<void> => {
      while (sent < REQUESTS) {
        if (sent % RAW_EVERY === 0) {
          sent++;
          const raw = Buffer.from(Array.from({ length: 1 + r.int(300) }, () => r.int(256)));
          const reply = await sendRaw(
            Buffer.concat([Buffer.from(r.pick(['GARBAGE ', 'GET /\r\n', '\r\n\r\n', ''])), raw]),
          );
          if (reply.status >= 500) note(`raw: status ${reply.status}`, raw.toString('hex').slice(0, 60));
          continue;
        }
        const { name, requests } = nextRequests(r, ctx);
        byGenerator.set(name, (byGenerator.get(name) ?? 0) + requests.length);
        for (const req of requests) {
          sent++;
          let reply: Reply;
          try {
            reply = await send(agent, req);
          } catch (err) {
            // The server may close a connection after an error reply (e.g. a body it did not read).
            reply = await send(agent, req).catch(() => ({ status: 0, body: String(err), contentType: '' }));
          }
          const problem = judge(req, reply);
          if (problem)
            note(
              `${name}: ${problem.replace(/\d{6,}/g, 'N')}`,
              `${req.method} ${req.url.slice(0, 120)} -> ${reply.status} ${reply.body.slice(0, 200)}`,
            );
        }
      }
    };

    // UDP: one socket, paced by what the collector has read (at most IN_FLIGHT_BYTES unread), so that
    // the kernel's socket buffer is not the thing being tested, also on a slow or starved machine.
    const d = rng(SEED ^ 0x5a5a5a5a);
    const collector = server.app.dataplane!;
    const datagramsBefore = collector.counters().collector.datagrams;
    const bytesBefore = collector.counters().collector.bytes;
    const IN_FLIGHT_BYTES = 96 * 1024;
    const udp = async (): Promise<void> => {
      const socket = createSocket('udp4');
      const port = collector.bound[0]!.port;
      let sentBytes = 0;
      for (let i = 0; i < DATAGRAMS; i++) {
        const buf = nextDatagram(d);
        for (let wait = 0; wait < 400; wait++) {
          if (
            sentBytes - (collector.counters().collector.bytes - bytesBefore) + buf.length <=
            IN_FLIGHT_BYTES
          )
            break;
          await new Promise((res) => setTimeout(res, 5));
        }
        await new Promise<void>((resolve) => socket.send(buf, port, '127.0.0.1', () => resolve()));
        sentBytes += buf.length;
      }
      socket.close();
    };

    await Promise.all([...Array.from({ length: CONCURRENCY }, worker), udp()]);
    agent.destroy();
    for (let i = 0; i < 200 && collector.counters().collector.datagrams - datagramsBefore < DATAGRAMS; i++) {
      await new Promise((res) => setTimeout(res, 25));
    }
    clearInterval(rssTimer);
    const delay = loop.stop();
    // On an oversubscribed machine (load above the core count) only the delay this process caused
    // itself is meaningful; on a dedicated one (CI) the raw maximum is what must stay under the bound.
    const oversubscribed = loadavg()[0]! > cpus().length;
    const maxDelayMs = oversubscribed ? delay.ownMaxMs : delay.maxMs;
    const received = collector.counters().collector.datagrams - datagramsBefore;
    const decoder = collector.collector.decoder;
    const summary = {
      seed: SEED,
      requests: sent,
      datagramsSent: DATAGRAMS,
      datagramsReceived: received,
      seconds: Math.round((Date.now() - started) / 1000),
      maxEventLoopDelayMs: Math.round(delay.maxMs),
      p99EventLoopDelayMs: Math.round(delay.p99Ms),
      ownMaxEventLoopDelayMs: Math.round(delay.ownMaxMs),
      loadAverage: Math.round(loadavg()[0]! * 10) / 10,
      maxRssMb: Math.round(maxRssMb),
      templates: decoder.templateCount(),
      templatesEvicted: decoder.counters.templatesEvicted,
      malformed: decoder.counters.malformed,
      byGenerator: Object.fromEntries(byGenerator),
    };
    console.log(JSON.stringify(summary));
    expect([...findings].map(([what, f]) => `${what} x${f.count}: ${f.example}`)).toEqual([]);
    expect(sent).toBeGreaterThanOrEqual(REQUESTS);
    expect(received).toBeGreaterThanOrEqual(DATAGRAMS * 0.99);
    expect(maxDelayMs).toBeLessThan(MAX_LOOP_DELAY_MS);
    expect(maxRssMb).toBeLessThan(RSS_BOUND_MB);
    expect((await fetch(`${server.url}/_vpcflow/health`)).status).toBe(200);
    expect(await dump()).toBe(before);
  },
  10 * 60_000,
);
