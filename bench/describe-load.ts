/**
 * The load generator for bench:describe, run as its own process: keeps `concurrency` requests in
 * flight for `durationMs`, each a freshly v1-signed DescribeFlowLogs GET chosen round-robin from the
 * mix, and prints one JSON line of results.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';

export interface LoadSpec {
  url: string;
  /** Several nodes: requests go round robin over these (as a load balancer would) instead of `url`. */
  urls?: string[];
  durationMs: number;
  concurrency: number;
  /** Each entry: the credentials and the DescribeFlowLogs parameters. */
  mix: { accessKeyId: string; secret: string; params: Record<string, string> }[];
}

export interface LoadResult {
  requests: number;
  errors: number;
  non200: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  meanBodyBytes: number;
}

const enc = (s: string): string =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

function signedPath(entry: LoadSpec['mix'][number]): string {
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

export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const targets = (spec.urls ?? [spec.url]).map((u) => new URL(u));
  const agent = new Agent({ keepAlive: true, maxSockets: spec.concurrency });
  const latencies: number[] = [];
  let errors = 0;
  let non200 = 0;
  let bodyBytes = 0;
  let next = 0;
  const deadline = performance.now() + spec.durationMs;
  const one = (): Promise<void> =>
    new Promise((resolve) => {
      const target = targets[next % targets.length]!;
      const entry = spec.mix[next++ % spec.mix.length]!;
      const started = performance.now();
      const req = request(
        { host: target.hostname, port: target.port, path: signedPath(entry), method: 'GET', agent },
        (res) => {
          let size = 0;
          res.on('data', (c: Buffer) => (size += c.length));
          res.on('end', () => {
            latencies.push(performance.now() - started);
            bodyBytes += size;
            if (res.statusCode !== 200) non200++;
            resolve();
          });
        },
      );
      req.on('error', () => {
        errors++;
        resolve();
      });
      req.end();
    });
  const started = performance.now();
  await Promise.all(
    Array.from({ length: spec.concurrency }, async () => {
      while (performance.now() < deadline) await one();
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const pct = (p: number): number =>
    latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? 0;
  return {
    requests: latencies.length,
    errors,
    non200,
    rps: latencies.length / elapsed,
    p50Ms: pct(0.5),
    p99Ms: pct(0.99),
    meanBodyBytes: latencies.length ? bodyBytes / latencies.length : 0,
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
