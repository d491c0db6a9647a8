/**
 * The load generator for bench:describe, run as its own process: keeps `concurrency` requests in
 * flight for `durationMs`, each a freshly v1-signed DescribeFlowLogs GET chosen round-robin from the
 * mix, and prints one JSON line of results.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';

export interface MixEntry {
  /** Which filter of the mix this is: results are also reported per label. */
  label?: string;
  accessKeyId: string;
  secret: string;
  /** The request's parameters (Action defaults to DescribeFlowLogs). */
  params: Record<string, string>;
  /**
   * A cold page: each use asks for another (PageNumber, PageSize) pair, PageSize 20 to 50 and pages
   * strided over the first `pages`, so the answer cache never holds it.
   */
  coldPages?: number;
}

export interface LoadSpec {
  url: string;
  /** Several nodes: requests go round robin over these (as a load balancer would) instead of `url`. */
  urls?: string[];
  durationMs: number;
  concurrency: number;
  mix: MixEntry[];
  /** Where the cold pages' sequence starts, so a warm-up and the run after it ask for other pages. */
  coldStart?: number;
  /**
   * Sent (untimed) before every request: a write that moves the data version, so no answer comes from
   * the cache and each request measures its query. Its `params` get `Tag.1.Value` set to a counter.
   */
  bump?: MixEntry;
}

export interface Latencies {
  requests: number;
  p50Ms: number;
  p99Ms: number;
}

export interface LoadResult {
  requests: number;
  errors: number;
  non200: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  meanBodyBytes: number;
  /** Per mix label. */
  byLabel: Record<string, Latencies>;
}

const enc = (s: string): string =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

function signedPath(entry: { accessKeyId: string; secret: string; params: Record<string, string> }): string {
  const all: Record<string, string> = {
    Action: 'DescribeFlowLogs',
    Version: '2016-04-28',
    Format: 'JSON',
    AccessKeyId: entry.accessKeyId,
    SignatureMethod: 'HMAC-SHA1',
    SignatureVersion: '1.0',
    SignatureNonce: randomUUID(),
    Timestamp: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    ...entry.params,
  };
  const canonical = Object.keys(all)
    .sort()
    .map((k) => `${enc(k)}=${enc(all[k]!)}`)
    .join('&');
  const sts = `GET&%2F&${enc(canonical)}`;
  all['Signature'] = createHmac('sha1', `${entry.secret}&`).update(sts).digest('base64');
  return `/?${Object.entries(all)
    .map(([k, v]) => `${enc(k)}=${enc(v)}`)
    .join('&')}`;
}

/** The `j`-th cold page of an entry: (PageSize, PageNumber) pairs that repeat only after 31 × pages. */
function coldParams(entry: MixEntry, j: number): Record<string, string> {
  const pages = Math.max(1, entry.coldPages ?? 1);
  return {
    ...entry.params,
    PageSize: String(20 + (j % 31)),
    PageNumber: String(1 + ((j * 7919) % pages)),
  };
}

const sorted = (xs: number[]): Latencies => {
  xs.sort((a, b) => a - b);
  const pct = (p: number): number => xs[Math.min(xs.length - 1, Math.floor(xs.length * p))] ?? 0;
  return { requests: xs.length, p50Ms: pct(0.5), p99Ms: pct(0.99) };
};

export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const targets = (spec.urls ?? [spec.url]).map((u) => new URL(u));
  const agent = new Agent({ keepAlive: true, maxSockets: spec.concurrency });
  const latencies: number[] = [];
  const byLabel = new Map<string, number[]>();
  const coldUses = new Map<MixEntry, number>();
  let errors = 0;
  let non200 = 0;
  let bodyBytes = 0;
  let next = 0;
  let bumps = 0;
  const deadline = performance.now() + spec.durationMs;
  const send = (
    target: URL,
    entry: { accessKeyId: string; secret: string; params: Record<string, string> },
  ): Promise<{ status: number; size: number } | undefined> =>
    new Promise((resolve) => {
      const req = request(
        { host: target.hostname, port: target.port, path: signedPath(entry), method: 'GET', agent },
        (res) => {
          let size = 0;
          res.on('data', (c: Buffer) => (size += c.length));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, size }));
        },
      );
      req.on('error', () => resolve(undefined));
      req.end();
    });
  const one = async (): Promise<void> => {
    const target = targets[next % targets.length]!;
    const entry = spec.mix[next++ % spec.mix.length]!;
    let params = entry.params;
    if (entry.coldPages !== undefined) {
      const j = coldUses.get(entry) ?? spec.coldStart ?? 0;
      coldUses.set(entry, j + 1);
      params = coldParams(entry, j);
    }
    if (spec.bump) {
      const bumped = await send(target, {
        ...spec.bump,
        params: { ...spec.bump.params, 'Tag.1.Value': String(bumps++) },
      });
      if (bumped?.status !== 200) errors++;
    }
    const started = performance.now();
    const res = await send(target, { ...entry, params });
    if (!res) {
      errors++;
      return;
    }
    const ms = performance.now() - started;
    latencies.push(ms);
    if (entry.label !== undefined) {
      let list = byLabel.get(entry.label);
      if (!list) byLabel.set(entry.label, (list = []));
      list.push(ms);
    }
    bodyBytes += res.size;
    if (res.status !== 200) non200++;
  };
  const started = performance.now();
  await Promise.all(
    Array.from({ length: spec.concurrency }, async () => {
      while (performance.now() < deadline) await one();
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  const all = sorted(latencies);
  return {
    requests: all.requests,
    errors,
    non200,
    rps: all.requests / elapsed,
    p50Ms: all.p50Ms,
    p99Ms: all.p99Ms,
    meanBodyBytes: latencies.length ? bodyBytes / latencies.length : 0,
    byLabel: Object.fromEntries([...byLabel].map(([label, xs]) => [label, sorted(xs)])),
  };
}

// Run as a child process: the spec arrives as JSON on stdin, the result leaves as JSON on stdout.
if (process.argv[1]?.endsWith('describe-load.ts')) {
  let input = '';
  process.stdin.on('data', (d: Buffer) => (input += d.toString()));
  process.stdin.on('end', () => {
    void runLoad(JSON.parse(input) as LoadSpec).then((r) => process.stdout.write(`${JSON.stringify(r)}\n`));
  });
}
