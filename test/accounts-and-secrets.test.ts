/**
 * Accounts created at run time (`POST /_vpcflow/accounts`, `vpcflow account create`) and AccessKey
 * secrets at rest (sealed with the data directory's secret.key or VPCFLOW_SECRET_KEY).
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_ACCESS_KEY_ID, DEV_ACCESS_KEY_SECRET } from '../src/products/identity/identity-service.js';
import { runCli } from './support/process.js';
import { ramClient, RamModels, stsClient } from './support/identity.js';
import { startTestServer, tempDir, type TestServer } from './support/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server.close());

const post = (body: string) =>
  fetch(`${server.url}/_vpcflow/accounts`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json' },
  });

describe('accounts at run time', () => {
  it('POST /_vpcflow/accounts creates an account whose key works at once, isolated from the others', async () => {
    const res = await post(JSON.stringify({ accountId: '5555444433332222' }));
    expect(res.status).toBe(201);
    const created = (await res.json()) as { accountId: string; accessKeyId: string; accessKeySecret: string };
    expect(created.accountId).toBe('5555444433332222');
    const who = await stsClient(server.endpoint, created).getCallerIdentity();
    expect(who.body).toMatchObject({ identityType: 'Account', accountId: '5555444433332222' });
    await ramClient(server.endpoint, created).createUser(
      new RamModels.CreateUserRequest({ userName: 'only-here' }),
    );
    const root = await ramClient(server.endpoint).listUsers(new RamModels.ListUsersRequest({}));
    expect(root.body?.users?.user?.map((u) => u.userName) ?? []).not.toContain('only-here');
    const again = await post(JSON.stringify({ accountId: '5555444433332222' }));
    expect(again.status).toBe(409);
  });

  it('refuses a malformed body or account ID; without one picks a 16-digit ID', async () => {
    expect((await post('{')).status).toBe(400);
    expect((await post(JSON.stringify({ accountId: '12' }))).status).toBe(400);
    const res = await post('');
    expect(res.status).toBe(201);
    expect(((await res.json()) as { accountId: string }).accountId).toMatch(/^\d{16}$/);
  });

  it('vpcflow account create prints the new account and key once', async () => {
    const out = await runCli([
      'account',
      'create',
      '--endpoint',
      server.url,
      '--account-id',
      '7777666655554444',
    ]);
    expect(out.code).toBe(0);
    const printed = JSON.parse(out.stdout) as {
      accountId: string;
      accessKeyId: string;
      accessKeySecret: string;
    };
    expect(printed.accountId).toBe('7777666655554444');
    const who = await stsClient(server.endpoint, printed).getCallerIdentity();
    expect(who.body?.accountId).toBe('7777666655554444');
    const bad = await runCli(['account', 'create', '--endpoint', server.url, '--account-id', 'x']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('16 digits');
  });
});

describe('secrets at rest', () => {
  it('seals with secret.key (mode 0600) in the data directory and reads them back after a restart', async () => {
    const dataDir = tempDir();
    const first = await startTestServer({ inMemory: false, dataDir });
    const keyFile = join(dataDir, 'secret.key');
    expect(existsSync(keyFile)).toBe(true);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const row = await first.app.store.repos.identity.getAccessKey(DEV_ACCESS_KEY_ID);
    expect(row?.secret.startsWith('enc:v1:')).toBe(true);
    expect(row?.secret).not.toContain(DEV_ACCESS_KEY_SECRET);
    await first.close();
    const second = await startTestServer({ inMemory: false, dataDir });
    expect((await stsClient(second.endpoint).getCallerIdentity()).body?.identityType).toBe('Account');
    await second.close();
  });

  it('VPCFLOW_SECRET_KEY replaces the key file; a wrong key cannot open the secrets', async () => {
    const dataDir = tempDir();
    const key = 'ab'.repeat(32);
    const first = await startTestServer({ inMemory: false, dataDir, secretKey: key });
    expect(existsSync(join(dataDir, 'secret.key'))).toBe(false);
    await first.close();
    const second = await startTestServer({ inMemory: false, dataDir, secretKey: key });
    expect((await stsClient(second.endpoint).getCallerIdentity()).body?.identityType).toBe('Account');
    await second.close();
    await expect(startTestServer({ inMemory: false, dataDir, secretKey: 'cd'.repeat(32) })).rejects.toThrow();
  });
});
