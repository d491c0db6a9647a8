/**
 * bench:authorize — the cost of RAM authorization: the same signed DescribeVpcs over real HTTP as the
 * account root (no policy evaluation), as a RAM user with a system and a custom policy, and as an STS
 * role session with a session policy, in one run on one server. Not a test: it reports, it does not fail.
 *
 *   npm run bench:authorize          (BENCH_REQUESTS=3000 BENCH_CONCURRENCY=8)
 */
import { createApp } from '../src/app.js';
import { resolveConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { assume, ramRole, ramUser, type Creds } from '../test/support/identity.js';
import { sendV1 } from '../test/support/raw-signer.js';
import {
  DEV_ACCESS_KEY_ID,
  DEV_ACCESS_KEY_SECRET,
  DEV_ACCOUNT_ID,
} from '../src/products/identity/identity-service.js';

const REQUESTS = Number(process.env['BENCH_REQUESTS'] ?? '3000');
const CONCURRENCY = Number(process.env['BENCH_CONCURRENCY'] ?? '8');

async function run(url: string, c: Creds): Promise<{ rps: number; p50: number; p99: number }> {
  const times: number[] = [];
  let next = 0;
  const started = performance.now();
  const worker = async (): Promise<void> => {
    while (next < REQUESTS) {
      next++;
      const t = performance.now();
      const res = await sendV1(
        url,
        {
          Action: 'DescribeVpcs',
          RegionId: 'cn-hangzhou',
          ...(c.securityToken ? { SecurityToken: c.securityToken } : {}),
        },
        { accessKeyId: c.accessKeyId, secret: c.accessKeySecret },
      );
      if (res.status !== 200) throw new Error(`unexpected ${res.status}: ${res.text}`);
      times.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const elapsed = (performance.now() - started) / 1000;
  times.sort((a, b) => a - b);
  const q = (p: number): number => Math.round((times[Math.floor(p * (times.length - 1))] ?? 0) * 100) / 100;
  return { rps: Math.round(times.length / elapsed), p50: q(0.5), p99: q(0.99) };
}

const app = await createApp(
  // No throttling: the benchmark measures authorization, not the per-account request budget.
  { ...resolveConfig({}, {}), port: 0, inMemory: true, logLevel: 'silent', throttleRps: 0 },
  createLogger('silent'),
);
const server = await app.listen();
const endpoint = `127.0.0.1:${server.port}`;
const readVpcs = [{ Effect: 'Allow', Action: 'vpc:DescribeVpcs', Resource: 'acs:vpc:*:*:vpc/*' }];
const user = await ramUser(endpoint, 'bench-user', ['AliyunVPCReadOnlyAccess', readVpcs]);
const role = await ramRole(endpoint, 'bench-role', DEV_ACCOUNT_ID, ['AliyunVPCReadOnlyAccess']);
const session = await assume(endpoint, role, { policy: readVpcs });
const root = { accessKeyId: DEV_ACCESS_KEY_ID, accessKeySecret: DEV_ACCESS_KEY_SECRET };

await run(server.url, root); // warm-up
const results = {
  root: await run(server.url, root),
  ramUser: await run(server.url, user),
  stsSession: await run(server.url, session),
};
process.stdout.write(
  `${JSON.stringify({ requests: REQUESTS, concurrency: CONCURRENCY, ...results }, null, 2)}\n`,
);
await app.close();
