/**
 * bench:describe — DescribeFlowLogs over real HTTP with signed requests, at 10k and 100k flow logs,
 * against a bare node:http baseline measured in the same run. Not a test: it reports, it does not fail.
 *
 *   npm run bench:describe                 (builds first; BENCH_SIZES=10000,100000 BENCH_SECONDS=10 BENCH_CONCURRENCY=16)
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
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LoadResult, LoadSpec } from './describe-load.js';
import { populate, type Population } from './describe-populate.js';
import { findPostgresBin, startPostgresCluster } from '../test/support/postgres-cluster.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SIZES = (process.env['BENCH_SIZES'] ?? '10000,100000').split(',').map(Number);
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? '10');
const CONCURRENCY = Number(process.env['BENCH_CONCURRENCY'] ?? '16');
const PG_SIZE = Number(process.env['BENCH_PG_SIZE'] ?? SIZES[0]);
const PG_NODES = [1, 2, 3];

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

/** A mix of filters and pages, spread over every account and region. */
function requestMix(pop: Population): LoadSpec['mix'] {
  const mix: LoadSpec['mix'] = [];
  for (const scope of pop.scopes) {
    const account = pop.accounts.find((a) => a.accountId === scope.accountId)!;
    const base = { accessKeyId: account.accessKeyId, secret: account.secret };
    const r = scope.regionId;
    const variants: Record<string, string>[] = [
      { RegionId: r },
      { RegionId: r, PageSize: '50', PageNumber: '3' },
      { RegionId: r, PageNumber: '40' },
      { RegionId: r, VpcId: scope.vpcIds[1]! },
      { RegionId: r, VpcId: scope.vpcIds[2]!, PageSize: '50' },
      { RegionId: r, ResourceId: scope.eniIds[7]! },
      { RegionId: r, FlowLogId: scope.flowLogIds[3] ?? scope.flowLogIds[0]! },
      { RegionId: r, Status: 'Inactive', TrafficType: 'All' },
      { RegionId: r, 'Tags.1.Key': 'team', 'Tags.1.Value': 't4' },
      { RegionId: r, 'Tags.1.Key': 'team', 'Tags.1.Value': 't0', 'Tags.2.Key': 'env', 'Tags.2.Value': 'dev' },
      { RegionId: r, FlowLogName: 'flowlog-42', ResourceType: 'NetworkInterface' },
      {
        RegionId: r,
        Description: 'tier web',
        LogStoreName: 'store-b',
        ProjectName: `bench-${scope.accountId.slice(-4)}`,
      },
    ];
    for (const params of variants) mix.push({ ...base, params });
  }
  return mix;
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

interface Row {
  size: number;
  vpcflow: LoadResult;
  baseline: LoadResult;
  rssMb: number;
}

async function benchOne(size: number): Promise<Row> {
  const dir = mkdtempSync(join(tmpdir(), 'vpcflow-bench-'));
  try {
    const t0 = performance.now();
    const pop = await populate(dir, size);
    process.stderr.write(`populated ${size} flow logs in ${Math.round(performance.now() - t0)} ms\n`);
    const mix = requestMix(pop);
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
    });
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
    return { size, vpcflow, baseline, rssMb };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface PgRow {
  nodes: number;
  result: LoadResult;
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
    const mix = requestMix(pop);
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
        });
        const rssMb = servers.reduce((sum, s) => sum + peakRssMb(s.proc.pid), 0);
        out.push({ nodes: n, result, rssMb });
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
  `${new Date().toISOString().slice(0, 10)}, \`npm run bench:describe\`, ${SECONDS} s per run, ${CONCURRENCY} connections, Node ${process.version}, ${rows[0] ? '' : ''}2 cores.`,
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
const report = `${lines.join('\n')}\n`;
writeFileSync(join(ROOT, 'bench/results/describe.md'), report);
process.stdout.write(report);
