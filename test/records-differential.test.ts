// Differential test: a few hundred generated SLS queries (searches with paging, analytic statements)
// run through the same execution path (executeLogsQuery) against the SQLite record store of earlier
// versions, the DuckDB one and, when PostgreSQL is at hand (test/support/record-database.ts), the
// PostgreSQL one, over the same records; the answers, rendered as GetLogs renders them, must be the same. Doubles (avg, arithmetic on doubles) are compared to 12 significant digits, since
// the engines may sum in a different order.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordToSls } from '../src/products/sls/api/record-map.js';
import { executeLogsQuery, type LogsQuery } from '../src/products/sls/api/logs-execution.js';
import { QueryError, toStringRow } from '../src/products/sls/query/index.js';
import { MIGRATIONS } from '../src/store/migrations.js';
import { DuckDbRecordStore } from '../src/store/records/duckdb-records.js';
import type { LogstoreRef, RecordRow, RecordStore } from '../src/store/records/record-store.js';
import { SqliteRecordStore } from '../src/store/records/sqlite-records.js';
import type { SqlDb } from '../src/store/sql-db.js';
import { openSqlite } from '../src/store/sqlite/sqlite-db.js';
import { openPostgres } from '../src/store/postgres/postgres-db.js';
import { PostgresRecordStore } from '../src/store/records/postgres-records.js';
import { recordDatabase, type RecordDatabase } from './support/record-database.js';

const T0 = 1_760_000_400;
const REF: LogstoreRef = { regionId: 'cn-hangzhou', projectName: 'diff', logstoreName: 'flows' };
const ENIS = ['eni-bp1aaa', 'eni-bp1bbb', 'eni-bp1ccc', 'eni-bp1ddd'];

function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function records(logstore: string, n: number, seed: number): RecordRow[] {
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const rows: RecordRow[] = [];
  for (let i = 0; i < n; i++) {
    // Few distinct times, so ties (broken by append order) are common.
    const time = T0 + Math.floor(rnd() * 60) * 60;
    const eni = pick(ENIS);
    const status = rnd() < 0.1 ? pick(['NODATA', 'SKIPDATA']) : 'OK';
    const ok = status === 'OK';
    rows.push({
      region_id: REF.regionId,
      project_name: REF.projectName,
      logstore_name: logstore,
      flow_log_id: pick(['fl-bp1one', 'fl-bp1two']),
      time,
      topic: pick(['flow_log', 'flow_log', 'other']),
      source: pick(['10.255.0.1', '10.255.0.2']),
      version: 1,
      vswitch_id: 'vsw-bp1diff',
      vm_id: pick(['i-bp1a', 'i-bp1b', '']),
      vpc_id: 'vpc-bp1diff',
      account_id: '1234567890123456',
      eni_id: eni,
      region: 'cn-hangzhou',
      srcaddr: ok ? `10.0.${Math.floor(rnd() * 3)}.${1 + Math.floor(rnd() * 5)}` : '-',
      srcport: ok ? 1024 + Math.floor(rnd() * 2000) : null,
      dstaddr: ok ? pick(['192.168.1.1', '192.168.1.2', '8.8.8.8', '47.96.0.10']) : '-',
      dstport: ok ? pick([22, 53, 80, 443, 8080]) : null,
      protocol: ok ? pick([6, 6, 17, 1]) : null,
      direction: ok ? pick(['in', 'out']) : '-',
      packets: status === 'NODATA' ? 0 : rnd() < 0.05 ? null : 1 + Math.floor(rnd() * 90),
      bytes: status === 'NODATA' ? 0 : rnd() < 0.05 ? null : 40 + Math.floor(rnd() * 150_000),
      start: time,
      end: time + pick([10, 60, 60, 600]),
      log_status: status,
      action: ok ? pick(['ACCEPT', 'ACCEPT', 'REJECT']) : '-',
      tcp_flags: ok ? pick([2, 18, 24, 17, 4]) : null,
    });
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------------
// Query generators (deterministic)

const rnd = prng(2024);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;

const TEXT_TERMS = [
  'eni-id: eni-bp1aaa',
  'eni-id: ENI-BP1BBB',
  'eni-id: eni-bp1c*',
  'action: REJECT',
  'action: accept',
  'direction: in',
  'log-status: NODATA',
  'log-status: OK',
  'srcaddr: 10.0.1.*',
  'dstaddr: 8.8.8.8',
  'vm-id: *',
  'vm-id: i-bp1?',
  '__topic__: other',
  '__source__: 10.255.0.2',
  '192.168.1.1',
  'REJECT',
  '443',
  'eni-bp1ddd',
];
const NUM_TERMS = [
  'dstport: 443',
  'dstport = 53',
  'bytes > 100000',
  'bytes >= 75000',
  'packets < 10',
  'packets <= 1',
  'srcport in [1500 2000]',
  'bytes in (1000 50000]',
  'protocol: 17',
  'tcp-flags: 18',
  'packets: *',
  '__time__ >= 1760002000',
];

function searchExpr(depth = 0): string {
  const r = rnd();
  if (depth < 2 && r < 0.2) return `${searchExpr(depth + 1)} and ${searchExpr(depth + 1)}`;
  if (depth < 2 && r < 0.35) return `(${searchExpr(depth + 1)} or ${searchExpr(depth + 1)})`;
  if (depth < 2 && r < 0.45) return `not ${searchExpr(depth + 1)}`;
  if (depth < 2 && r < 0.5) return `${searchExpr(depth + 1)} not ${searchExpr(depth + 1)}`;
  return rnd() < 0.6 ? pick(TEXT_TERMS) : pick(NUM_TERMS);
}

const GROUP_FIELDS = [
  'srcaddr',
  'dstaddr',
  '"eni-id"',
  'action',
  'direction',
  'protocol',
  'dstport',
  '"log-status"',
];
const NUM_FIELDS = ['bytes', 'packets', 'srcport', 'dstport', '"tcp-flags"', 'protocol'];
const WHERE = [
  "action = 'ACCEPT'",
  'bytes > 50000',
  'packets between 5 and 20',
  "srcaddr like '10.0.1.%'",
  "dstaddr not like '192.%'",
  'dstport in (22, 53)',
  'protocol not in (6)',
  'bytes is null',
  'packets is not null',
  "not (direction = 'in')",
  "(action = 'REJECT' or dstport = 443) and bytes < 100000",
  'bytes / packets > 1000',
  'bytes % 7 = 3',
  '__time__ - __time__ % 600 = 1760001000',
];

/** An analytic statement with a total order, so both engines must return the same rows in order. */
function analytic(): string {
  const g = pick(GROUP_FIELDS);
  const n = pick(NUM_FIELDS);
  const where = rnd() < 0.5 ? ` where ${pick(WHERE)}` : '';
  const limit = pick(['', ' limit 3', ' limit 1000', ' limit 2, 5']);
  switch (Math.floor(rnd() * 15)) {
    case 12:
      return `select date_trunc('${pick(['minute', 'hour', 'day', 'week', 'month'])}', __time__) as t, count_if(action = 'REJECT') as r, count(*) as c${where} group by t order by t${limit}`;
    case 13:
      return `select ip_to_domain(${pick(['srcaddr', 'dstaddr'])}) as d, count(*) as c${where} group by d order by d`;
    case 14:
      return `select from_unixtime(__time__) as t, date_trunc('${pick(['hour', 'quarter', 'year'])}', from_unixtime(__time__)) as h, to_unixtime(from_unixtime(__time__)) as u${where} order by t, h, u limit 20`;
    case 0:
      return `select count(*) as c${where}`;
    case 1:
      return `select ${g}, count(*) as c${where} group by ${g} order by c desc, ${g} asc${limit}`;
    case 2:
      return `select ${g}, sum(${n}) as s, avg(${n}) as a, min(${n}) as lo, max(${n}) as hi${where} group by ${g} order by ${g}${limit}`;
    case 3:
      return `select ${g}, count(distinct ${pick(GROUP_FIELDS)}) as d${where} group by 1 order by 1 desc${limit}`;
    case 4:
      return `select ${g}, approx_distinct(${pick(GROUP_FIELDS)}) as d${where} group by ${g} having count(*) > 3 order by d desc, ${g}${limit}`;
    case 5:
      return `select distinct ${g}${where} order by ${g}${limit}`;
    case 6:
      return `select __time__ - __time__ % 600 as t, sum(bytes) as b, count(*) as c${where} group by t order by t${limit}`;
    case 7:
      return `select ${n} * 2 + 1 as x, ${n} / 3 as q, ${n} % 5 as m, ${n} / 2.0 as h${where} order by x, q, m, h limit 50`;
    case 8:
      return `select sum(bytes) / count(*) as mean, sum(packets) as p, avg(bytes) as a${where}`;
    case 9:
      return `select "eni-id", srcaddr, sum(bytes) as b${where} group by "eni-id", srcaddr order by b desc, "eni-id", srcaddr${limit}`;
    case 10:
      return `select ${g}, count(*) as c${where} group by ${g} having sum(bytes) > 100000 order by ${g}${limit}`;
    default:
      return `select min(__time__) as first, max("end") as last, count(*) as n, sum(1) as z`;
  }
}

interface Generated extends LogsQuery {
  label: string;
}

function generate(count: number): Generated[] {
  const out: Generated[] = [];
  for (let i = 0; i < count; i++) {
    const from = T0 + pick([0, 0, 600, 1800]);
    const to = from + pick([600, 1800, 3600, 7200]);
    const base = {
      from,
      to,
      line: pick([100, 100, 10, 0, 37]),
      offset: pick([0, 0, 5, 50, 300]),
      reverse: rnd() < 0.5,
    };
    const topic = rnd() < 0.1 ? 'flow_log' : undefined;
    const search = rnd() < 0.2 ? '*' : searchExpr();
    const query = i % 2 === 0 ? search : `${rnd() < 0.5 ? '*' : search} | ${analytic()}`;
    out.push({ ...base, topic, query, label: `#${i} ${query}` });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------

type Answer = { ok: true; rows: Record<string, string>[] } | { ok: false; error: string };

async function answer(store: RecordStore, q: LogsQuery): Promise<Answer> {
  try {
    const run = await executeLogsQuery(store, REF, q);
    if (run.kind === 'search') return { ok: true, rows: run.rows.map(recordToSls) };
    return { ok: true, rows: run.rows.map((r) => toStringRow(r, run.columnTypes)) };
  } catch (err) {
    // The compiler's refusals must agree exactly; an engine's own error only as "refused".
    return { ok: false, error: err instanceof QueryError ? err.message : 'engine error' };
  }
}

/** Doubles to 12 significant digits; everything else exactly. */
function normalise(a: Answer): Answer {
  if (!a.ok) return a;
  const rows = a.rows.map((r) =>
    Object.fromEntries(
      Object.entries(r).map(([k, v]) => [k, /^-?\d+\.\d+(E-?\d+)?$/.test(v) ? Number(v).toPrecision(12) : v]),
    ),
  );
  return { ok: true, rows };
}

let db: SqlDb;
let sqlite: SqliteRecordStore;
let duck: DuckDbRecordStore;
let pgDatabase: RecordDatabase | undefined;
let pgControl: SqlDb | undefined;
let postgres: PostgresRecordStore | undefined;
/** The engines compared with SQLite, the reference: DuckDB, and PostgreSQL when at hand. */
let engines: RecordStore[] = [];
const RECORDS = records('flows', 800, 7);

beforeAll(async () => {
  db = await openSqlite({ path: ':memory:', migrations: MIGRATIONS });
  sqlite = new SqliteRecordStore(db);
  duck = await DuckDbRecordStore.open({ path: ':memory:', memoryLimit: '256MB', threads: 1 });
  pgDatabase = await recordDatabase();
  if (pgDatabase) {
    pgControl = await openPostgres({ url: pgDatabase.url, migrations: MIGRATIONS });
    postgres = await PostgresRecordStore.open({ url: pgDatabase.url });
  }
  engines = postgres ? [duck, postgres] : [duck];
  const noise = records('noise', 100, 8);
  // Several appends, interleaved with the other logstore, as deliveries would come.
  for (let i = 0; i < RECORDS.length; i += 200) {
    for (const store of [sqlite, ...engines]) {
      await store.append(RECORDS.slice(i, i + 200));
      await store.append(noise.slice(i / 8, i / 8 + 25));
    }
  }
}, 120_000);

afterAll(async () => {
  await duck?.close();
  await db?.close();
  await postgres?.close();
  await pgControl?.close();
  await pgDatabase?.release();
});

describe('SQLite, DuckDB and PostgreSQL record stores give the same answers', () => {
  const queries = generate(400);

  it('hold the same records', async () => {
    const count = 'SELECT count(*) AS n FROM log_records';
    for (const store of engines) expect(await store.query(count, [])).toEqual(await sqlite.query(count, []));
  });

  it('agree on the SLS functions, with the values SLS gives', async () => {
    const q = (query: string): LogsQuery => ({
      from: T0,
      to: T0 + 7200,
      query,
      line: 100,
      offset: 0,
      reverse: false,
    });
    const checks: [string, Record<string, string>[]][] = [
      [
        "* | select date_trunc('hour', min(__time__)) as h, from_unixtime(min(__time__)) as t",
        [{ h: '1760000400', t: '2025-10-09 09:00:00.000' }],
      ],
      [
        "* | select date_trunc('day', from_unixtime(min(__time__))) as d, to_unixtime(from_unixtime(min(__time__))) as u",
        [{ d: '2025-10-09 00:00:00.000', u: '1.7600004E9' }],
      ],
      [
        "* | select ip_to_domain('8.8.8.8') as a, ip_to_domain('172.20.0.1') as b, ip_to_domain('-') as c limit 1",
        [{ a: 'internet', b: 'intranet', c: 'invalid' }],
      ],
    ];
    for (const [query, expected] of checks) {
      for (const store of [sqlite, ...engines])
        expect(await answer(store, q(query)), `${store.dialect}: ${query}`).toEqual({
          ok: true,
          rows: expected,
        });
    }
    const rejected = RECORDS.filter((r) => r.action === 'REJECT').length;
    for (const store of engines) {
      expect(await answer(store, q("* | select count_if(action = 'REJECT') as r"))).toEqual({
        ok: true,
        rows: [{ r: String(rejected) }],
      });
    }
    // approx_percentile: DuckDB gives the exact discrete percentile; SQLite has no quantile aggregate.
    const bytes = RECORDS.filter((r) => r.time < T0 + 7200 && r.bytes !== null)
      .map((r) => r.bytes as number)
      .sort((a, b) => a - b);
    const at = (p: number): string => String(bytes[Math.max(0, Math.ceil(p * bytes.length) - 1)]);
    for (const store of engines) {
      expect(
        await answer(
          store,
          q('* | select approx_percentile(bytes, 0.5) as p50, approx_percentile(bytes, 0.99) as p99'),
        ),
        store.dialect,
      ).toEqual({
        ok: true,
        rows: [{ p50: at(0.5), p99: at(0.99) }],
      });
    }
    expect(await answer(sqlite, q('* | select approx_percentile(bytes, 0.5) as p50'))).toEqual({
      ok: false,
      error: 'approx_percentile is not supported by the SQLite record store (--record-store sqlite)',
    });
    for (const [query, message] of [
      ["* | select date_trunc('fortnight', __time__) as t", "'fortnight' is not a valid Time field"],
      [
        '* | select approx_percentile(bytes, 1.5) as p',
        'approx_percentile takes the percentage as a number literal between 0 and 1',
      ],
      [
        '* | select count_if(bytes) as c',
        'Unexpected parameters (long) for function count_if. Expected: count_if(boolean)',
      ],
      [
        "* | select action where count_if(action = 'x') > 1",
        'WHERE clause cannot contain aggregations or window functions',
      ],
    ] as const) {
      for (const store of engines) {
        const a = await answer(store, q(query));
        expect(a.ok, query).toBe(false);
        expect(a.ok ? '' : a.error, query).toContain(message);
      }
    }
  });

  it('answer 400 generated searches and analytic queries alike', { timeout: 300_000 }, async () => {
    let analytic = 0;
    let nonEmpty = 0;
    let refused = 0;
    for (const q of queries) {
      const a = normalise(await answer(sqlite, q));
      for (const store of engines) {
        expect(normalise(await answer(store, q)), `${store.dialect} ${q.label}`).toEqual(a);
      }
      if (q.query.includes('|')) analytic++;
      if (a.ok && a.rows.length > 0) nonEmpty++;
      if (!a.ok) refused++;
      if (!a.ok && process.env['DIFF_DEBUG']) console.log('REFUSED', a.error, q.label);
    }
    // The generator exercises both kinds and mostly produces answers with rows.
    expect(analytic).toBe(200);
    expect(nonEmpty).toBeGreaterThan(250);
    expect(refused).toBeLessThan(20);
  });

  // Search pages over records spread across many hours (many row groups' worth of time), appended out
  // of time order, from either end and at any offset: DuckDB's top-N skips row groups by time as it goes.
  it('page searches over many hours alike', { timeout: 300_000 }, async () => {
    const spread: LogstoreRef = { ...REF, logstoreName: 'spread' };
    const rows = records('spread', 600, 11).map((r, i) => ({ ...r, time: r.time + (i % 13) * 2_700 }));
    for (const store of [sqlite, duck]) {
      await store.append(rows.slice(300));
      await store.append(rows.slice(0, 300));
    }
    const searches = ['*', 'eni-id: eni-bp1bbb', 'eni-id: eni-bp1ccc and dstport: 443', 'eni-id: eni-bp1zzz'];
    let nonEmpty = 0;
    for (const query of searches)
      for (const [from, to] of [
        [T0, T0 + 40_000],
        [T0 + 1_234, T0 + 20_000],
        [T0 - 86_400, T0 + 86_400],
      ] as const)
        for (const reverse of [false, true])
          for (const [line, offset] of [
            [100, 0],
            [37, 5],
            [100, 300],
            [10, 990],
          ] as const) {
            const q = { from, to, query, line, offset, reverse };
            const label = JSON.stringify(q);
            const run = async (store: RecordStore): Promise<string[]> => {
              const r = await executeLogsQuery(store, spread, q);
              return r.rows.map(
                (row) => `${String(row['time'])} ${String(row['srcport'])} ${String(row['eni_id'])}`,
              );
            };
            const expected = await run(sqlite);
            expect(await run(duck), label).toEqual(expected);
            if (expected.length > 0) nonEmpty++;
          }
    expect(nonEmpty).toBeGreaterThan(40);
  });
});
