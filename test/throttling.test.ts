/**
 * Flow control through the official clients: over `--throttle-rps` for one account and action, the
 * Tea SDK raises its ThrottlingError (`Throttling.User`, 400, `retryAfter` from `x-acs-retry-after`),
 * other accounts and actions are unaffected, and the SLS endpoint answers ReadQuotaExceed /
 * WriteQuotaExceed. Nonces are kept per AccessKey: one key flooding cannot evict another's.
 */
import { createRequire } from 'node:module';
import type * as SlsTypes from '@alicloud/sls20201230';
import type * as OpenApiTypes from '@alicloud/openapi-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_ACCESS_KEY_ID, DEV_ACCESS_KEY_SECRET } from '../src/products/identity/identity-service.js';
import { popClient, vpcClient, VpcModels } from './support/clients.js';
import { sendV1 } from './support/raw-signer.js';
import { installSlsHostResolution } from './support/sls-host.js';
import { startTestServer, type TestServer } from './support/server.js';

const require = createRequire(import.meta.url);
const $Sls = require('@alicloud/sls20201230') as typeof SlsTypes;
const $OpenApi = require('@alicloud/openapi-core') as typeof OpenApiTypes;
const SlsClient = $Sls.default as unknown as typeof SlsTypes.default.default;

const OTHER = {
  accountId: '9999888877776666',
  accessKeyId: 'LTAI5tOtherAccountKey01',
  secret: 'other-secret-0001',
};

async function addOtherAccount(server: TestServer): Promise<void> {
  const repos = server.app.store.repos;
  await repos.identity.ensureAccount(OTHER.accountId, Date.now());
  await repos.identity.putAccessKey(
    {
      access_key_id: OTHER.accessKeyId,
      account_id: OTHER.accountId,
      secret: OTHER.secret,
      status: 'Active',
      principal_type: 'account',
    },
    Date.now(),
  );
}

describe('RPC flow control', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ throttleRps: 3 });
    await addOtherAccount(server);
  });
  afterAll(async () => server.close());

  it('the Tea SDK raises ThrottlingError with retryAfter; another account and another action still pass', async () => {
    const client = vpcClient(server.endpoint);
    const describe = (): Promise<unknown> =>
      client.describeFlowLogs(new VpcModels.DescribeFlowLogsRequest({ regionId: 'cn-hangzhou' }));
    const outcomes = await Promise.allSettled(Array.from({ length: 8 }, describe));
    const refused = outcomes.filter((o) => o.status === 'rejected');
    expect(outcomes.filter((o) => o.status === 'fulfilled').length).toBeGreaterThanOrEqual(3);
    expect(refused.length).toBeGreaterThan(0);
    const err = (refused[0] as PromiseRejectedResult).reason as {
      name: string;
      code: string;
      statusCode: number;
      retryAfter?: number;
      message: string;
    };
    expect(err.name).toBe('ThrottlingError');
    expect(err.code).toBe('Throttling.User');
    expect(err.statusCode).toBe(400);
    expect(err.message).toContain('Request was denied due to user flow control.');
    expect(err.retryAfter).toBeGreaterThan(0);
    expect(err.retryAfter).toBeLessThanOrEqual(1000);

    // Another account, same action: its own bucket.
    const other = vpcClient(server.endpoint, {
      accessKeyId: OTHER.accessKeyId,
      accessKeySecret: OTHER.secret,
    });
    await expect(
      other.describeFlowLogs(new VpcModels.DescribeFlowLogsRequest({ regionId: 'cn-hangzhou' })),
    ).resolves.toBeDefined();
    // Same account, another action: its own bucket.
    await expect(client.describeRegions(new VpcModels.DescribeRegionsRequest({}))).resolves.toBeDefined();
    // pop-core (v1) sees the same code.
    const popErrs = await Promise.allSettled(
      Array.from({ length: 8 }, () =>
        popClient(server.url).request('DescribeVpcs', { RegionId: 'cn-hangzhou' }),
      ),
    );
    const popRefused = popErrs.find((o) => o.status === 'rejected') as PromiseRejectedResult | undefined;
    expect((popRefused?.reason as { code?: string } | undefined)?.code).toBe('Throttling.User');
  });

  it('a refused request changes nothing', async () => {
    const client = vpcClient(server.endpoint);
    const create = (i: number): Promise<unknown> =>
      client.createVpc(
        new VpcModels.CreateVpcRequest({ regionId: 'cn-hangzhou', cidrBlock: `10.${i}.0.0/16` }),
      );
    const outcomes = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => create(i)));
    const created = outcomes.filter((o) => o.status === 'fulfilled').length;
    expect(created).toBeLessThan(8);
    await new Promise((r) => setTimeout(r, 1100));
    const listed = await client.describeVpcs(new VpcModels.DescribeVpcsRequest({ regionId: 'cn-hangzhou' }));
    expect(listed.body?.totalCount).toBe(created);
  });
});

describe('SLS flow control', () => {
  let server: TestServer;
  let uninstall: () => void;
  beforeAll(async () => {
    uninstall = installSlsHostResolution();
    server = await startTestServer({ throttleRps: 2 });
  });
  afterAll(async () => {
    await server.close();
    uninstall();
  });

  function sls(): InstanceType<typeof SlsClient> {
    return new SlsClient(
      new $OpenApi.$OpenApiUtil.Config({
        accessKeyId: DEV_ACCESS_KEY_ID,
        accessKeySecret: DEV_ACCESS_KEY_SECRET,
        endpoint: `localhost:${server.port}`,
        protocol: 'http',
      }),
    );
  }

  it('reads over the limit answer ReadQuotaExceed (403), writes WriteQuotaExceed (403)', async () => {
    const client = sls();
    const reads = await Promise.allSettled(
      Array.from({ length: 6 }, () => client.listProject(new $Sls.ListProjectRequest({}))),
    );
    const readErr = (reads.find((o) => o.status === 'rejected') as PromiseRejectedResult).reason as {
      code: string;
      data?: { httpCode?: number };
    };
    expect(readErr.code).toBe('ReadQuotaExceed');
    expect(readErr.data?.httpCode).toBe(403);
    const writes = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) =>
        client.createProject(
          new $Sls.CreateProjectRequest({ projectName: `thr-proj-${i}`, description: 'x' }),
        ),
      ),
    );
    const writeErr = (writes.find((o) => o.status === 'rejected') as PromiseRejectedResult).reason as {
      code: string;
      message: string;
    };
    expect(writeErr.code).toBe('WriteQuotaExceed');
    expect(writeErr.message).toContain('Project write quota exceed: qps: 2');
  });
});

describe('nonces per AccessKey', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ throttleRps: 0, noncesPerKey: 50 });
    await addOtherAccount(server);
  });
  afterAll(async () => server.close());

  it('a key flooding nonces is refused at its quota and cannot make the server forget another key’s', async () => {
    // The victim's request, captured by an eavesdropper.
    const victim = { accessKeyId: OTHER.accessKeyId, secret: OTHER.secret, nonce: 'victim-captured-nonce' };
    expect((await sendV1(server.url, { Action: 'DescribeRegions' }, victim)).status).toBe(200);
    let refused: Awaited<ReturnType<typeof sendV1>> | undefined;
    for (let i = 0; i < 60 && !refused; i++) {
      const reply = await sendV1(server.url, { Action: 'DescribeRegions' }, { nonce: `flood-${i}` });
      if (reply.status !== 200) refused = reply;
    }
    expect(refused?.status).toBe(400);
    expect(refused?.json()['Code']).toBe('Throttling.User');
    expect(Number(refused?.headers.get('x-acs-retry-after'))).toBeGreaterThan(0);
    // The replay of the victim's request is still recognised.
    const replay = await sendV1(server.url, { Action: 'DescribeRegions' }, victim);
    expect(replay.json()['Code']).toBe('SignatureNonceUsed');
    // And the flooding key's own old nonces too: nothing was forgotten early.
    const own = await sendV1(server.url, { Action: 'DescribeRegions' }, { nonce: 'flood-0' });
    expect(own.json()['Code']).toBe('SignatureNonceUsed');
  });
});
