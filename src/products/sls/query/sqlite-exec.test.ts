// Execution tests: compiled queries run against a real (in-memory) SQLite database holding a few
// hundred synthetic flow records; expected rows come from a plain-JS oracle over the same records.
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileQuery } from './compile-query.js';
import { QueryError } from './errors.js';
import { FLOW_LOG_FIELDS } from './fields.js';
import { toStringRow } from './string-row.js';

interface Rec {
  id: number;
  store_id: number;
  time: number;
  version: number;
  vswitch_id: string;
  vm_id: string | null;
  vpc_id: string;
  account_id: string;
  eni_id: string;
  region: string;
  srcaddr: string;
  srcport: number;
  dstaddr: string;
  dstport: number;
  protocol: number;
  direction: string;
  packets: number;
  bytes: number;
  start: number;
  end: number;
  log_status: string;
  action: string;
  tcp_flags: number;
  topic: string;
  source: string;
}

const COLUMNS = [
  'id',
  'store_id',
  'time',
  'version',
  'vswitch_id',
  'vm_id',
  'vpc_id',
  'account_id',
  'eni_id',
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
  'log_status',
  'action',
  'tcp_flags',
  'topic',
  'source',
] as const;

/** Deterministic PRNG (mulberry32) so the data set and the oracle never drift apart. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const T0 = 1_700_000_000;
const ENIS = ['eni-x', 'eni-y', 'eni-z', 'eni-w'];
const PORTS = [22, 53, 80, 443, 3389, 8080, 1024, 1025, 40000, 51000];

function makeRecords(): Rec[] {
  const rnd = prng(42);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const recs: Rec[] = [];
  for (let i = 0; i < 320; i++) {
    const store = i < 300 ? 1 : 2; // store 2 must never leak into store 1 results
    const time = T0 + Math.floor(rnd() * 3600);
    const eni = pick(ENIS);
    recs.push({
      id: i + 1,
      store_id: store,
      time,
      version: 1,
      vswitch_id: `vsw-${eni.slice(4)}`,
      // unbound ENIs: no instance id (NULL) or empty
      vm_id: eni === 'eni-w' ? (i % 2 === 0 ? null : '') : `i-${eni.slice(4)}${i % 3}`,
      vpc_id: 'vpc-1',
      account_id: '1234567890',
      eni_id: eni,
      region: 'cn-hangzhou',
      srcaddr: `10.0.${Math.floor(rnd() * 3)}.${1 + Math.floor(rnd() * 4)}`,
      srcport: pick(PORTS),
      dstaddr: `192.168.${Math.floor(rnd() * 2)}.${1 + Math.floor(rnd() * 3)}`,
      dstport: pick(PORTS),
      protocol: rnd() < 0.8 ? 6 : 17,
      direction: rnd() < 0.5 ? 'in' : 'out',
      packets: 1 + Math.floor(rnd() * 100),
      bytes: 40 + Math.floor(rnd() * 100_000),
      start: time,
      end: time + 60,
      log_status: 'OK',
      action: rnd() < 0.7 ? 'ACCEPT' : 'REJECT',
      tcp_flags: pick([2, 18, 16, 24, 1, 4]),
      topic: 'flow_log',
      source: '127.0.0.1',
    });
  }
  // Values with LIKE metacharacters, to prove they are escaped.
  const special = recs[0] as Rec;
  special.vm_id = 'i-ab_c%d';
  const lookalike = recs[1] as Rec;
  lookalike.vm_id = 'i-abXcYd';
  return recs;
}

const RECORDS = makeRecords();
const STORE1 = RECORDS.filter((r) => r.store_id === 1);
const SOURCE = '(SELECT * FROM log_records WHERE store_id = ? AND time >= ? AND time < ?)';
const SOURCE_PARAMS = [1, T0, T0 + 3600];
const OPTS = { dialect: 'sqlite' as const, source: SOURCE, sourceParams: SOURCE_PARAMS };

let db: Database.Database;

beforeAll(() => {
  db = new Database(':memory:');
  db.exec(`CREATE TABLE log_records (
    id INTEGER PRIMARY KEY, store_id INTEGER NOT NULL, time INTEGER NOT NULL, version INTEGER,
    vswitch_id TEXT, vm_id TEXT, vpc_id TEXT, account_id TEXT, eni_id TEXT, region TEXT,
    srcaddr TEXT, srcport INTEGER, dstaddr TEXT, dstport INTEGER, protocol INTEGER, direction TEXT,
    packets INTEGER, bytes INTEGER, start INTEGER, "end" INTEGER, log_status TEXT, action TEXT,
    tcp_flags INTEGER, topic TEXT, source TEXT)`);
  const insert = db.prepare(
    `INSERT INTO log_records (${COLUMNS.map((c) => `"${c}"`).join(', ')}) VALUES (${COLUMNS.map(() => '?').join(', ')})`,
  );
  db.transaction(() => {
    for (const r of RECORDS) insert.run(...COLUMNS.map((c) => r[c]));
  })();
});

afterAll(() => db.close());

/** Run the search part the way a GetLogs handler would: base filter AND compiled where. */
function searchIds(query: string): number[] {
  const { where } = compileQuery(query, FLOW_LOG_FIELDS, OPTS);
  const sql = `SELECT id FROM log_records WHERE store_id = ? AND time >= ? AND time < ? AND (${where.sql}) ORDER BY id`;
  return db
    .prepare(sql)
    .all(...SOURCE_PARAMS, ...where.params)
    .map((r) => (r as { id: number }).id);
}

const ids = (pred: (r: Rec) => boolean): number[] => STORE1.filter(pred).map((r) => r.id);

function runAnalytic(query: string): { rows: Record<string, string>[]; columns: string[] } {
  const compiled = compileQuery(query, FLOW_LOG_FIELDS, OPTS);
  const a = compiled.analytic;
  if (!a) throw new Error('not an analytic query');
  const rows = db
    .prepare(a.sql)
    .all(...a.params)
    .map((r) => toStringRow(r as Record<string, unknown>, a.columnTypes));
  return { rows, columns: a.columns };
}

describe('search execution on SQLite', () => {
  it('has a meaningful data set', () => {
    expect(STORE1).toHaveLength(300);
    expect(ids((r) => r.eni_id === 'eni-x' && r.direction === 'out').length).toBeGreaterThan(10);
  });

  it('* returns every record of the store', () => {
    expect(searchIds('*')).toEqual(ids(() => true));
    expect(searchIds('')).toHaveLength(300);
  });

  it('eni-id: eni-x and direction: out', () => {
    expect(searchIds('eni-id: eni-x and direction: out')).toEqual(
      ids((r) => r.eni_id === 'eni-x' && r.direction === 'out'),
    );
    // implicit AND and case-insensitive values/keywords give the same rows
    expect(searchIds('eni-id: ENI-X AND direction: OUT')).toEqual(searchIds('eni-id: eni-x direction: out'));
  });

  it('not action: REJECT', () => {
    const expected = ids((r) => r.action !== 'REJECT');
    expect(searchIds('not action: REJECT')).toEqual(expected);
    expect(searchIds('not action: reject')).toEqual(expected);
    expect(searchIds('* not action: REJECT')).toEqual(expected);
  });

  it('srcport > 1024 or dstport in [80 443]', () => {
    expect(searchIds('srcport > 1024 or dstport in [80 443]')).toEqual(
      ids((r) => r.srcport > 1024 || (r.dstport >= 80 && r.dstport <= 443)),
    );
  });

  it('comparison operators and exclusive / open ranges', () => {
    expect(searchIds('srcport >= 1024')).toEqual(ids((r) => r.srcport >= 1024));
    expect(searchIds('srcport < 80')).toEqual(ids((r) => r.srcport < 80));
    expect(searchIds('srcport <= 80')).toEqual(ids((r) => r.srcport <= 80));
    expect(searchIds('protocol = 17')).toEqual(ids((r) => r.protocol === 17));
    expect(searchIds('protocol: 17')).toEqual(ids((r) => r.protocol === 17));
    expect(searchIds('dstport in (80 443)')).toEqual(ids((r) => r.dstport > 80 && r.dstport < 443));
    expect(searchIds('dstport in (80 443]')).toEqual(ids((r) => r.dstport > 80 && r.dstport <= 443));
    expect(searchIds('bytes in [50000 *]')).toEqual(ids((r) => r.bytes >= 50000));
    expect(searchIds('bytes > 99.5')).toEqual(ids((r) => r.bytes > 99.5));
  });

  it('prefix and single-character wildcards', () => {
    expect(searchIds('srcaddr: 10.0.1.*')).toEqual(ids((r) => r.srcaddr.startsWith('10.0.1.')));
    expect(searchIds('srcaddr: 10.0.?.1')).toEqual(ids((r) => /^10\.0\..\.1$/.test(r.srcaddr)));
    expect(searchIds('eni-id: ENI-*')).toHaveLength(300);
  });

  it('escapes LIKE metacharacters in values', () => {
    expect(searchIds('vm-id: i-ab_c%*')).toEqual([1]);
    expect(searchIds('vm-id: "i-ab_c%d"')).toEqual([1]);
    expect(searchIds('vm-id: i-ab?c?d')).toEqual([1, 2]);
  });

  it('field presence', () => {
    expect(searchIds('vm-id: *')).toEqual(ids((r) => r.vm_id !== null && r.vm_id !== ''));
    expect(searchIds('not vm-id: *')).toEqual(ids((r) => r.vm_id === null || r.vm_id === ''));
  });

  it('parentheses change precedence', () => {
    expect(searchIds('(eni-id: eni-x or eni-id: eni-y) and action: REJECT')).toEqual(
      ids((r) => (r.eni_id === 'eni-x' || r.eni_id === 'eni-y') && r.action === 'REJECT'),
    );
    expect(searchIds('eni-id: eni-x or eni-id: eni-y and action: REJECT')).toEqual(
      ids((r) => r.eni_id === 'eni-x' || (r.eni_id === 'eni-y' && r.action === 'REJECT')),
    );
    expect(searchIds('not (direction: in or protocol: 17)')).toEqual(
      ids((r) => !(r.direction === 'in' || r.protocol === 17)),
    );
  });

  it('free text matches any text field, and numbers match long fields', () => {
    expect(searchIds('reject')).toEqual(ids((r) => r.action === 'REJECT'));
    expect(searchIds('192.168.1.2')).toEqual(ids((r) => r.dstaddr === '192.168.1.2'));
    expect(searchIds('eni-y reject')).toEqual(ids((r) => r.eni_id === 'eni-y' && r.action === 'REJECT'));
    expect(searchIds('3389')).toEqual(ids((r) => r.srcport === 3389 || r.dstport === 3389));
    expect(searchIds('10.0.2.*')).toEqual(ids((r) => r.srcaddr.startsWith('10.0.2.')));
  });

  it('matches nothing for a non-numeric value on a long field', () => {
    expect(searchIds('srcport: ssh')).toEqual([]);
  });

  it('keeps injection attempts inert', () => {
    expect(searchIds(`srcaddr: "'; drop table log_records; --"`)).toEqual([]);
    expect(searchIds(`"'); DROP TABLE log_records; --"`)).toEqual([]);
    expect(() => searchIds(`'); DROP TABLE log_records; --`)).toThrow(QueryError); // unbalanced ')'
    expect(searchIds('srcaddr: 1\\" OR srcaddr: --')).toEqual([]);
    expect(() => searchIds('srcaddr: x OR 1=1')).toThrow(QueryError); // `1=1` compares an unknown key "1"
    expect(db.prepare('SELECT count(*) AS n FROM log_records').get()).toEqual({ n: 320 });
  });

  it('raises QueryError for unknown keys instead of running SQL', () => {
    expect(() => searchIds('nosuch: 1')).toThrow(QueryError);
  });
});

describe('analytic execution on SQLite', () => {
  it('* | select srcaddr, sum(bytes) as total group by srcaddr order by total desc limit 3', () => {
    const totals = new Map<string, number>();
    for (const r of STORE1) totals.set(r.srcaddr, (totals.get(r.srcaddr) ?? 0) + r.bytes);
    const expected = [...totals.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([srcaddr, total]) => ({ srcaddr, total: String(total) }));
    const { rows, columns } = runAnalytic(
      '* | select srcaddr, sum(bytes) as total group by srcaddr order by total desc limit 3',
    );
    expect(columns).toEqual(['srcaddr', 'total']);
    expect(rows).toEqual(expected);
  });

  it('* | select count(*) as c (store filter applied, store 2 excluded)', () => {
    expect(runAnalytic('* | select count(*) as c').rows).toEqual([{ c: '300' }]);
    expect(runAnalytic('* | select count(*)').rows).toEqual([{ _col0: '300' }]);
  });

  it('search filter feeds the analytic statement', () => {
    const n = ids((r) => r.action === 'REJECT' && r.direction === 'in').length;
    expect(runAnalytic('action: REJECT and direction: in | select count(*) as c').rows).toEqual([
      { c: String(n) },
    ]);
  });

  it('where + group by + having + order by', () => {
    const counts = new Map<string, number>();
    for (const r of STORE1) {
      if (r.action === 'ACCEPT' && r.bytes > 20000) counts.set(r.eni_id, (counts.get(r.eni_id) ?? 0) + 1);
    }
    const expected = [...counts.entries()]
      .filter(([, c]) => c > 40)
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([eni, c]) => ({ 'eni-id': eni, c: String(c) }));
    expect(expected.length).toBeGreaterThan(0);
    const { rows } = runAnalytic(
      `action: ACCEPT | select "eni-id", count(*) as c where bytes > 20000 group by "eni-id" having count(*) > 40 order by c desc, "eni-id"`,
    );
    expect(rows).toEqual(expected);
  });

  it('avg / min / max, printed like SLS', () => {
    const bytes = STORE1.map((r) => r.bytes);
    const sum = bytes.reduce((a, b) => a + b, 0);
    const { rows } = runAnalytic(
      '* | select avg(bytes) as a, min(bytes) as mn, max(bytes) as mx, sum(bytes) as s',
    );
    expect(rows).toHaveLength(1);
    const row = rows[0] as Record<string, string>;
    expect(Number(row.a)).toBeCloseTo(sum / bytes.length, 6);
    expect(row.a).toMatch(/\./);
    expect(row.mn).toBe(String(Math.min(...bytes)));
    expect(row.mx).toBe(String(Math.max(...bytes)));
    expect(row.s).toBe(String(sum));
  });

  it('avg of an integral value prints as a double, count as an integer', () => {
    expect(runAnalytic('* | select avg(version) as v, count(distinct "eni-id") as n').rows).toEqual([
      { v: '1.0', n: '4' },
    ]);
  });

  it('integer arithmetic divides like Presto bigint', () => {
    const sum = STORE1.reduce((a, r) => a + r.bytes, 0);
    const { rows } = runAnalytic('* | select sum(bytes) / count(*) as per, sum(bytes) / 300.0 as exact');
    expect(rows[0]?.per).toBe(String(Math.trunc(sum / 300)));
    expect(Number(rows[0]?.exact)).toBeCloseTo(sum / 300, 6);
  });

  it('group by ordinal, order by ordinal, _colN names', () => {
    const counts = new Map<number, number>();
    for (const r of STORE1) counts.set(r.protocol, (counts.get(r.protocol) ?? 0) + 1);
    const expected = [...counts.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([p, c]) => ({ protocol: String(p), _col1: String(c) }));
    const { rows, columns } = runAnalytic('* | select protocol, count(*) group by 1 order by 1');
    expect(columns).toEqual(['protocol', '_col1']);
    expect(rows).toEqual(expected);
  });

  it('in / between / like / is null / not in WHERE', () => {
    const n = ids(
      (r) =>
        (r.dstport === 80 || r.dstport === 443) &&
        r.srcport >= 1024 &&
        r.srcport <= 40000 &&
        r.srcaddr.startsWith('10.0.1.') &&
        r.vm_id !== null &&
        r.action !== 'REJECT',
    ).length;
    const { rows } = runAnalytic(
      "* | select count(*) as c where dstport in (80, 443) and srcport between 1024 and 40000 and srcaddr like '10.0.1.%' and \"vm-id\" is not null and not action = 'REJECT'",
    );
    expect(rows).toEqual([{ c: String(n) }]);
  });

  it('LIKE is case-sensitive with literal * and ? (Presto semantics)', () => {
    expect(runAnalytic("* | select count(*) as c where action like 'accept'").rows).toEqual([{ c: '0' }]);
    expect(runAnalytic('* | select count(*) as c where "vm-id" like \'i-ab_c\\%d\'').rows).toEqual([
      { c: '0' },
    ]);
    expect(runAnalytic('* | select count(*) as c where "vm-id" like \'i-ab_c%d\'').rows).toEqual([
      { c: '2' },
    ]);
  });

  it('applies the default LIMIT 100 and LIMIT offset, count', () => {
    expect(runAnalytic('* | select srcaddr, srcport').rows).toHaveLength(100);
    const all = runAnalytic('* | select "__time__" as t order by t, 1 limit 1000').rows;
    expect(all).toHaveLength(300);
    expect(runAnalytic('* | select "__time__" as t order by t limit 10, 5').rows).toEqual(all.slice(10, 15));
  });

  it('select * returns every field named as in SLS, nulls printed as null', () => {
    const { rows } = runAnalytic('eni-id: eni-w | select * order by "__time__" limit 1');
    expect(Object.keys(rows[0] ?? {})).toEqual(FLOW_LOG_FIELDS.map((f) => f.name));
    const rec = STORE1.filter((r) => r.eni_id === 'eni-w').sort(
      (a, b) => a.time - b.time || a.id - b.id,
    )[0] as Rec;
    expect(rows[0]?.['__time__']).toBe(String(rec.time));
    expect(rows[0]?.['vm-id']).toBe(rec.vm_id === null ? 'null' : rec.vm_id);
  });

  it('boolean expressions print as true/false', () => {
    const { rows } = runAnalytic('* | select protocol = 6 as tcp, count(*) as c group by 1 order by 1');
    expect(rows.map((r) => r.tcp)).toEqual(['false', 'true']);
  });

  it('never runs injected SQL', () => {
    expect(() => runAnalytic('* | select count(*) from log; drop table log_records')).toThrow(QueryError);
    expect(() =>
      runAnalytic("* | select count(*) as c where srcaddr = ''; drop table log_records; --'"),
    ).toThrow(QueryError);
    const { rows } = runAnalytic("* | select count(*) as c where srcaddr = ''' or ''1''=''1'");
    expect(rows).toEqual([{ c: '0' }]);
    const aliased = runAnalytic(`* | select count(*) as "c'; drop table log_records; --"`);
    expect(aliased.rows).toEqual([{ "c'; drop table log_records; --": '300' }]);
    expect(db.prepare('SELECT count(*) AS n FROM log_records').get()).toEqual({ n: 320 });
  });
});
