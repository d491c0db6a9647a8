/**
 * bench:getlogs — GetLogs over many stored records, SQLite rows next to DuckDB columns in the same run:
 * searches and analytic queries through the SLS API over HTTP (signed, as `vpcflow logs query` sends
 * them), each engine behind its own `vpcflow serve` (`--record-store sqlite` / the default duckdb), plus
 * bytes per record on disk. Not a test: it reports, it does not fail.
 *
 *   npm run bench:getlogs        (builds first; BENCH_RECORDS=10000000 BENCH_RUNS=5 BENCH_QUERIES=50)
 *
 * The same generated records go into both: SQLite bulk-loaded with the log_records indexes dropped and
 * rebuilt afterwards, as a restore would; DuckDB generated in SQL (see loadDuckDb).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { slsGetLogs } from '../src/cli/logs-query.js';
import {
  DEV_ACCESS_KEY_ID,
  DEV_ACCESS_KEY_SECRET,
  DEV_ACCOUNT_ID,
} from '../src/products/identity/identity-service.js';
import { MIGRATIONS } from '../src/store/migrations.js';
import { DuckDbRecordStore } from '../src/store/records/duckdb-records.js';
import type { RecordRow } from '../src/store/records/record-store.js';
import { DUCKDB_FILE, SQLITE_FILE, openStore, type RecordEngine } from '../src/store/store.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RECORDS = Number(process.env['BENCH_RECORDS'] ?? '10000000');
const RUNS = Number(process.env['BENCH_RUNS'] ?? '5');
const QUERIES = Number(process.env['BENCH_QUERIES'] ?? '50');
// Both by default; BENCH_ENGINES=duckdb skips the SQLite load (minutes) while iterating on DuckDB.
const ENGINES = (process.env['BENCH_ENGINES'] ?? 'sqlite,duckdb').split(',') as RecordEngine[];
const ENIS = 1000;
const DAYS = 7;
const T0 = Math.floor(Date.UTC(2026, 10, 1) / 1000);
const SPAN = DAYS * 86_400;
const HOUR = 3600;
const DAY = 86_400;

const indexSql = MIGRATIONS.flatMap((m) => m.statements).filter((s) =>
  s.startsWith('CREATE INDEX log_records_'),
);

const eniName = (n: number): string => `eni-bench${String(n).padStart(5, '0')}`;

/** Record `i` of the data set (both engines get exactly these). */
function record(i: number): RecordRow {
  const time = T0 + Math.floor((i / RECORDS) * SPAN);
  const eni = i % ENIS;
  const out = i % 2 === 0;
  const local = `10.0.${eni >> 8}.${eni & 255}`;
  const peer = `172.16.${(i >> 8) & 255}.${i & 255}`;
  return {
    region_id: 'cn-hangzhou',
    project_name: 'bench',
    logstore_name: 'flows',
    flow_log_id: 'fl-bench',
    time,
    topic: 'flow_log',
    source: '10.255.0.1',
    version: 1,
    vswitch_id: 'vsw-bench',
    vm_id: '',
    vpc_id: 'vpc-bench',
    account_id: DEV_ACCOUNT_ID,
    eni_id: eniName(eni),
    region: 'cn-hangzhou',
    srcaddr: out ? local : peer,
    srcport: 30000 + (i % 20000),
    dstaddr: out ? peer : local,
    dstport: 443,
    protocol: 6,
    direction: out ? 'out' : 'in',
    packets: 1 + (i % 50),
    bytes: 100 + (i % 9000),
    start: time,
    end: time + 60,
    log_status: 'OK',
    action: 'ACCEPT',
    tcp_flags: 24,
  };
}

async function createTarget(dir: string, engine: RecordEngine): Promise<void> {
  const store = await openStore({ dataDir: dir, inMemory: false, recordStore: engine });
  const now = Date.now();
  await store.repos.logs.insertProject({
    region_id: 'cn-hangzhou',
    project_name: 'bench',
    account_id: DEV_ACCOUNT_ID,
    description: '',
    created_at: now,
    updated_at: now,
  });
  await store.repos.logs.insertLogstore({
    region_id: 'cn-hangzhou',
    project_name: 'bench',
    logstore_name: 'flows',
    ttl_days: 3650,
    shard_count: 2,
    created_at: now,
    updated_at: now,
  });
  await store.close();
}

async function loadSqlite(dir: string): Promise<void> {
  await createTarget(dir, 'sqlite');
  const db = new Database(join(dir, SQLITE_FILE));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  for (const name of ['log_records_time', 'log_records_eni']) db.exec(`DROP INDEX ${name}`);
  const cols = Object.keys(record(0));
  const insert = db.prepare(
    `INSERT INTO log_records (${cols.map((c) => `"${c}"`).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`,
  );
  const t = performance.now();
  const batch = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) insert.run(...Object.values(record(i)));
  });
  for (let i = 0; i < RECORDS; i += 100_000) batch(i, Math.min(RECORDS, i + 100_000));
  const loadMs = performance.now() - t;
  for (const sql of indexSql) db.exec(sql);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  process.stderr.write(
    `sqlite: loaded ${RECORDS} records in ${Math.round(loadMs / 1000)} s, indexes in ${Math.round((performance.now() - t - loadMs) / 1000)} s\n`,
  );
}

/**
 * The same records as `record(i)`, generated inside DuckDB (`range`), in the same order: the appender
 * would take minutes for 10 million rows on a loaded 2-core machine, and the load is not what this
 * benchmark measures (bench:ingest exercises the appender).
 */
async function loadDuckDb(dir: string): Promise<void> {
  await createTarget(dir, 'duckdb');
  const t = performance.now();
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(join(dir, DUCKDB_FILE), { threads: '2' });
  const c = await instance.connect();
  const eni = `i % ${ENIS}`;
  const local = `'10.0.' || ((${eni}) >> 8) || '.' || ((${eni}) & 255)`;
  const peer = `'172.16.' || ((i >> 8) & 255) || '.' || (i & 255)`;
  const time = `${T0} + CAST(floor((i::DOUBLE / ${RECORDS}) * ${SPAN}) AS BIGINT)`;
  await c.run(`INSERT INTO log_records
    SELECT 'cn-hangzhou', 'bench', 'flows', 'fl-bench', ${time}, 'flow_log', '10.255.0.1', 1, 'vsw-bench', '',
      'vpc-bench', '${DEV_ACCOUNT_ID}', 'eni-bench' || lpad((${eni})::VARCHAR, 5, '0'), 'cn-hangzhou',
      CASE WHEN i % 2 = 0 THEN ${local} ELSE ${peer} END, 30000 + i % 20000,
      CASE WHEN i % 2 = 0 THEN ${peer} ELSE ${local} END, 443, 6,
      CASE WHEN i % 2 = 0 THEN 'out' ELSE 'in' END, 1 + i % 50, 100 + i % 9000,
      ${time}, ${time} + 60, 'OK', 'ACCEPT', 24, 1
    FROM range(${RECORDS}) AS r(i) ORDER BY i`);
  // logstore_key 1 is the logstore's number in record_logstores (src/store/records/duckdb-records.ts).
  await c.run("INSERT INTO record_logstores VALUES (1, 'cn-hangzhou', 'bench', 'flows')");
  await c.run('CHECKPOINT');
  c.closeSync();
  instance.closeSync();
  // The generated rows are exactly record(i): spot-check a few against the JavaScript definition.
  const records = await DuckDbRecordStore.open({
    path: join(dir, DUCKDB_FILE),
    memoryLimit: '1GB',
    threads: 1,
  });
  for (const i of [0, 1, 257, RECORDS - 1]) {
    const [got] = await records.query(
      'SELECT * EXCLUDE (logstore_key) FROM log_records ORDER BY rowid LIMIT 1 OFFSET $1::BIGINT',
      [i],
    );
    if (JSON.stringify(got) !== JSON.stringify(record(i))) {
      throw new Error(
        `generated record ${i} differs: ${JSON.stringify(got)} vs ${JSON.stringify(record(i))}`,
      );
    }
  }
  await records.close();
  process.stderr.write(
    `duckdb: loaded ${RECORDS} records in ${Math.round((performance.now() - t) / 1000)} s\n`,
  );
}

function startServer(dir: string, engine: RecordEngine): Promise<{ proc: ChildProcess; url: string }> {
  const proc = spawn(
    process.execPath,
    [
      'dist/cli/main.js',
      'serve',
      '--port',
      '0',
      '--data',
      dir,
      '--record-store',
      engine,
      '--throttle-rps',
      '0',
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, VPCFLOW_LOG_LEVEL: 'warn' } },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (\S+)/.exec(out);
      if (m) resolve({ proc, url: m[1]! });
    });
    proc.once('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
}

async function stopServer(proc: ChildProcess): Promise<void> {
  const exited = new Promise((r) => proc.once('exit', r));
  proc.kill('SIGTERM');
  await exited;
}

interface Case {
  name: string;
  /** Each run's parameters (from, to, query); varied per run so no answer is cached anywhere. */
  run: (k: number) => { from: number; to: number; query: string; line?: string };
}

// A fixed pseudo-random sequence, so every run asks the same questions.
let seed = 42;
const rand = (n: number): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n;
const hourAt = (k: number): number => T0 + ((k * 37) % (DAYS * 24)) * HOUR;
const dayAt = (k: number): number => T0 + (k % DAYS) * DAY;
const TOP = '* | select srcaddr, sum(bytes) as b group by srcaddr order by b desc limit 10';

const CASES: Case[] = [
  {
    name: '`* \\| select count(*)` over 7 days',
    run: () => ({ from: T0, to: T0 + SPAN, query: '* | select count(*)' }),
  },
  {
    name: 'top 10 source addresses by bytes, 1 hour',
    run: (k) => ({ from: hourAt(k), to: hourAt(k) + HOUR, query: TOP }),
  },
  {
    name: 'top 10 source addresses by bytes, 1 day',
    run: (k) => ({ from: dayAt(k), to: dayAt(k) + DAY, query: TOP }),
  },
  { name: 'top 10 source addresses by bytes, 7 days', run: () => ({ from: T0, to: T0 + SPAN, query: TOP }) },
  {
    name: 'bytes per hour over 1 day',
    run: (k) => ({
      from: dayAt(k),
      to: dayAt(k) + DAY,
      query:
        '* | select __time__ - __time__ % 3600 as hour, sum(bytes) as b group by hour order by hour limit 24',
    }),
  },
  {
    name: 'one ENI, 7 days, first 100 records',
    run: () => ({ from: T0, to: T0 + SPAN, query: `eni-id: ${eniName(rand(ENIS))}`, line: '100' }),
  },
  {
    name: 'one ENI, 1 hour, first 100 records',
    run: (k) => ({
      from: hourAt(k),
      to: hourAt(k) + HOUR,
      query: `eni-id: ${eniName(rand(ENIS))}`,
      line: '100',
    }),
  },
];

/** One GetLogs request per run `k` of the case; the times in run order. */
async function timeRuns(url: string, c: Case, runs: number): Promise<number[]> {
  const times: number[] = [];
  for (let k = 0; k < runs; k++) {
    const p = c.run(k);
    const t = performance.now();
    const res = await slsGetLogs({
      endpoint: url,
      project: 'bench',
      logstore: 'flows',
      accessKeyId: DEV_ACCESS_KEY_ID,
      accessKeySecret: DEV_ACCESS_KEY_SECRET,
      params: { from: String(p.from), to: String(p.to), query: p.query, line: p.line ?? '100' },
      timeoutMs: 900_000, // SQLite takes tens of seconds for a week of records on a loaded machine
    });
    if (res.status !== 200) throw new Error(`GetLogs failed: ${res.status} ${res.body}`);
    times.push(performance.now() - t);
  }
  return times;
}

/**
 * Warm: every run's question is asked once first (its records read into the engine's cache; the
 * first read of a range is reported apart), then all of them again, timed. Sorted times of both passes.
 */
async function measure(url: string, c: Case, runs: number): Promise<{ warm: number[]; first: number[] }> {
  seed = 42;
  const first = await timeRuns(url, c, runs);
  seed = 42;
  const warm = await timeRuns(url, c, runs);
  const sort = (t: number[]): number[] => t.sort((a, b) => a - b);
  return { warm: sort(warm), first: sort(first) };
}

const pct = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;

function dirBytes(dir: string, prefix: string): number {
  if (!existsSync(dir)) return 0;
  return readdirSync(dir)
    .filter((f) => f.startsWith(prefix))
    .reduce((sum, f) => sum + statSync(join(dir, f)).size, 0);
}

const base = mkdtempSync(join(tmpdir(), 'vpcflow-getlogs-'));
const dirs = { sqlite: join(base, 'sqlite'), duckdb: join(base, 'duckdb') };
try {
  if (ENGINES.includes('sqlite')) await loadSqlite(dirs.sqlite);
  if (ENGINES.includes('duckdb')) await loadDuckDb(dirs.duckdb);
  const results = new Map<string, Record<RecordEngine, number[]>>();
  const firstReads = new Map<string, number[]>();
  for (const engine of ENGINES) {
    const server = await startServer(dirs[engine], engine);
    try {
      for (const c of CASES) {
        const runs = c.name.startsWith('one ENI') ? QUERIES : RUNS;
        const { warm, first } = await measure(server.url, c, runs);
        const entry = results.get(c.name) ?? { sqlite: [], duckdb: [] };
        entry[engine] = warm;
        results.set(c.name, entry);
        if (engine === 'duckdb') firstReads.set(c.name, first);
        process.stderr.write(
          `${engine}: ${c.name}: p50 ${pct(warm, 0.5).toFixed(1)} ms (first read ${pct(first, 0.5).toFixed(1)} ms)\n`,
        );
      }
    } finally {
      await stopServer(server.proc);
    }
  }
  const sqliteBytes = dirBytes(dirs.sqlite, 'vpcflow.sqlite');
  const duckBytes = dirBytes(dirs.duckdb, DUCKDB_FILE);
  const f = (sorted: number[]): string =>
    `${pct(sorted, 0.5).toFixed(1)} ms (max ${(sorted[sorted.length - 1] ?? 0).toFixed(1)})`;
  const rows = [...results].map(([name, r]) => {
    const speedup = pct(r.sqlite, 0.5) / Math.max(0.001, pct(r.duckdb, 0.5));
    const first = firstReads.get(name) ?? [];
    return `| ${name} | ${f(r.sqlite)} | ${f(r.duckdb)} | ${speedup.toFixed(1)}× | ${pct(first, 0.5).toFixed(1)} ms |`;
  });
  const mib = (b: number): string => `${(b / 1048576).toFixed(0)} MiB`;
  const report = [
    '# bench:getlogs results',
    '',
    `${new Date().toISOString().slice(0, 10)}, \`npm run bench:getlogs\`, ${RECORDS.toLocaleString('en-US')} records over ${DAYS} days and ${ENIS} ENIs, GetLogs over HTTP (signed SLS v1), warm (every run's question asked once before the timed pass; the last column is DuckDB's p50 of that first pass, its records read from the file), p50 of ${RUNS} runs (${QUERIES} for the one-ENI searches, a different ENI each), both engines in the same run; Node ${process.version}, 2 cores.`,
    '',
    '| query | SQLite rows (`--record-store sqlite`) | DuckDB (default) | speed-up | DuckDB, first read of the range |',
    '|---|---:|---:|---:|---:|',
    ...rows,
    `| size on disk | ${mib(sqliteBytes)} (${(sqliteBytes / RECORDS).toFixed(0)} B per record) | ${mib(duckBytes)} (${(duckBytes / RECORDS).toFixed(1)} B per record) | | |`,
    '',
    'Targets (issue 9): top 10 talkers over 7 days under 250 ms p50; every query at least 10× faster than SQLite except single-ENI pages, which stay under 25 ms; under 40 bytes per record on disk.',
    '',
  ].join('\n');
  // Only a run of both engines is a result: the comparison is the point.
  if (ENGINES.length === 2) {
    writeFileSync(
      join(ROOT, RECORDS === 10_000_000 ? 'bench/results/getlogs.md' : `bench/results/getlogs-${RECORDS}.md`),
      report,
    );
  }
  process.stdout.write(report);
} finally {
  rmSync(base, { recursive: true, force: true });
}
