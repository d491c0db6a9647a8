// The console's own signers (console/src/api), run in Node against a real server: the RPC v1 signature in a
// form body, and SLS v4 GetLogs naming its project in `x-log-project` on the bare endpoint, the same-origin
// form a browser page can send. The browser test (console-e2e) drives the same code through Chromium.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../console/src/api/api-error.js';
import { callRpc } from '../console/src/api/rpc.js';
import { getLogs, signSlsGet } from '../console/src/api/sls.js';
import { DEV_ACCESS_KEY_ID, DEV_ACCESS_KEY_SECRET } from '../src/products/identity/identity-service.js';
import { startTestServer, type TestServer } from './support/server.js';
import { makeWorld, type World } from './support/world.js';

const dev = { accessKeyId: DEV_ACCESS_KEY_ID, accessKeySecret: DEV_ACCESS_KEY_SECRET };
let server: TestServer;
let world: World;

beforeAll(async () => {
  server = await startTestServer();
  world = await makeWorld(server.app);
});
afterAll(() => server?.close());

const slsOptions = () => ({ baseUrl: server.url, host: server.endpoint });

describe('console RPC signer (v1, form body)', () => {
  it('is accepted for Vpc and Ecs calls', async () => {
    const vpcs = await callRpc<{ Vpcs: { Vpc: { VpcId: string }[] } }>(
      dev,
      'Vpc',
      'DescribeVpcs',
      { RegionId: world.regionId, VpcId: world.vpcId },
      { baseUrl: server.url },
    );
    expect(vpcs.Vpcs.Vpc.map((v) => v.VpcId)).toEqual([world.vpcId]);
    const enis = await callRpc<{ NetworkInterfaceSets: { NetworkInterfaceSet: unknown[] } }>(
      dev,
      'Ecs',
      'DescribeNetworkInterfaces',
      { RegionId: world.regionId, VpcId: world.vpcId },
      { baseUrl: server.url },
    );
    expect(enis.NetworkInterfaceSets.NetworkInterfaceSet).toHaveLength(world.eniIds.length);
  });

  it('surfaces the API error code and message for a wrong secret', async () => {
    const err = await callRpc(
      { accessKeyId: DEV_ACCESS_KEY_ID, accessKeySecret: 'wrong-secret' },
      'Vpc',
      'DescribeFlowLogs',
      { RegionId: 'cn-hangzhou' },
      { baseUrl: server.url },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe('SignatureDoesNotMatch');
    expect((err as ApiError).status).toBe(400);
  });
});

describe('console SLS signer (v4, x-log-project on the bare endpoint)', () => {
  const now = Math.floor(Date.now() / 1000);

  it('reads a logstore of the project named in x-log-project', async () => {
    const res = await getLogs(
      dev,
      { project: world.project, logstore: world.logstores[0]!, region: world.regionId },
      { from: now - 900, to: now + 60, query: '*' },
      slsOptions(),
    );
    expect(res.rows).toEqual([]);
    expect(res.progress).toBe('Complete');
  });

  it('answers SLS errors: unknown project, invalid project header, wrong secret', async () => {
    const target = { project: 'no-such-proj', logstore: 'store-0', region: world.regionId };
    const q = { from: now - 900, to: now, query: '*' };
    const failure = (p: Promise<unknown>) =>
      p.then(
        () => new ApiError('none', 'succeeded', 200),
        (e: unknown) => e as ApiError,
      );
    const missing = await failure(getLogs(dev, target, q, slsOptions()));
    expect([missing.code, missing.status]).toEqual(['ProjectNotExist', 404]);
    const invalid = await failure(getLogs(dev, { ...target, project: 'Bad_Name' }, q, slsOptions()));
    expect([invalid.code, invalid.status]).toEqual(['InvalidHost', 400]);
    const wrong = await failure(
      getLogs(
        { accessKeyId: DEV_ACCESS_KEY_ID, accessKeySecret: 'wrong-secret' },
        { ...target, project: world.project },
        q,
        slsOptions(),
      ),
    );
    expect([wrong.code, wrong.status]).toEqual(['SignatureNotMatch', 401]);
  });

  it('binds the project: the same signature sent for another project does not match', async () => {
    const path = `/logstores/${world.logstores[0]}`;
    const query = { type: 'log', from: String(now - 900), to: String(now), query: '*' };
    const headers = await signSlsGet(
      dev,
      { project: world.project, region: world.regionId },
      path,
      query,
      server.endpoint,
    );
    const other = await makeWorld(server.app);
    const search = new URLSearchParams(query).toString();
    const res = await fetch(`${server.url}${path}?${search}`, {
      headers: { ...headers, 'x-log-project': other.project },
    });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { errorCode: string }).errorCode).toBe('SignatureNotMatch');
  });
});
