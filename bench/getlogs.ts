/**
 * bench:getlogs — GetLogs over many stored records: a one-hour, one-ENI search through the SLS API over
 * HTTP (signed, as `vpcflow logs query` sends it), next to the same search run directly in SQLite in this
 * process (the baseline: what the storage alone costs). Not a test: it reports, it does not fail.
 *
 *   npm run bench:getlogs                  (builds first; BENCH_RECORDS=10000000 BENCH_QUERIES=50)
 *
 * The records are bulk-loaded with the log_records indexes dropped and rebuilt afterwards, as a restore
 * would; the server then opens the database as usual.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
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
import { openStore } from '../src/store/store.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RECORDS = Number(process.env['BENCH_RECORDS'] ?? '10000000');
const QUERIES = Number(process.env['BENCH_QUERIES'] ?? '50');
const ENIS = 1000;
const DAYS = 7;
const T0 = Math.floor(Date.UTC(2026, 10, 1) / 1000);
const SPAN = DAYS * 86_400;

const indexSql = MIGRATIONS.flatMap((m) => m.statements).filter((s) =>
  s.startsWith('CREATE INDEX log_records_'),
);

async function load(dir: string): Promise<number> {
  const store = await openStore({ dataDir: dir, inMemory: false });
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
  const db = new Database(join(dir, 'vpcflow.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  for (const name of ['log_records_time', 'log_records_eni']) db.exec(`DROP INDEX ${name}`);
  const insert = db.prepare(
    `INSERT INTO log_records (region_id, project_name, logstore_name, flow_log_id, time, topic, source, version, vswitch_id,
       vm_id, vpc_id, account_id, eni_id, region, srcaddr, srcport, dstaddr, dstport, protocol, direction, packets, bytes,
       start, "end", log_status, action, tcp_flags)
     VALUES ('cn-hangzhou', 'bench', 'flows', 'fl-bench', ?, 'flow_log', '10.255.0.1', 1, 'vsw-bench', '', 'vpc-bench',
       '${DEV_ACCOUNT_ID}', ?, 'cn-hangzhou', ?, ?, ?, ?, 6, ?, ?, ?, ?, ?, 'OK', 'ACCEPT', 24)`,
  );
  const t = performance.now();
  const batch = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const time = T0 + Math.floor((i / RECORDS) * SPAN);
      const eni = i % ENIS;
      const out = i % 2 === 0;
      const local = `10.0.${eni >> 8}.${eni & 255}`;
      const peer = `172.16.${(i >> 8) & 255}.${i & 255}`;
      insert.run(
        time,
        `eni-bench${String(eni).padStart(5, '0')}`,
        out ? local : peer,
        30000 + (i % 20000),
        out ? peer : local,
        443,
        out ? 'out' : 'in',
        1 + (i % 50),
        100 + (i % 9000),
        time,
        time + 60,
      );
    }
  });
  for (let i = 0; i < RECORDS; i += 100_000) batch(i, Math.min(RECORDS, i + 100_000));
  const loadMs = performance.now() - t;
  for (const sql of indexSql) db.exec(sql);
  process.stderr.write(
    `loaded ${RECORDS} records in ${Math.round(loadMs / 1000)} s, indexes in ${Math.round((performance.now() - t - loadMs) / 1000)} s\n`,
  );
  db.close();
  return loadMs;
}

function startServer(dir: string): Promise<{ proc: ChildProcess; url: string }> {
  const proc = spawn(
    process.execPath,
    ['dist/cli/main.js', 'serve', '--port', '0', '--data', dir, '--throttle-rps', '0'],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, VPCFLOW_LOG_LEVEL: 'warn' },
    },
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

const pct = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;

const dir = mkdtempSync(join(tmpdir(), 'vpcflow-getlogs-'));
try {
  await load(dir);
  const server = await startServer(dir);
  // A fixed pseudo-random sequence of (ENI, hour), so every run asks the same questions.
  let seed = 42;
  const rand = (n: number): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n;
  const cases = Array.from({ length: QUERIES }, () => ({
    eni: `eni-bench${String(rand(ENIS)).padStart(5, '0')}`,
    from: T0 + rand(DAYS * 24) * 3600,
  }));
  const http: number[] = [];
  let rows = 0;
  for (const c of [...cases.slice(0, 3), ...cases]) {
    const t = performance.now();
    const res = await slsGetLogs({
      endpoint: server.url,
      project: 'bench',
      logstore: 'flows',
      accessKeyId: DEV_ACCESS_KEY_ID,
      accessKeySecret: DEV_ACCESS_KEY_SECRET,
      params: { from: String(c.from), to: String(c.from + 3600), query: `eni-id: ${c.eni}`, line: '100' },
    });
    if (res.status !== 200) throw new Error(`GetLogs failed: ${res.status} ${res.body}`);
    http.push(performance.now() - t);
    rows += (JSON.parse(res.body) as unknown[]).length;
  }
  http.splice(0, 3); // warm-up
  const exited = new Promise((r) => server.proc.once('exit', r));
  server.proc.kill('SIGTERM');
  await exited;

  // Baseline: the storage alone, the same search straight in SQLite.
  const db = new Database(join(dir, 'vpcflow.sqlite'), { readonly: true });
  const stmt = db.prepare(
    `SELECT * FROM log_records WHERE region_id = 'cn-hangzhou' AND project_name = 'bench' AND logstore_name = 'flows'
       AND eni_id = ? AND time >= ? AND time < ? ORDER BY +time LIMIT 100`,
  );
  const raw: number[] = [];
  for (const c of cases) {
    const t = performance.now();
    stmt.all(c.eni, c.from, c.from + 3600);
    raw.push(performance.now() - t);
  }
  db.close();
  const fileMb = Math.round(statSync(join(dir, 'vpcflow.sqlite')).size / 1048576);
  http.sort((a, b) => a - b);
  raw.sort((a, b) => a - b);
  const f = (n: number): string => n.toFixed(2);
  const report = [
    '# bench:getlogs results',
    '',
    `${new Date().toISOString().slice(0, 10)}, \`npm run bench:getlogs\`, ${RECORDS.toLocaleString('en-US')} records over ${DAYS} days and ${ENIS} ENIs (${fileMb} MiB database), ${QUERIES} one-hour one-ENI searches (\`eni-id: X\`, \`line=100\`), Node ${process.version}, 2 cores.`,
    '',
    '| | p50 | p99 | max |',
    '|---|---:|---:|---:|',
    `| GetLogs over HTTP (signed SLS v1) | ${f(pct(http, 0.5))} ms | ${f(pct(http, 0.99))} ms | ${f(http[http.length - 1] ?? 0)} ms |`,
    `| baseline: the same search in SQLite, in process | ${f(pct(raw, 0.5))} ms | ${f(pct(raw, 0.99))} ms | ${f(raw[raw.length - 1] ?? 0)} ms |`,
    '',
    `Mean rows per answer: ${(rows / (QUERIES + 3)).toFixed(1)}. Target (issue 5): under 100 ms at 10 million records.`,
    '',
  ].join('\n');
  writeFileSync(join(ROOT, 'bench/results/getlogs.md'), report);
  process.stdout.write(report);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
