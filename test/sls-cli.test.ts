// `vpcflow logs query` as users run it: a separate process reading a test server's records through the
// SLS API (signed SLS v1, path-style with an explicit Host), as a table and as JSON lines.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseTimeArg, resolveCredentials, slsGetLogs } from '../src/cli/logs-query.js';
import { DEV_ACCESS_KEY_ID, DEV_ACCESS_KEY_SECRET } from '../src/products/identity/identity-service.js';
import type { RecordRow } from '../src/store/repos/record-repo.js';
import { runCli } from './support/process.js';
import { startTestServer, tempDir, type TestServer } from './support/server.js';

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
    // The compact default columns, times in ISO-8601 UTC.
    expect(lines[0]).toMatch(
      /^start\s+eni-id\s+direction\s+srcaddr\s+srcport\s+dstaddr\s+dstport\s+protocol\s+packets\s+bytes\s+action\s+log-status$/,
    );
    // Columns line up: every row has `eni-odd` at the same offset as the header's `eni-id`.
    const col = lines[0]?.indexOf('eni-id') ?? -1;
    for (const line of lines.slice(1)) expect(line.slice(col, col + 7)).toBe('eni-odd');
    expect(lines[1]?.startsWith(new Date((now - 299) * 1000).toISOString().replace('.000Z', 'Z'))).toBe(true);
  });

  it('prints the chosen --fields, every field with --fields all, and local times with --local', async () => {
    const base = ['logs', 'query', '--project', 'cli-proj', '--logstore', 'flows', '--limit', '1'];
    const chosen = await runCli([...base, '--fields', 'srcaddr,bytes,end'], env());
    const [head, row] = chosen.stdout.trimEnd().split('\n');
    expect(head).toMatch(/^srcaddr\s+bytes\s+end$/);
    expect(row).toMatch(/^10\.0\.0\.1\s+100\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const all = await runCli([...base, '--fields', 'all'], env());
    expect(all.stdout).toMatch(/^__time__\s+__topic__\s+__source__\s+version\s+vswitch-id/);
    const local = await runCli([...base, '--fields', 'start', '--local'], { ...env(), TZ: 'Asia/Shanghai' });
    expect(local.stdout.trimEnd().split('\n')[1]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/);
  }, 120_000);

  it('says when the window is empty but the logstore holds records elsewhere in time', async () => {
    const out = await runCli(
      [
        'logs',
        'query',
        '--project',
        'cli-proj',
        '--logstore',
        'flows',
        '--from',
        '2020-01-01',
        '--to',
        '2020-01-02',
      ],
      env(),
    );
    expect(out.code).toBe(0);
    expect(out.stderr).toContain('0 record(s)');
    expect(out.stderr).toContain('hint: nothing from 2020-01-01T00:00:00Z to 2020-01-02T00:00:00Z');
    expect(out.stderr).toContain(
      `the logstore has records from ${new Date((now - 300) * 1000).toISOString().replace('.000Z', 'Z')}`,
    );
  });

  it('takes the AccessKey from ALIBABA_CLOUD_* variables and ~/.aliyun/config.json profiles', async () => {
    const home = tempDir();
    mkdirSync(join(home, '.aliyun'));
    writeFileSync(
      join(home, '.aliyun', 'config.json'),
      JSON.stringify({
        current: 'broken',
        profiles: [
          { name: 'broken', mode: 'AK', access_key_id: 'LTAI5tOther', access_key_secret: 'nope-nope' },
          {
            name: 'local',
            mode: 'AK',
            access_key_id: DEV_ACCESS_KEY_ID,
            access_key_secret: DEV_ACCESS_KEY_SECRET,
          },
        ],
      }),
    );
    const alibaba = {
      ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAI5tFromEnv',
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'env-secret',
    };
    // Order: vpcflow's variables, ALIBABA_CLOUD_*, the profile (--profile, ALIBABA_CLOUD_PROFILE, current).
    expect(resolveCredentials({ VPCFLOW_ACCESS_KEY_SECRET: 's', ...alibaba }, undefined, home)).toMatchObject(
      {
        accessKeyId: DEV_ACCESS_KEY_ID,
        accessKeySecret: 's',
      },
    );
    expect(resolveCredentials(alibaba, 'local', home)).toMatchObject({ accessKeyId: 'LTAI5tFromEnv' });
    expect(resolveCredentials({}, undefined, home)).toMatchObject({ accessKeyId: 'LTAI5tOther' });
    expect(resolveCredentials({ ALIBABA_CLOUD_PROFILE: 'local' }, undefined, home).accessKeySecret).toBe(
      DEV_ACCESS_KEY_SECRET,
    );
    expect(resolveCredentials({}, undefined, tempDir()).source).toBe('development key');
    expect(() => resolveCredentials({}, 'ghost', home)).toThrow(
      'profile "ghost" with an AccessKey is not in',
    );

    // Through the command: the profile's key signs the request; a wrong ALIBABA_CLOUD_* key is refused.
    const base = ['logs', 'query', '--project', 'cli-proj', '--logstore', 'flows', '--limit', '1'];
    expect((await runCli([...base, '--profile', 'local'], { ...env(), HOME: home })).code).toBe(0);
    const wrong = await runCli(base, {
      ...env(),
      ALIBABA_CLOUD_ACCESS_KEY_ID: DEV_ACCESS_KEY_ID,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'wrong-secret',
    });
    expect(wrong.stderr).toContain('SignatureNotMatch');
  }, 120_000);

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
