// GetLogs and GetLogsV2 through `@alicloud/sls20201230` over a real socket: search syntax, paging,
// the [from, to) window, and analytic (`search | select ...`) queries over a few hundred synthetic records.
// Expected results come from plain JS over the same records.
import { createRequire } from 'node:module';

import type * as SlsTypes from '@alicloud/sls20201230';
import type * as OpenApiTypes from '@alicloud/openapi-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { DEV_ACCESS_KEY_ID, DEV_ACCESS_KEY_SECRET } from '../src/products/identity/identity-service.js';
import type { RecordRow } from '../src/store/repos/record-repo.js';
import { installSlsHostResolution } from './support/sls-host.js';
import { startTestServer, type TestServer } from './support/server.js';

const require = createRequire(import.meta.url);
const $Sls = require('@alicloud/sls20201230') as typeof SlsTypes;
const $OpenApi = require('@alicloud/openapi-core') as typeof OpenApiTypes;
const SlsClient = $Sls.default as unknown as typeof SlsTypes.default.default;
type SlsClient = InstanceType<typeof SlsClient>;

const T0 = 1_750_000_000 - (1_750_000_000 % 3600);
const ENIS = ['eni-bp1aaa', 'eni-bp1bbb', 'eni-bp1ccc'];
const PROJECT = 'query-proj';
const LOGSTORE = 'flows';

/** Deterministic PRNG (mulberry32). */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function makeRecords(logstore: string, n: number, seed: number): RecordRow[] {
  const rnd = prng(seed);
  const rows: RecordRow[] = [];
  for (let i = 0; i < n; i++) {
    const time = T0 + Math.floor(rnd() * 3600);
    const eni = ENIS[i % ENIS.length] ?? 'eni-x';
    rows.push({
      region_id: 'cn-hangzhou',
      project_name: PROJECT,
      logstore_name: logstore,
      flow_log_id: 'fl-bp1test',
      time,
      topic: 'flow_log',
      source: '127.0.0.1',
      version: 1,
      vswitch_id: 'vsw-bp1test',
      vm_id: `i-${eni.slice(4)}`,
      vpc_id: 'vpc-bp1test',
      account_id: '1234567890123456',
      eni_id: eni,
      region: 'cn-hangzhou',
      srcaddr: `10.0.0.${1 + Math.floor(rnd() * 6)}`,
      srcport: 1024 + Math.floor(rnd() * 1000),
      dstaddr: `192.168.1.${1 + Math.floor(rnd() * 4)}`,
      dstport: [22, 80, 443, 8080][Math.floor(rnd() * 4)] ?? 80,
      protocol: rnd() < 0.8 ? 6 : 17,
      direction: rnd() < 0.5 ? 'in' : 'out',
      packets: 1 + Math.floor(rnd() * 50),
      bytes: 40 + Math.floor(rnd() * 100_000),
      start: time,
      end: time + 60,
      log_status: 'OK',
      action: rnd() < 0.8 ? 'ACCEPT' : 'REJECT',
      tcp_flags: 18,
    });
  }
  return rows;
}

const RECORDS = makeRecords(LOGSTORE, 400, 7);
// Same project, other logstore: must never show up.
const NOISE = makeRecords('noise', 50, 99);

let server: TestServer;
let uninstall: () => void;
let client: SlsClient;

beforeAll(async () => {
  uninstall = installSlsHostResolution();
  server = await startTestServer();
  client = new SlsClient(
    new $OpenApi.$OpenApiUtil.Config({
      accessKeyId: DEV_ACCESS_KEY_ID,
      accessKeySecret: DEV_ACCESS_KEY_SECRET,
      endpoint: `localhost:${server.port}`,
      protocol: 'http',
    }),
  );
  await client.createProject(new $Sls.CreateProjectRequest({ projectName: PROJECT, description: '' }));
  for (const name of [LOGSTORE, 'noise']) {
    await client.createLogStore(
      PROJECT,
      new $Sls.CreateLogStoreRequest({ logstoreName: name, ttl: 3650, shardCount: 1 }),
    );
  }
  await server.app.store.records.append([...RECORDS, ...NOISE]);
});

afterAll(async () => {
  await server.close();
  uninstall();
});

type Req = { query?: string; from?: number; to?: number; line?: number; offset?: number; reverse?: boolean };

async function getLogs(
  req: Req,
): Promise<{ rows: Record<string, string>[]; headers: Record<string, string> }> {
  const res = await client.getLogs(
    PROJECT,
    LOGSTORE,
    new $Sls.GetLogsRequest({ from: T0, to: T0 + 3600, ...req }),
  );
  return { rows: (res.body ?? []) as Record<string, string>[], headers: res.headers ?? {} };
}

async function getLogsV2(req: Req) {
  const res = await client.getLogsV2(
    PROJECT,
    LOGSTORE,
    new $Sls.GetLogsV2Request({ from: T0, to: T0 + 3600, ...req }),
  );
  return res.body;
}

/** Expected search results: matching records in time order (ties in insertion order). */
function expected(pred: (r: RecordRow) => boolean, from = T0, to = T0 + 3600): RecordRow[] {
  return RECORDS.map((r, i) => ({ r, i }))
    .filter(({ r }) => r.time >= from && r.time < to && pred(r))
    .sort((a, b) => a.r.time - b.r.time || a.i - b.i)
    .map(({ r }) => r);
}

/** A fingerprint of a record as SLS returns it, to compare with RECORDS. */
const keyOf = (r: Record<string, string>) =>
  `${r['__time__']}|${r['eni-id']}|${r['srcaddr']}:${r['srcport']}|${r['bytes']}`;
const keyOfRow = (r: RecordRow) => `${r.time}|${r.eni_id}|${r.srcaddr}:${r.srcport}|${r.bytes}`;

describe('GetLogs search', () => {
  it('* returns the first 100 records, oldest first, every field a string, with the x-log headers', async () => {
    const { rows, headers } = await getLogs({ query: '*' });
    expect(rows.map(keyOf)).toEqual(
      expected(() => true)
        .slice(0, 100)
        .map(keyOfRow),
    );
    const first = rows[0] ?? {};
    expect(Object.keys(first).slice(0, 3)).toEqual(['__time__', '__topic__', '__source__']);
    expect(first).toMatchObject({
      __topic__: 'flow_log',
      __source__: '127.0.0.1',
      version: '1',
      'log-status': 'OK',
    });
    for (const name of [
      'vswitch-id',
      'vm-id',
      'vpc-id',
      'account-id',
      'eni-id',
      'region',
      'srcaddr',
      'srcport',
      'dstaddr',
      'dstport',
      'protocol',
      'direction',
      'packets',
      'bytes',
      'start',
      'end',
      'action',
      'tcp-flags',
    ]) {
      expect(typeof first[name]).toBe('string');
    }
    expect(headers['x-log-progress']).toBe('Complete');
    expect(headers['x-log-count']).toBe('100');
    expect(headers['x-log-has-sql']).toBe('false');
  });

  it('eni-id: X and direction: out', async () => {
    const want = expected((r) => r.eni_id === 'eni-bp1bbb' && r.direction === 'out');
    expect(want.length).toBeGreaterThan(20);
    const { rows } = await getLogs({ query: 'eni-id: eni-bp1bbb and direction: out' });
    expect(rows.map(keyOf)).toEqual(want.map(keyOfRow));
    // Case-insensitive, as SLS text indexes are.
    const upper = await getLogs({ query: 'eni-id: ENI-BP1BBB AND direction: OUT' });
    expect(upper.rows.map(keyOf)).toEqual(want.map(keyOfRow));
    // or / not / parentheses, with the ENI fast path covering an OR of ENIs.
    const either = await getLogs({
      query: '(eni-id: eni-bp1aaa or eni-id: eni-bp1ccc) and not action: ACCEPT',
    });
    expect(either.rows.map(keyOf)).toEqual(
      expected((r) => r.eni_id !== 'eni-bp1bbb' && r.action !== 'ACCEPT').map(keyOfRow),
    );
  });

  it('numeric ranges', async () => {
    const { rows } = await getLogs({ query: 'bytes > 90000 and dstport in [80 443]' });
    expect(rows.map(keyOf)).toEqual(
      expected((r) => (r.bytes ?? 0) > 90000 && (r.dstport ?? 0) >= 80 && (r.dstport ?? 0) <= 443).map(
        keyOfRow,
      ),
    );
  });

  it('pages with line / offset / reverse, and clamps line to 100', async () => {
    const all = expected((r) => r.eni_id === 'eni-bp1aaa');
    expect(all.length).toBeGreaterThan(110);
    const q = 'eni-id: eni-bp1aaa';
    const page1 = await getLogs({ query: q, line: 50, offset: 0 });
    const page2 = await getLogs({ query: q, line: 50, offset: 50 });
    const page3 = await getLogs({ query: q, line: 50, offset: 100 });
    expect([...page1.rows, ...page2.rows, ...page3.rows].map(keyOf)).toEqual(all.slice(0, 150).map(keyOfRow));
    const newest = await getLogs({ query: q, line: 10, reverse: true });
    expect(newest.rows.map(keyOf)).toEqual([...all].reverse().slice(0, 10).map(keyOfRow));
    expect((await getLogs({ query: q, line: 500 })).rows).toHaveLength(100);
  });

  it('selects the time range [from, to)', async () => {
    const from = T0 + 600;
    const to = T0 + 1200;
    const { rows } = await getLogs({ query: '*', from, to });
    const want = expected(() => true, from, to);
    expect(rows.map(keyOf)).toEqual(want.slice(0, 100).map(keyOfRow));
    // A record exactly at `to` is excluded, one exactly at `from` included.
    const at = RECORDS[0]?.time ?? T0;
    expect(
      (await getLogs({ query: '*', from: at, to: at + 1 })).rows.every((r) => r['__time__'] === String(at)),
    ).toBe(true);
    expect(
      (await getLogs({ query: '*', from: at - 10, to: at })).rows.some((r) => r['__time__'] === String(at)),
    ).toBe(false);
  });
});

describe('analytic queries', () => {
  it('top talkers: sum(bytes) group by srcaddr order by total desc limit 3', async () => {
    const { rows, headers } = await getLogs({
      query: '* | select srcaddr, sum(bytes) as total group by srcaddr order by total desc limit 3',
      line: 1, // line/offset do not apply to SQL
      offset: 5,
    });
    const totals = new Map<string, number>();
    for (const r of RECORDS) totals.set(r.srcaddr ?? '', (totals.get(r.srcaddr ?? '') ?? 0) + (r.bytes ?? 0));
    const want = [...totals.entries()].sort((a, b) => b[1] - a[1]).slice(0, 3);
    expect(rows).toEqual(want.map(([srcaddr, total]) => ({ srcaddr, total: String(total) })));
    expect(headers['x-log-has-sql']).toBe('true');
  });

  it('count(*) with a search filter, and avg/min/max', async () => {
    const { rows } = await getLogs({ query: 'direction: in | select count(*) as n' });
    expect(rows).toEqual([{ n: String(RECORDS.filter((r) => r.direction === 'in').length) }]);
    const stats = await getLogs({
      query: '* | select min(bytes) as lo, max(bytes) as hi, avg(packets) as p',
    });
    const bytes = RECORDS.map((r) => r.bytes ?? 0);
    expect(stats.rows[0]).toMatchObject({ lo: String(Math.min(...bytes)), hi: String(Math.max(...bytes)) });
    expect(Number(stats.rows[0]?.['p'])).toBeCloseTo(
      RECORDS.reduce((s, r) => s + (r.packets ?? 0), 0) / RECORDS.length,
      6,
    );
  });
});

describe('GetLogsV2', () => {
  it('answers {data, meta} for a search and for SQL', async () => {
    const body = await getLogsV2({ query: 'eni-id: eni-bp1ccc and action: REJECT', line: 5, offset: 1 });
    const want = expected((r) => r.eni_id === 'eni-bp1ccc' && r.action === 'REJECT').slice(1, 6);
    expect(body?.data?.map(keyOf)).toEqual(want.map(keyOfRow));
    expect(body?.meta).toMatchObject({ progress: 'Complete', count: 5, hasSQL: false, isAccurate: true });

    const sql = await getLogsV2({ query: '* | select count(*) as n' });
    expect(sql?.data).toEqual([{ n: String(RECORDS.length) }]);
    expect(sql?.meta).toMatchObject({
      hasSQL: true,
      keys: ['n'],
      columnTypes: ['bigint'],
      aggQuery: 'select count(*) as n',
    });
  });
});

describe('query errors', () => {
  const invalid = async (fn: () => Promise<unknown>) => {
    try {
      await fn();
    } catch (err) {
      return err as { code?: string; data?: { statusCode?: number }; message: string };
    }
    throw new Error('expected the call to fail');
  };

  it('bad syntax, unknown keys and bad parameters are ParameterInvalid (400)', async () => {
    for (const req of [
      { query: 'eni-id: (' },
      { query: 'nosuchfield: 1' },
      { query: 'srcaddr > 5' },
      { query: '* | select nosuch from log' },
      { offset: -1 },
    ]) {
      const err = await invalid(() => getLogs(req));
      expect(err.code, JSON.stringify(req)).toBe('ParameterInvalid');
      expect(err.data?.statusCode).toBe(400);
    }
    const v2 = await invalid(() => getLogsV2({ query: 'a: b: c: (' }));
    expect(v2.code).toBe('ParameterInvalid');
    const noFrom = await invalid(() =>
      client.getLogs(PROJECT, LOGSTORE, new $Sls.GetLogsRequest({ to: T0, query: '*' })),
    );
    expect(noFrom.code).toBe('ParameterInvalid');
    expect(noFrom.message).toBe('ParameterInvalid: The parameter from must be a positive integer');
  });
});
