/**
 * `npm run bench:ingest`: IPFIX over loopback UDP at a fixed rate for a fixed time, into vpcflow
 * (`vpcflow serve --collector`, a child process with a file store) and then into nfdump's nfcapd, in
 * the same run, from the same generator (many exporters, many ENIs, a fixed 5-tuple population).
 * Reports flows/s decoded, aggregated and stored, loss (sent vs counted), CPU and RSS of each receiver.
 *
 *   npm run bench:ingest -- [--rate 100000] [--seconds 10] [--exporters 16] [--enis 500] [--tuples 50000] [--postgres auto|off]
 *
 * Then, when PostgreSQL is installed (`--postgres off` skips it): the same traffic into 1, 2 and 3
 * nodes sharing a throwaway PostgreSQL cluster (test/support/postgres-cluster.ts) with `--database-url`,
 * each exporter sent to one node (exporter i to node i mod N, as a UDP load balancer hashing on the
 * source address would), counters and CPU summed over the nodes, next to the SQLite row of this run.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values: opts } = parseArgs({
  options: {
    generate: { type: 'boolean' },
    port: { type: 'string' },
    ports: { type: 'string' },
    postgres: { type: 'string', default: 'auto' },
    rate: { type: 'string', default: '100000' },
    seconds: { type: 'string', default: '10' },
    exporters: { type: 'string', default: '16' },
    enis: { type: 'string', default: '500' },
    tuples: { type: 'string', default: '50000' },
  },
});
const RATE = Number(opts.rate);
const SECONDS = Number(opts.seconds);
const EXPORTERS = Number(opts.exporters);
const ENIS = Number(opts.enis);
const TUPLES = Number(opts.tuples);
const RECORDS_PER_PACKET = 30;
const TEMPLATE_ID = 256;
// sourceIPv4Address, destinationIPv4Address, sourceTransportPort, destinationTransportPort, protocolIdentifier,
// tcpControlBits, packetDeltaCount (8), octetDeltaCount (8), flowStartMilliseconds, flowEndMilliseconds.
const FIELDS: [number, number][] = [
  [8, 4],
  [12, 4],
  [7, 2],
  [11, 2],
  [4, 1],
  [6, 1],
  [2, 8],
  [1, 8],
  [152, 8],
  [153, 8],
];
const RECORD_LEN = FIELDS.reduce((n, [, l]) => n + l, 0);
const eniIp = (i: number): string => `10.${20 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`;

// ---------------------------------------------------------------------------------------------- generator

function templateSet(): Buffer {
  const b = Buffer.alloc(4 + 4 + FIELDS.length * 4);
  b.writeUInt16BE(2, 0);
  b.writeUInt16BE(b.length, 2);
  b.writeUInt16BE(TEMPLATE_ID, 4);
  b.writeUInt16BE(FIELDS.length, 6);
  FIELDS.forEach(([id, len], i) => {
    b.writeUInt16BE(id, 8 + i * 4);
    b.writeUInt16BE(len, 10 + i * 4);
  });
  return b;
}

/** Sends every exporter's datagrams to one of `ports` (exporter i to ports[i mod N]). */
async function generate(ports: number[]): Promise<void> {
  // A fixed population of 5-tuples: ENI source, one of 2,000 peers, ephemeral port, a service port.
  let seed = 42;
  const rnd = (n: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 8) % n;
  };
  const tuples = Array.from({ length: TUPLES }, () => ({
    src: Buffer.from(eniIp(rnd(ENIS)).split('.').map(Number)),
    dst: Buffer.from([198, 18, rnd(8), rnd(250) + 1]),
    sport: 32768 + rnd(28000),
    dport: [443, 80, 53, 22, 8080, 3306][rnd(6)]!,
    proto: 6,
  }));
  const sockets = await Promise.all(
    Array.from(
      { length: EXPORTERS },
      () =>
        new Promise<ReturnType<typeof createSocket>>((resolve) => {
          const s = createSocket('udp4');
          s.bind(0, '127.0.0.1', () => resolve(s));
        }),
    ),
  );
  const seq = new Array<number>(EXPORTERS).fill(0);
  const tmpl = templateSet();
  let sent = 0;
  let datagrams = 0;
  let next = 0;
  const started = Date.now();
  const total = RATE * SECONDS;
  const tickMs = 5;
  while (sent < total) {
    const due = Math.min(total, Math.floor(((Date.now() - started) / 1000) * RATE));
    const sends: Promise<void>[] = [];
    while (sent < due) {
      const n = Math.min(RECORDS_PER_PACKET, total - sent);
      const e = datagrams % EXPORTERS;
      const withTemplate = seq[e] === 0 || datagrams % 200 < EXPORTERS;
      const body = Buffer.alloc(4 + n * RECORD_LEN);
      body.writeUInt16BE(TEMPLATE_ID, 0);
      body.writeUInt16BE(body.length, 2);
      const now = Date.now();
      let o = 4;
      for (let i = 0; i < n; i++) {
        const t = tuples[next++ % tuples.length]!;
        t.src.copy(body, o);
        t.dst.copy(body, o + 4);
        body.writeUInt16BE(t.sport, o + 8);
        body.writeUInt16BE(t.dport, o + 10);
        body[o + 12] = t.proto;
        body[o + 13] = 0x18;
        body.writeBigUInt64BE(BigInt(1 + (i % 9)), o + 14);
        body.writeBigUInt64BE(BigInt(100 + i * 37), o + 22);
        body.writeBigUInt64BE(BigInt(now - 2000), o + 30);
        body.writeBigUInt64BE(BigInt(now - 100), o + 38);
        o += RECORD_LEN;
      }
      const header = Buffer.alloc(16);
      const msg = withTemplate ? [header, tmpl, body] : [header, body];
      const len = msg.reduce((s, b) => s + b.length, 0);
      header.writeUInt16BE(10, 0);
      header.writeUInt16BE(len, 2);
      header.writeUInt32BE(Math.floor(now / 1000), 4);
      header.writeUInt32BE(seq[e]!, 8);
      header.writeUInt32BE(e + 1, 12);
      seq[e] = (seq[e]! + n) >>> 0;
      sends.push(new Promise((r) => sockets[e]!.send(msg, ports[e % ports.length]!, '127.0.0.1', () => r())));
      sent += n;
      datagrams++;
    }
    await Promise.all(sends);
    await new Promise((r) => setTimeout(r, tickMs));
  }
  const elapsed = (Date.now() - started) / 1000;
  for (const s of sockets) s.close();
  process.stdout.write(`${JSON.stringify({ sent, datagrams, elapsed })}\n`);
}

// ---------------------------------------------------------------------------------------------- harness

const CLK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK;
}
function rssPeakMb(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function runGenerator(
  port: number | number[],
): Promise<{ sent: number; datagrams: number; elapsed: number }> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      fileURLToPath(import.meta.url),
      '--generate',
      '--ports',
      (Array.isArray(port) ? port : [port]).join(','),
      ...passArgs(),
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  await new Promise((r) => child.once('exit', r));
  return JSON.parse(out.trim().split('\n').pop()!) as { sent: number; datagrams: number; elapsed: number };
}

function passArgs(): string[] {
  return [
    '--rate',
    String(RATE),
    '--seconds',
    String(SECONDS),
    '--exporters',
    String(EXPORTERS),
    '--enis',
    String(ENIS),
    '--tuples',
    String(TUPLES),
  ];
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(timer);
}

/** The bench world, into the SQLite store of `dataDir` or the PostgreSQL database `databaseUrl`. */
async function seed(dataDir: string, databaseUrl?: string): Promise<void> {
  const { openStore } = await import('../src/store/store.js');
  const store = await openStore({ dataDir, inMemory: false, databaseUrl });
  const acct = '1234567890123456';
  const now = Date.now();
  await store.db.run('INSERT INTO accounts (account_id, created_at) VALUES (?, ?) ON CONFLICT DO NOTHING', [
    acct,
    now,
  ]);
  await store.db.transaction(async (tx) => {
    await tx.run(
      `INSERT INTO vpcs VALUES ('vpc-bench', ?, 'cn-hangzhou', 'bench', '', '10.0.0.0/8', 'Available', 'rg-bench', 0, ?)`,
      [acct, now],
    );
    await tx.run(
      `INSERT INTO vswitches VALUES ('vsw-bench', ?, 'cn-hangzhou', 'vpc-bench', 'cn-hangzhou-b', '10.0.0.0/8', '', '', 'Available', 'rg-bench', ?)`,
      [acct, now],
    );
    for (let i = 0; i < ENIS; i++) {
      await tx.run(
        `INSERT INTO network_interfaces VALUES (?, ?, 'cn-hangzhou', 'vpc-bench', 'vsw-bench', 'cn-hangzhou-b', '[]', ?,
           '00:16:3e:00:00:01', '', '', 'InUse', 'Secondary', '', 'rg-bench', ?)`,
        [`eni-bench${i}`, acct, eniIp(i), now],
      );
    }
    await tx.run(`INSERT INTO log_projects VALUES ('cn-hangzhou', 'bench', ?, '', ?, ?)`, [acct, now, now]);
    await tx.run(`INSERT INTO logstores VALUES ('cn-hangzhou', 'bench', 'flows', 30, 2, ?, ?)`, [now, now]);
  });
  await store.repos.flowLogs.insert({
    flow_log_id: 'fl-bench',
    account_id: acct,
    region_id: 'cn-hangzhou',
    name: '',
    description: '',
    resource_type: 'VPC',
    resource_id: 'vpc-bench',
    vpc_id: 'vpc-bench',
    traffic_type: 'All',
    project_name: 'bench',
    logstore_name: 'flows',
    status: 'Active',
    pending_status: null,
    settles_at: null,
    aggregation_interval: 1,
    traffic_path: '["all"]',
    ip_version: 'IPv4',
    log_format: '',
    resource_group_id: 'rg-bench',
    business_status: 'Normal',
    service_type: '',
    created_at: now,
  });
  // PostgreSQL: planner statistics for the loaded tables before the nodes start.
  if (databaseUrl !== undefined) await store.db.run('ANALYZE');
  await store.close();
}

/**
 * vpcflow with a file store: one node on SQLite, or `nodes` nodes on the PostgreSQL database
 * `databaseUrl` (each with its own data directory); `engine` picks the record store (`--record-store`). Counters, CPU and peak RSS
 * are summed over the nodes; the flush time is the slowest node's.
 */
async function benchVpcflow(
  databaseUrl?: string,
  nodes = 1,
  engine?: 'duckdb' | 'sqlite',
): Promise<Record<string, number>> {
  const dataDirs = Array.from({ length: nodes }, () => mkdtempSync(join(tmpdir(), 'vpcflow-bench-')));
  const children: ChildProcess[] = [];
  try {
    await seed(dataDirs[0]!, databaseUrl);
    const started = [];
    for (const dataDir of dataDirs) {
      const httpPort = await freePort();
      const udpPort = await freePort();
      const child = spawn(
        process.execPath,
        [
          'dist/cli/main.js',
          'serve',
          '--data',
          dataDir,
          '--port',
          String(httpPort),
          ...(databaseUrl ? ['--database-url', databaseUrl] : []),
          ...(engine ? ['--record-store', engine] : []),
        ],
        {
          cwd: ROOT,
          stdio: ['ignore', 'ignore', 'inherit'],
          env: {
            ...process.env,
            VPCFLOW_COLLECTOR: `127.0.0.1:${udpPort}`,
            VPCFLOW_LOG_LEVEL: 'error',
            // Nodes on one database seal and open secrets with one key.
            VPCFLOW_SECRET_KEY: 'cd'.repeat(32),
          },
        },
      );
      children.push(child);
      const base = `http://127.0.0.1:${httpPort}/_vpcflow`;
      for (let i = 0; i < 300; i++) {
        if (
          await fetch(`${base}/health`).then(
            (r) => r.ok,
            () => false,
          )
        )
          break;
        await new Promise((r) => setTimeout(r, 100));
      }
      started.push({ child, base, udpPort });
    }
    const cpu0 = started.map((s) => cpuSeconds(s.child.pid!));
    const t0 = Date.now();
    const gen = await runGenerator(started.map((s) => s.udpPort));
    await new Promise((r) => setTimeout(r, 1000));
    const f0 = Date.now();
    const flushed = await Promise.all(
      started.map(
        async (s) =>
          ((await (await fetch(`${s.base}/flush`, { method: 'POST' })).json()) as { records: number })
            .records,
      ),
    );
    const flushMs = Date.now() - f0;
    const wall = (Date.now() - t0) / 1000;
    const cpu = started.reduce((sum, s, i) => sum + cpuSeconds(s.child.pid!) - cpu0[i]!, 0);
    const rss = started.reduce((sum, s) => sum + rssPeakMb(s.child.pid!), 0);
    const counters = await Promise.all(
      started.map(
        async (s) =>
          ((await (await fetch(`${s.base}/health`)).json()) as { collector: Record<string, number> })
            .collector,
      ),
    );
    const total = (key: string): number => counters.reduce((sum, c) => sum + (c[key] ?? 0), 0);
    return {
      sent: gen.sent,
      sendSeconds: gen.elapsed,
      decoded: total('records'),
      aggregated: total('aggregated'),
      recordsStored: total('recordsDelivered'),
      flushedRecords: flushed.reduce((a, b) => a + b, 0),
      flushMs,
      malformed: total('malformed'),
      templateMisses: total('templateMisses'),
      sequenceGaps: total('sequenceGaps'),
      droppedOverload: total('droppedOverload'),
      cpuSeconds: cpu,
      wallSeconds: wall,
      rssPeakMb: rss,
    };
  } finally {
    for (const child of children) await stop(child);
    for (const dataDir of dataDirs) rmSync(dataDir, { recursive: true, force: true });
  }
}

/** 1, 2 and 3 nodes on a throwaway PostgreSQL cluster, a fresh database each. */
async function benchPostgres(): Promise<{ nodes: number; result: Record<string, number> }[] | undefined> {
  const { findPostgresBin, startPostgresCluster } = await import('../test/support/postgres-cluster.js');
  if (opts.postgres === 'off' || findPostgresBin() === undefined) return undefined;
  const pg = (await import('pg')).default;
  const cluster = await startPostgresCluster();
  const out: { nodes: number; result: Record<string, number> }[] = [];
  try {
    for (const nodes of [1, 2, 3]) {
      const admin = new pg.Client({ connectionString: cluster.url });
      await admin.connect();
      await admin.query(`CREATE DATABASE bench_${nodes}`);
      await admin.end();
      const url = new URL(cluster.url);
      url.pathname = `/bench_${nodes}`;
      out.push({ nodes, result: await benchVpcflow(url.toString(), nodes) });
    }
  } finally {
    await cluster.stop();
  }
  return out;
}

async function benchNfcapd(): Promise<Record<string, number> | undefined> {
  if (spawnSync('which', ['nfcapd']).status !== 0) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'vpcflow-bench-nfcapd-'));
  try {
    const port = await freePort();
    mkdirSync(join(dir, 'data'));
    const child = spawn(
      'nfcapd',
      ['-w', join(dir, 'data'), '-b', '127.0.0.1', '-p', String(port), '-t', '3600', '-P', join(dir, 'pid')],
      {
        stdio: 'ignore',
      },
    );
    await new Promise((r) => setTimeout(r, 500));
    const cpu0 = cpuSeconds(child.pid!);
    const t0 = Date.now();
    const gen = await runGenerator(port);
    await new Promise((r) => setTimeout(r, 1000));
    const cpu = cpuSeconds(child.pid!) - cpu0;
    const rss = rssPeakMb(child.pid!);
    const wall = (Date.now() - t0) / 1000;
    await stop(child);
    const file = readdirSync(join(dir, 'data')).find((f) => f.startsWith('nfcapd.'));
    const stats = spawnSync('nfdump', ['-r', join(dir, 'data', file ?? 'missing'), '-I'], {
      encoding: 'utf8',
    }).stdout;
    const flows = Number(/^Flows: (\d+)/m.exec(stats)?.[1] ?? NaN);
    return {
      sent: gen.sent,
      sendSeconds: gen.elapsed,
      decoded: flows,
      cpuSeconds: cpu,
      wallSeconds: wall,
      rssPeakMb: rss,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  if (opts.generate) return generate((opts.ports ?? opts.port ?? '').split(',').map(Number));
  const v = await benchVpcflow(undefined, 1, 'duckdb');
  // The baseline for the record store: the same run delivering into SQLite rows (`--record-store sqlite`).
  const s = await benchVpcflow(undefined, 1, 'sqlite');
  const n = await benchNfcapd();
  const pgRows = await benchPostgres();
  const rate = (flows: number, cpu: number): number => Math.round(flows / Math.max(cpu, 1e-9));
  const loss = (sent: number, got: number): string => `${(((sent - got) / sent) * 100).toFixed(2)} %`;
  const vRate = rate(v['decoded']!, v['cpuSeconds']!);
  const sRate = rate(s['decoded']!, s['cpuSeconds']!);
  const nRate = n ? rate(n['decoded']!, n['cpuSeconds']!) : NaN;
  const lines = [
    `# Ingest benchmark`,
    '',
    `Command: \`npm run bench:ingest -- ${passArgs().join(' ')}\` (${new Date().toISOString()}, Node ${process.version}, ${spawnSync('nproc', { encoding: 'utf8' }).stdout.trim()} CPUs)`,
    '',
    `Generator: IPFIX, ${EXPORTERS} exporters (one UDP socket and observation domain each), ${RECORDS_PER_PACKET} records per datagram, ` +
      `${TUPLES} distinct 5-tuples over ${ENIS} ENIs (one VPC-wide flow log, 1-minute windows), ${RATE} flows/s for ${SECONDS} s.`,
    '',
    '| receiver | sent | decoded | loss | aggregated | records stored | CPU s | flows/s per CPU-second | peak RSS MB |',
    '|---|---|---|---|---|---|---|---|---|',
    `| vpcflow (DuckDB records, default) | ${v['sent']} | ${v['decoded']} | ${loss(v['sent']!, v['decoded']!)} | ${v['aggregated']} | ${v['recordsStored']} | ${v['cpuSeconds']!.toFixed(2)} | ${vRate} | ${v['rssPeakMb']!.toFixed(0)} |`,
    `| vpcflow (\`--record-store sqlite\`) | ${s['sent']} | ${s['decoded']} | ${loss(s['sent']!, s['decoded']!)} | ${s['aggregated']} | ${s['recordsStored']} | ${s['cpuSeconds']!.toFixed(2)} | ${sRate} | ${s['rssPeakMb']!.toFixed(0)} |`,
    n
      ? `| nfcapd (nfdump ${spawnSync('nfdump', ['-V'], { encoding: 'utf8' }).stdout.trim().split(/\s+/).slice(-1)[0] ?? ''}) | ${n['sent']} | ${n['decoded']} | ${loss(n['sent']!, n['decoded']!)} | - | - | ${n['cpuSeconds']!.toFixed(2)} | ${nRate} | ${n['rssPeakMb']!.toFixed(0)} |`
      : '| nfcapd | not installed | | | | | | | |',
    '',
    `vpcflow / nfcapd rate per CPU-second: ${n ? (vRate / nRate).toFixed(2) : 'n/a'}. ` +
      `vpcflow flush of the last window: ${v['flushMs']} ms for ${v['flushedRecords']} records into DuckDB, ` +
      `${s['flushMs']} ms for ${s['flushedRecords']} into SQLite rows; malformed ${v['malformed']}, ` +
      `template misses ${v['templateMisses']}, sequence gaps ${v['sequenceGaps']}, dropped under overload ${v['droppedOverload']}.`,
    `CPU = user + system time of the receiving process over the send phase (+1 s drain, + the flush for vpcflow); ` +
      `vpcflow's includes aggregation and delivery (into DuckDB, or SQLite rows for the baseline) of every window closed during the run.`,
    '',
  ];
  if (pgRows) {
    lines.push(
      '## Several nodes on PostgreSQL (same run)',
      '',
      'Exporter i sends to node i mod N (a UDP balancer hashing on the source address); counters, CPU and RSS',
      'summed over the nodes. PostgreSQL holds the control plane, delivery state, the shared window marks and',
      'the records (`log_records`, the default record store with --database-url); the SQLite row is the',
      'single-node default (SQLite control plane, DuckDB records). All nodes, PostgreSQL and the generator',
      'share the machine.',
      '',
      '| store | nodes | sent | decoded | loss | records stored | CPU s | flows/s per CPU-second | flush ms | peak RSS MB (sum) |',
      '|---|---|---|---|---|---|---|---|---|---|',
      `| SQLite | 1 | ${v['sent']} | ${v['decoded']} | ${loss(v['sent']!, v['decoded']!)} | ${v['recordsStored']} | ${v['cpuSeconds']!.toFixed(2)} | ${vRate} | ${v['flushMs']} | ${v['rssPeakMb']!.toFixed(0)} |`,
      ...pgRows.map(
        ({ nodes, result: r }) =>
          `| PostgreSQL | ${nodes} | ${r['sent']} | ${r['decoded']} | ${loss(r['sent']!, r['decoded']!)} | ${r['recordsStored']} | ${r['cpuSeconds']!.toFixed(2)} | ${rate(r['decoded']!, r['cpuSeconds']!)} | ${r['flushMs']} | ${r['rssPeakMb']!.toFixed(0)} |`,
      ),
      '',
    );
  }
  const text = lines.join('\n');
  writeFileSync(join(ROOT, 'bench', 'results', 'ingest.md'), text);
  process.stdout.write(text);
}

await main();
