/**
 * `vpcflow serve` as users run it: the ready line, flags and environment variables, graceful stop,
 * and data surviving both a clean restart and a `kill -9`.
 */
import { describe, expect, it } from 'vitest';
import { sendV1 } from './support/raw-signer.js';
import { runCli, spawnServer } from './support/process.js';
import { tempDir } from './support/server.js';

const CUSTOM = {
  VPCFLOW_ACCOUNT_ID: '5555666677778888',
  VPCFLOW_ACCESS_KEY_ID: 'LTAI5tPersistTestKey0001',
  VPCFLOW_ACCESS_KEY_SECRET: 'persist-test-secret-0001',
};
const asCustom = { accessKeyId: CUSTOM.VPCFLOW_ACCESS_KEY_ID, secret: CUSTOM.VPCFLOW_ACCESS_KEY_SECRET };

describe('vpcflow serve', { timeout: 120_000 }, () => {
  it('prints one ready line, takes the flag over the environment, and stops cleanly on SIGTERM', async () => {
    const server = await spawnServer(['--port', '0', '--in-memory'], { VPCFLOW_PORT: '1' });
    expect(server.stdout()).toMatch(/^vpcflow listening on http:\/\/127\.0\.0\.1:\d+\n$/);
    const res = await sendV1(server.url, { Action: 'DescribeRegions' });
    expect(res.status).toBe(200);
    const health = (await (await fetch(`${server.url}/_vpcflow/health`)).json()) as Record<string, unknown>;
    expect(health['storeLocation']).toBe(':memory:');
    server.proc.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  });

  it('stops cleanly when a second signal arrives while it stops (Ctrl-C under npm: the terminal and npm both send one)', async () => {
    const server = await spawnServer(['--port', '0', '--in-memory']);
    server.proc.kill('SIGINT');
    server.proc.kill('SIGINT');
    expect(await server.exited).toBe(0);
    expect(server.stderr()).not.toMatch(/error/i);
  });

  it('on 0.0.0.0 prints a connectable ready URL and warns about the development AccessKey', async () => {
    const server = await spawnServer(['--port', '0', '--in-memory', '--host', '0.0.0.0']);
    expect(server.stdout()).toMatch(/^vpcflow listening on http:\/\/127\.0\.0\.1:\d+\n$/);
    // The warning follows the ready line.
    for (let i = 0; i < 100 && !server.stderr().includes('listening beyond loopback'); i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(server.stderr()).toContain('listening beyond loopback with the well-known development AccessKey');
    expect((await sendV1(server.url, { Action: 'DescribeRegions' })).status).toBe(200);
    server.proc.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  });

  it('keeps data across a clean restart and across kill -9', async () => {
    const data = tempDir();
    const first = await spawnServer(['--port', '0', '--data', data]);
    const created = await sendV1(first.url, {
      Action: 'CreateVpc',
      RegionId: 'cn-hangzhou',
      CidrBlock: '10.9.0.0/16',
      VpcName: 'survivor',
    });
    expect(created.status).toBe(200);
    const vpcId = String(created.json()['VpcId']);
    const count = async (url: string): Promise<unknown> =>
      (await sendV1(url, { Action: 'DescribeVpcs', RegionId: 'cn-hangzhou', VpcId: vpcId })).json()[
        'TotalCount'
      ];
    first.proc.kill('SIGINT');
    expect(await first.exited).toBe(0);

    const second = await spawnServer(['--port', '0'], { VPCFLOW_DATA: data });
    expect(await count(second.url)).toBe(1);
    second.proc.kill('SIGKILL');
    expect(await second.exited).toBe('SIGKILL');

    const third = await spawnServer(['--port', '0', '--data', data]);
    expect(await count(third.url)).toBe(1);
    third.proc.kill('SIGTERM');
    expect(await third.exited).toBe(0);
  });

  it('replaces the development AccessKey with the configured one, also in an existing database', async () => {
    const data = tempDir();
    const first = await spawnServer(['--port', '0', '--data', data]);
    expect((await sendV1(first.url, { Action: 'DescribeRegions' })).status).toBe(200);
    first.proc.kill('SIGTERM');
    await first.exited;
    const second = await spawnServer(['--port', '0', '--data', data], CUSTOM);
    expect((await sendV1(second.url, { Action: 'DescribeRegions' }, asCustom)).status).toBe(200);
    const dev = await sendV1(second.url, { Action: 'DescribeRegions' });
    expect(dev.status).toBe(404);
    expect(dev.json()['Code']).toBe('InvalidAccessKeyId.NotFound');
    second.proc.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  });

  it('refuses bad settings with a message naming the setting', async () => {
    const badPort = await runCli(['serve', '--port', 'http']);
    expect(badPort.code).toBe(1);
    expect(badPort.stderr).toContain('--port / VPCFLOW_PORT must be an integer from 0 to 65535');
    const badAccount = await runCli(['serve', '--port', '0', '--in-memory'], { VPCFLOW_ACCOUNT_ID: '12' });
    expect(badAccount.code).toBe(1);
    expect(badAccount.stderr).toContain('VPCFLOW_ACCOUNT_ID must be 16 digits');
    const unknownFlag = await runCli(['serve', '--bogus']);
    expect(unknownFlag.code).toBe(1);
    expect(unknownFlag.stderr).toContain("Unknown option '--bogus'");
    // A taken port must not leave the process hanging on its open database and collector socket.
    const holder = await spawnServer(['--port', '0', '--in-memory']);
    const taken = new URL(holder.url).port;
    const busy = await runCli(['serve', '--port', taken, '--in-memory', '--collector', '127.0.0.1:0']);
    expect(busy.code).toBe(1);
    expect(busy.stderr).toContain('EADDRINUSE');
    expect(busy.stderr).toContain('--port 0 to take any free port');
    holder.proc.kill('SIGTERM');
    await holder.exited;
    const version = await runCli(['--version']);
    expect(version.stdout.trim()).toBe('0.1.0');
  }, 120_000);
});
