// `vpcflow logs query` as users run it: a separate process reading a test server's records through the
// SLS API (signed SLS v1, path-style with an explicit Host), as a table and as JSON lines.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { parseTimeArg, slsGetLogs } from '../src/cli/logs-query.js';
import { DEV_ACCESS_KEY_ID, DEV_ACCESS_KEY_SECRET } from '../src/products/identity/identity-service.js';
import type { RecordRow } from '../src/store/repos/record-repo.js';
import { runCli } from './support/process.js';
import { startTestServer, type TestServer } from './support/server.js';

let server: TestServer;
const now = Math.floor(Date.now() / 1000);

function record(i: number): RecordRow {
  const time = now - 300 + i;
  return {
    region_id: 'cn-hangzhou',
    project_name: 'cli-proj',
    logstore_name: 'flows',
    flow_log_id: 'fl-1',
    time,
    topic: 'flow_log',
    source: '127.0.0.1',
    version: 1,
    vswitch_id: 'vsw-1',
    vm_id: 'i-1',
    vpc_id: 'vpc-1',
    account_id: '1234567890123456',
    eni_id: i % 2 ? 'eni-odd' : 'eni-even',
    region: 'cn-hangzhou',
    srcaddr: `10.0.0.${1 + (i % 3)}`,
    srcport: 40000 + i,
    dstaddr: '10.0.1.9',
    dstport: 443,
    protocol: 6,
    direction: 'out',
    packets: 2,
    bytes: 100 * (1 + (i % 3)),
    start: time,
    end: time + 60,
    log_status: 'OK',
    action: 'ACCEPT',
    tcp_flags: 18,
  };
}

beforeAll(async () => {
  server = await startTestServer();
  const logs = server.app.store.repos.logs;
  const at = Date.now();
  await logs.insertProject({
    region_id: 'cn-hangzhou',
    project_name: 'cli-proj',
    account_id: '1234567890123456',
    description: '',
    created_at: at,
    updated_at: at,
  });
  await logs.insertLogstore({
    region_id: 'cn-hangzhou',
    project_name: 'cli-proj',
    logstore_name: 'flows',
    ttl_days: 30,
    shard_count: 1,
    created_at: at,
    updated_at: at,
  });
  await server.app.store.records.append(Array.from({ length: 150 }, (_, i) => record(i)));
});

afterAll(() => server.close());

const env = () => ({ VPCFLOW_ENDPOINT: server.url });

describe('vpcflow logs query', () => {
  it('prints a search as an aligned table', async () => {
    const out = await runCli(
      ['logs', 'query', '--project', 'cli-proj', '--logstore', 'flows', '--limit', '3', 'eni-id: eni-odd'],
      env(),
    );
    expect(out.stderr).toContain('3 record(s)');
    expect(out.code).toBe(0);
    const lines = out.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^__time__\s+__topic__\s+__source__\s+version\s+vswitch-id/);
    // Columns line up: every row has `eni-odd` at the same offset as the header's `eni-id`.
    const col = lines[0]?.indexOf('eni-id') ?? -1;
    for (const line of lines.slice(1)) expect(line.slice(col, col + 7)).toBe('eni-odd');
    expect(lines[1]).toContain(String(now - 299));
  });

  it('prints JSON lines, pages past 100 records, and runs SQL', async () => {
    const all = await runCli(
      [
        'logs',
        'query',
        '--project',
        'cli-proj',
        '--logstore',
        'flows',
        '--json',
        '--limit',
        '500',
        '--from',
        '-1h',
      ],
      env(),
    );
    expect(all.code).toBe(0);
    const rows = all.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, string>);
    expect(rows).toHaveLength(150);
    expect(rows[0]).toMatchObject({ 'eni-id': 'eni-even', __time__: String(now - 300), bytes: '100' });

    const sql = await runCli(
      [
        'logs',
        'query',
        '--project',
        'cli-proj',
        '--logstore',
        'flows',
        '--json',
        '--from',
        String(now - 3600),
        '--to',
        'now',
        '* | select srcaddr, sum(bytes) as total group by srcaddr order by total desc limit 2',
      ],
      env(),
    );
    expect(
      sql.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as unknown),
    ).toEqual([
      { srcaddr: '10.0.0.3', total: '15000' },
      { srcaddr: '10.0.0.2', total: '10000' },
    ]);
  });

  it('reports SLS errors and bad arguments', async () => {
    const missing = await runCli(['logs', 'query', '--project', 'cli-proj', '--logstore', 'nope'], env());
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('LogStoreNotExist: logstore nope does not exist');
    const badTime = await runCli(
      ['logs', 'query', '--project', 'p', '--logstore', 'l', '--from', 'yesterday'],
      env(),
    );
    expect(badTime.code).toBe(1);
    expect(badTime.stderr).toContain('cannot read time "yesterday"');
    const badKey = await runCli(['logs', 'query', '--project', 'cli-proj', '--logstore', 'flows'], {
      ...env(),
      VPCFLOW_ACCESS_KEY_SECRET: 'not-the-secret',
    });
    expect(badKey.stderr).toContain('SignatureNotMatch');
  });
});

describe('CLI helpers', () => {
  it('reads Unix seconds, ISO-8601 and relative times', () => {
    const at = Date.UTC(2026, 0, 2, 3, 4, 5);
    expect(parseTimeArg('1700000000', at)).toBe(1_700_000_000);
    expect(parseTimeArg('2026-01-02T03:04:05Z', at)).toBe(at / 1000);
    expect(parseTimeArg('-15m', at)).toBe(at / 1000 - 900);
    expect(parseTimeArg('-1h', at)).toBe(at / 1000 - 3600);
    expect(parseTimeArg('now', at)).toBe(at / 1000);
  });

  it('an unknown SLS path signed correctly is InvalidMethod', async () => {
    const res = await slsGetLogs({
      endpoint: server.url,
      project: 'cli-proj',
      logstore: 'flows/extra',
      accessKeyId: DEV_ACCESS_KEY_ID,
      accessKeySecret: DEV_ACCESS_KEY_SECRET,
      params: { from: '0', to: '1' },
    });
    expect(res.status).toBe(405);
    expect(JSON.parse(res.body)).toMatchObject({ errorCode: 'InvalidMethod' });
  });
});
