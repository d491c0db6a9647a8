/**
 * bench:describe — DescribeFlowLogs over real HTTP with signed requests, at 10k and 100k flow logs,
 * against a bare node:http baseline measured in the same run. Not a test: it reports, it does not fail.
 *
 *   npm run bench:describe                 (builds first; BENCH_SIZES=10000,100000 BENCH_SECONDS=10 BENCH_CONCURRENCY=16)
 *   BENCH_SIZES=1000000 BENCH_PG_SIZE=1000000 npm run bench:describe      (the million of issue 11)
 *
 * The mix (bench/describe-mix.ts) is reported as a whole and per filter, next to each filter alone with
 * every answer computed afresh (BENCH_COLD_SECONDS per filter, default 2).
 *
 * Then, when PostgreSQL is installed (BENCH_POSTGRES=0 skips it): the same mix at BENCH_PG_SIZE flow logs
 * (default: the first size) on a throwaway cluster (test/support/postgres-cluster.ts), served by 1, 2
 * and 3 nodes with `--database-url`, requests spread round robin over the nodes as a load balancer
 * would, next to the SQLite figure of the same size from this run.
 *
 * Processes: the vpcflow server and the baseline each run alone in a child process; the load
 * generator is a third process, so the server's core is not shared with the client.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Latencies, LoadResult, LoadSpec, MixEntry } from './describe-load.js';
import { bumpEntry, LABELS, requestMix } from './describe-mix.js';
import { populate } from './describe-populate.js';
import { findPostgresBin, startPostgresCluster } from '../test/support/postgres-cluster.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SIZES = (process.env['BENCH_SIZES'] ?? '10000,100000').split(',').map(Number);
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? '10');
const CONCURRENCY = Number(process.env['BENCH_CONCURRENCY'] ?? '16');
const PG_SIZE = Number(process.env['BENCH_PG_SIZE'] ?? SIZES[0]);
const PG_NODES = [1, 2, 3];
const STARTED_LOAD = loadavg()[0]!.toFixed(2);
/** Per filter, alone on one connection, every answer computed afresh (see coldByFilter). */
const COLD_SECONDS = Number(process.env['BENCH_COLD_SECONDS'] ?? '2');

/** Starts a node child: `.ts` entry points through tsx, compiled `.js` (what `npm start` runs) as they are. */
function startChild(
  args: string[],
  ready: RegExp,
  env: Record<string, string> = {},
): Promise<{ proc: ChildProcess; url: string }> {
  const loader = args[0]?.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const proc = spawn(process.execPath, [...loader, ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, VPCFLOW_LOG_LEVEL: 'warn', ...env },
  });
  return new Promise((resolve, reject) => {
    let out = '';
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = ready.exec(out);
      if (m) resolve({ proc, url: m[1]! });
    });
    proc.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}`)));
  });
}

function load(spec: LoadSpec): Promise<LoadResult> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'bench/describe-load.ts'], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  proc.stdin.end(JSON.stringify(spec));
  return new Promise((resolve, reject) => {
    let out = '';
    proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
    proc.once('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out) as LoadResult) : reject(new Error(`load exited ${code}`)),
    );
  });
}

function peakRssMb(pid: number | undefined): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? '0');
    return Math.round(kb / 1024);
  } catch {
    return 0;
  }
}

async function stop(proc: ChildProcess): Promise<void> {
  const exited = new Promise((r) => proc.once('exit', r));
  proc.kill('SIGTERM');
  await exited;
}

/**
 * Each filter of the mix alone, one request at a time, with a write before each (untimed) so the
 * answer cache never answers: what a page costs when nobody asked for it since the last change.
 */
async function coldByFilter(
  urls: string[],
  mix: MixEntry[],
  bump: MixEntry,
): Promise<Record<string, Latencies>> {
  const out: Record<string, Latencies> = {};
  for (const label of LABELS) {
    const result = await load({
      url: urls[0]!,
      urls,
      durationMs: COLD_SECONDS * 1000,
      concurrency: 1,
      mix: mix.filter((e) => e.label === label),
      bump,
      coldStart: 200_000,
    });
    out[label] = result.byLabel[label]!;
  }
  return out;
}

interface Row {
  size: number;
  vpcflow: LoadResult;
  cold: Record<string, Latencies>;
  baseline: LoadResult;
  rssMb: number;
}

async function benchOne(size: number): Promise<Row> {
  const dir = mkdtempSync(join(tmpdir(), 'vpcflow-bench-'));
  try {
    const t0 = performance.now();
    const pop = await populate(dir, size);
    process.stderr.write(`populated ${size} flow logs in ${Math.round(performance.now() - t0)} ms\n`);
    const mix = requestMix(pop, size);
    const server = await startChild(
      ['src/cli/main.ts', 'serve', '--port', '0', '--data', dir, '--throttle-rps', '0'],
      /listening on (\S+)/,
    );
    await load({ url: server.url, durationMs: 2000, concurrency: CONCURRENCY, mix }); // warm-up
    const vpcflow = await load({
      url: server.url,
      durationMs: SECONDS * 1000,
      concurrency: CONCURRENCY,
      mix,
      coldStart: 100_000,
    });
    const cold = await coldByFilter([server.url], mix, bumpEntry(pop));
    const rssMb = peakRssMb(server.proc.pid);
    await stop(server.proc);
    const baselineServer = await startChild(
      ['bench/baseline-server.ts', String(Math.round(vpcflow.meanBodyBytes))],
      /baseline listening on (\S+)/,
    );
    await load({ url: baselineServer.url, durationMs: 2000, concurrency: CONCURRENCY, mix });
    const baseline = await load({
      url: baselineServer.url,
      durationMs: SECONDS * 1000,
      concurrency: CONCURRENCY,
      mix,
    });
    await stop(baselineServer.proc);
    return { size, vpcflow, cold, baseline, rssMb };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface PgRow {
  nodes: number;
  result: LoadResult;
  /** With one node only. */
  cold?: Record<string, Latencies>;
  rssMb: number;
}

/** The PostgreSQL rows: one database of PG_SIZE flow logs, served by 1, 2 and 3 nodes in turn. */
async function benchPostgres(): Promise<PgRow[]> {
  const cluster = await startPostgresCluster();
  const out: PgRow[] = [];
  try {
    const url = new URL(cluster.url);
    url.pathname = '/bench';
    const admin = new (await import('pg')).default.Client({ connectionString: cluster.url });
    await admin.connect();
    await admin.query('CREATE DATABASE bench');
    await admin.end();
    const t0 = performance.now();
    const pop = await populate('', PG_SIZE, url.toString());
    process.stderr.write(
      `populated ${PG_SIZE} flow logs in PostgreSQL in ${Math.round(performance.now() - t0)} ms\n`,
    );
    const mix = requestMix(pop, PG_SIZE);
    // Every node seals and opens the AccessKey secrets with the same key.
    const env = { VPCFLOW_SECRET_KEY: 'ab'.repeat(32) };
    for (const n of PG_NODES) {
      const servers: { proc: ChildProcess; url: string }[] = [];
      try {
        for (let i = 0; i < n; i++) {
          servers.push(
            await startChild(
              [
                'src/cli/main.ts',
                'serve',
                '--port',
                '0',
                '--in-memory',
                '--database-url',
                url.toString(),
                '--throttle-rps',
                '0',
              ],
              /listening on (\S+)/,
              env,
            ),
          );
        }
        const urls = servers.map((s) => s.url);
        await load({ url: urls[0]!, urls, durationMs: 2000, concurrency: CONCURRENCY, mix }); // warm-up
        const result = await load({
          url: urls[0]!,
          urls,
          durationMs: SECONDS * 1000,
          concurrency: CONCURRENCY,
          mix,
          coldStart: 100_000,
        });
        const cold = n === 1 ? await coldByFilter(urls, mix, bumpEntry(pop)) : undefined;
        const rssMb = servers.reduce((sum, s) => sum + peakRssMb(s.proc.pid), 0);
        out.push({ nodes: n, result, rssMb, ...(cold ? { cold } : {}) });
      } finally {
        for (const s of servers) await stop(s.proc);
      }
    }
  } finally {
    await cluster.stop();
  }
  return out;
}

const rows: Row[] = [];
for (const size of SIZES) rows.push(await benchOne(size));
const withPostgres = process.env['BENCH_POSTGRES'] !== '0' && findPostgresBin() !== undefined;
const pgRows = withPostgres ? await benchPostgres() : [];
const sqliteAtPgSize = rows.find((r) => r.size === PG_SIZE);

const f1 = (n: number): string => n.toFixed(1);
const lines = [
  `# bench:describe results`,
  '',
  `${new Date().toISOString().slice(0, 10)}, \`npm run bench:describe\`, ${SECONDS} s per run, ${CONCURRENCY} connections, Node ${process.version}, ${cpus().length} cores, load average ${STARTED_LOAD} at the start and ${loadavg()[0]!.toFixed(2)} at the end (other jobs on the machine count).`,
  '',
  '| flow logs | vpcflow req/s | baseline req/s | ratio | vpcflow p50 | vpcflow p99 | baseline p99 | mean body | errors | server peak RSS |',
  '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ...rows.map(
    (r) =>
      `| ${r.size.toLocaleString('en-US')} | ${Math.round(r.vpcflow.rps)} | ${Math.round(r.baseline.rps)} | ${f1((100 * r.vpcflow.rps) / r.baseline.rps)}% | ${f1(r.vpcflow.p50Ms)} ms | ${f1(r.vpcflow.p99Ms)} ms | ${f1(r.baseline.p99Ms)} ms | ${Math.round(r.vpcflow.meanBodyBytes)} B | ${r.vpcflow.errors + r.vpcflow.non200} | ${r.rssMb} MiB |`,
  ),
  '',
  'Target (issue 3): at 100k flow logs, at least 50% of the baseline req/s and p99 under 10 ms.',
];
if (pgRows.length > 0) {
  lines.push(
    '',
    `## Several nodes on PostgreSQL (same run, ${PG_SIZE.toLocaleString('en-US')} flow logs)`,
    '',
    'Requests round robin over the nodes (as a load balancer would); the nodes, PostgreSQL and the load',
    'generator share the same cores, so this measures the cost of the shared store, not added capacity.',
    '',
    '| store | nodes | req/s | vs SQLite | p50 | p99 | errors | nodes peak RSS (sum) |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...(sqliteAtPgSize
      ? [
          `| SQLite | 1 | ${Math.round(sqliteAtPgSize.vpcflow.rps)} | 100% | ${f1(sqliteAtPgSize.vpcflow.p50Ms)} ms | ${f1(sqliteAtPgSize.vpcflow.p99Ms)} ms | ${sqliteAtPgSize.vpcflow.errors + sqliteAtPgSize.vpcflow.non200} | ${sqliteAtPgSize.rssMb} MiB |`,
        ]
      : []),
    ...pgRows.map(
      (r) =>
        `| PostgreSQL | ${r.nodes} | ${Math.round(r.result.rps)} | ${sqliteAtPgSize ? `${f1((100 * r.result.rps) / sqliteAtPgSize.vpcflow.rps)}%` : '-'} | ${f1(r.result.p50Ms)} ms | ${f1(r.result.p99Ms)} ms | ${r.result.errors + r.result.non200} | ${r.rssMb} MiB |`,
    ),
  );
}
const TARGET_MS = 25;
const pg1 = pgRows.find((r) => r.nodes === 1);
for (const r of rows) {
  const withPg = pg1 !== undefined && r.size === PG_SIZE;
  const pair = (l: Latencies | undefined): string =>
    l ? `${f1(l.p50Ms)} / ${f1(l.p99Ms)}${l.p99Ms >= TARGET_MS ? ' ✗' : ''}` : '-';
  const over: string[] = [];
  const note = (store: string, kind: string, l: Latencies | undefined, label: string): void => {
    if (l && l.p99Ms >= TARGET_MS) over.push(`${label} (${store}, ${kind})`);
  };
  lines.push(
    '',
    `## Per filter at ${r.size.toLocaleString('en-US')} flow logs (p50 / p99 in ms)`,
    '',
    `"mix": the ${CONCURRENCY}-connection run above, where a repeated request is answered from the answer cache`,
    `(valid until the next write), except the cold page (another page every time). "cold": the filter alone`,
    `on one connection for ${COLD_SECONDS} s, a write (TagResources on a VPC, untimed) before every request so`,
    `no answer comes from the cache. Target (issue 11): p99 under ${TARGET_MS} ms for every filter; ✗ marks a miss.`,
    '',
    `| filter | SQLite mix | SQLite cold |${withPg ? ' PostgreSQL mix | PostgreSQL cold |' : ''}`,
    `|---|---:|---:|${withPg ? '---:|---:|' : ''}`,
    ...LABELS.map((label) => {
      note('SQLite', 'mix', r.vpcflow.byLabel[label], label);
      note('SQLite', 'cold', r.cold[label], label);
      if (withPg) {
        note('PostgreSQL', 'mix', pg1.result.byLabel[label], label);
        note('PostgreSQL', 'cold', pg1.cold?.[label], label);
      }
      return `| ${label} | ${pair(r.vpcflow.byLabel[label])} | ${pair(r.cold[label])} |${withPg ? ` ${pair(pg1.result.byLabel[label])} | ${pair(pg1.cold?.[label])} |` : ''}`;
    }),
    '',
    over.length === 0
      ? `Every filter under ${TARGET_MS} ms at p99.`
      : `At or above ${TARGET_MS} ms at p99: ${over.join('; ')}.`,
  );
}
const report = `${lines.join('\n')}\n`;
writeFileSync(join(ROOT, 'bench/results/describe.md'), report);
process.stdout.write(report);
