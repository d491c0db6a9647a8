// The SLS endpoint through the official `@alicloud/sls20201230` client (and one `@alicloud/log` smoke test)
// over a real socket: project and logstore management, and every SLS error the endpoint answers.
import { createRequire } from 'node:module';

import type * as SlsTypes from '@alicloud/sls20201230';
import type * as OpenApiTypes from '@alicloud/openapi-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { DEV_ACCESS_KEY_ID, DEV_ACCESS_KEY_SECRET } from '../src/products/identity/identity-service.js';
import { installSlsHostResolution } from './support/sls-host.js';
import { startTestServer, type TestServer } from './support/server.js';

const require = createRequire(import.meta.url);
// CommonJS with `exports.default = Client`: `require` gives the same object under Node and vitest.
const $Sls = require('@alicloud/sls20201230') as typeof SlsTypes;
const $OpenApi = require('@alicloud/openapi-core') as typeof OpenApiTypes;
const SlsClient = $Sls.default as unknown as typeof SlsTypes.default.default;
type SlsClient = InstanceType<typeof SlsClient>;

// `@alicloud/log` ships no types; the part used here.
interface LogClient {
  createProject(project: string, data: { description?: string }): Promise<unknown>;
  getProject(project: string): Promise<Record<string, unknown>>;
  createLogStore(project: string, logstore: string, data?: Record<string, unknown>): Promise<unknown>;
  listLogStore(project: string, data?: Record<string, unknown>): Promise<Record<string, unknown>>;
  getLogs(
    project: string,
    logstore: string,
    from: Date,
    to: Date,
    data?: Record<string, unknown>,
  ): Promise<unknown>;
}
const LogClientCtor = require('@alicloud/log') as new (config: Record<string, unknown>) => LogClient;

interface SdkError {
  code?: string;
  message: string;
  data?: { httpCode?: number; statusCode?: number; requestId?: string };
}

async function failure(fn: () => Promise<unknown>): Promise<SdkError> {
  try {
    await fn();
  } catch (err) {
    return err as SdkError;
  }
  throw new Error('expected the call to fail');
}

let server: TestServer;
let uninstall: () => void;

const OTHER = {
  accountId: '9999888877776666',
  accessKeyId: 'LTAI5tOtherAccountKey01',
  secret: 'other-account-secret-01',
};
const DISABLED = { accessKeyId: 'LTAI5tDisabledKey000001', secret: 'disabled-key-secret-0001' };

function sls(opts: { ak?: string; secret?: string; host?: string; v4?: boolean } = {}): SlsClient {
  return new SlsClient(
    new $OpenApi.$OpenApiUtil.Config({
      accessKeyId: opts.ak ?? DEV_ACCESS_KEY_ID,
      accessKeySecret: opts.secret ?? DEV_ACCESS_KEY_SECRET,
      endpoint: `${opts.host ?? 'localhost'}:${server.port}`,
      protocol: 'http',
      ...(opts.v4 ? { signatureVersion: 'v4', regionId: 'cn-hangzhou' } : {}),
    }),
  );
}

beforeAll(async () => {
  uninstall = installSlsHostResolution();
  server = await startTestServer();
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
  await repos.identity.putAccessKey(
    {
      access_key_id: DISABLED.accessKeyId,
      account_id: OTHER.accountId,
      secret: DISABLED.secret,
      status: 'Inactive',
      principal_type: 'account',
    },
    Date.now(),
  );
});

afterAll(async () => {
  await server.close();
  uninstall();
});

describe('projects', () => {
  it('creates, gets, lists and deletes a project', async () => {
    const client = sls();
    await client.createProject(
      new $Sls.CreateProjectRequest({ projectName: 'crud-proj', description: 'flow logs' }),
    );
    const got = await client.getProject('crud-proj');
    expect(got.statusCode).toBe(200);
    expect(got.body).toMatchObject({
      projectName: 'crud-proj',
      description: 'flow logs',
      status: 'Normal',
      region: 'cn-hangzhou',
      owner: '1234567890123456',
    });
    expect(got.body?.createTime).toMatch(/^\d{10}$/);

    const listed = await client.listProject(
      new $Sls.ListProjectRequest({ projectName: 'crud', offset: 0, size: 10 }),
    );
    expect(listed.body?.projects?.map((p) => p.projectName)).toEqual(['crud-proj']);
    expect(listed.body?.count).toBe(1);
    expect(listed.body?.total).toBe(1);

    await client.deleteProject('crud-proj', new $Sls.DeleteProjectRequest({}));
    const gone = await failure(() => client.getProject('crud-proj'));
    expect(gone.code).toBe('ProjectNotExist');
    expect(gone.data?.statusCode).toBe(404);
    expect(gone.message).toBe('ProjectNotExist: The Project does not exist : crud-proj');
    expect(gone.data?.requestId).toMatch(/^[0-9A-F]{24}$/);
  });

  it('answers ProjectAlreadyExist, and an invalid name is ParameterInvalid', async () => {
    const client = sls();
    await client.createProject(new $Sls.CreateProjectRequest({ projectName: 'dup-proj', description: '' }));
    const dup = await failure(() =>
      client.createProject(new $Sls.CreateProjectRequest({ projectName: 'dup-proj', description: '' })),
    );
    expect(dup.code).toBe('ProjectAlreadyExist');
    expect(dup.data?.statusCode).toBe(400);
    const bad = await failure(() =>
      client.createProject(new $Sls.CreateProjectRequest({ projectName: 'Bad_Name', description: '' })),
    );
    expect(bad.code).toBe('ParameterInvalid');
    expect(bad.data?.statusCode).toBe(400);
  });

  it("hides another account's project: ProjectNotExist to read, ProjectAlreadyExist to create", async () => {
    await sls().createProject(new $Sls.CreateProjectRequest({ projectName: 'mine-only', description: '' }));
    const other = sls({ ak: OTHER.accessKeyId, secret: OTHER.secret });
    expect((await failure(() => other.getProject('mine-only'))).code).toBe('ProjectNotExist');
    expect(
      (await failure(() => other.deleteProject('mine-only', new $Sls.DeleteProjectRequest({})))).code,
    ).toBe('ProjectNotExist');
    expect(
      (await failure(() => other.listLogStores('mine-only', new $Sls.ListLogStoresRequest({})))).code,
    ).toBe('ProjectNotExist');
    const taken = await failure(() =>
      other.createProject(new $Sls.CreateProjectRequest({ projectName: 'mine-only', description: '' })),
    );
    expect(taken.code).toBe('ProjectAlreadyExist');
    const list = await other.listProject(new $Sls.ListProjectRequest({}));
    expect(list.body?.projects?.map((p) => p.projectName)).not.toContain('mine-only');
  });

  it('takes the region from {project}.{region}.localhost, and is the same project the store holds', async () => {
    const client = sls();
    await client.createProject(new $Sls.CreateProjectRequest({ projectName: 'sh-proj', description: '' }));
    // The bare endpoint defaults to cn-hangzhou; a region-qualified host addresses another region.
    const shanghai = sls({ host: 'cn-shanghai.localhost' });
    await shanghai.createProject(new $Sls.CreateProjectRequest({ projectName: 'sh-only', description: '' }));
    expect((await shanghai.getProject('sh-only')).body?.region).toBe('cn-shanghai');
    // Without a region the unique name settles it.
    expect((await client.getProject('sh-only')).body?.region).toBe('cn-shanghai');
    const row = await server.app.store.repos.logs.getProject('cn-shanghai', 'sh-only');
    expect(row?.account_id).toBe('1234567890123456');
    const regional = await shanghai.listProject(new $Sls.ListProjectRequest({}));
    expect(regional.body?.projects?.map((p) => p.projectName)).toEqual(['sh-only']);
  });
});

describe('logstores', () => {
  beforeAll(async () => {
    await sls().createProject(new $Sls.CreateProjectRequest({ projectName: 'ls-proj', description: '' }));
  });

  it('creates, gets, lists, updates the TTL of and deletes a logstore', async () => {
    const client = sls();
    await client.createLogStore(
      'ls-proj',
      new $Sls.CreateLogStoreRequest({ logstoreName: 'flows', ttl: 7, shardCount: 2 }),
    );
    await client.createLogStore(
      'ls-proj',
      new $Sls.CreateLogStoreRequest({ logstoreName: 'other_store', ttl: 30, shardCount: 1 }),
    );
    const got = await client.getLogStore('ls-proj', 'flows');
    expect(got.body).toMatchObject({ logstoreName: 'flows', ttl: 7, shardCount: 2 });
    expect(typeof got.body?.createTime).toBe('number');

    const list = await client.listLogStores(
      'ls-proj',
      new $Sls.ListLogStoresRequest({ offset: 0, size: 100 }),
    );
    expect(list.body).toMatchObject({ count: 2, total: 2, logstores: ['flows', 'other_store'] });
    const filtered = await client.listLogStores(
      'ls-proj',
      new $Sls.ListLogStoresRequest({ logstoreName: 'oth' }),
    );
    expect(filtered.body?.logstores).toEqual(['other_store']);

    await client.updateLogStore(
      'ls-proj',
      'flows',
      new $Sls.UpdateLogStoreRequest({ logstoreName: 'flows', ttl: 90, shardCount: 2 }),
    );
    expect((await client.getLogStore('ls-proj', 'flows')).body?.ttl).toBe(90);

    await client.deleteLogStore('ls-proj', 'other_store');
    const gone = await failure(() => client.getLogStore('ls-proj', 'other_store'));
    expect(gone.code).toBe('LogStoreNotExist');
    expect(gone.data?.statusCode).toBe(404);
    expect(gone.message).toBe('LogStoreNotExist: logstore other_store does not exist');
  });

  it('answers LogStoreAlreadyExist, LogStoreNotExist and ProjectNotExist', async () => {
    const client = sls();
    await client.createLogStore(
      'ls-proj',
      new $Sls.CreateLogStoreRequest({ logstoreName: 'twice', ttl: 1, shardCount: 1 }),
    );
    const dup = await failure(() =>
      client.createLogStore(
        'ls-proj',
        new $Sls.CreateLogStoreRequest({ logstoreName: 'twice', ttl: 1, shardCount: 1 }),
      ),
    );
    expect(dup.code).toBe('LogStoreAlreadyExist');
    expect(dup.data?.statusCode).toBe(400);
    for (const call of [
      () =>
        client.updateLogStore(
          'ls-proj',
          'nope',
          new $Sls.UpdateLogStoreRequest({ logstoreName: 'nope', ttl: 1, shardCount: 1 }),
        ),
      () => client.deleteLogStore('ls-proj', 'nope'),
      () => client.getLogs('ls-proj', 'nope', new $Sls.GetLogsRequest({ from: 0, to: 10 })),
    ]) {
      const err = await failure(call);
      expect(err.code).toBe('LogStoreNotExist');
      expect(err.data?.statusCode).toBe(404);
    }
    const noProject = await failure(() =>
      client.createLogStore(
        'no-such-proj',
        new $Sls.CreateLogStoreRequest({ logstoreName: 'x1x', ttl: 1, shardCount: 1 }),
      ),
    );
    expect(noProject.code).toBe('ProjectNotExist');
    const badTtl = await failure(() =>
      client.createLogStore(
        'ls-proj',
        new $Sls.CreateLogStoreRequest({ logstoreName: 'badttl', ttl: 0, shardCount: 1 }),
      ),
    );
    expect(badTtl.code).toBe('LogStoreInfoInvalid');
  });

  it('deleting a logstore or a project deletes its records', async () => {
    const client = sls();
    await client.createProject(new $Sls.CreateProjectRequest({ projectName: 'del-proj', description: '' }));
    await client.createLogStore(
      'del-proj',
      new $Sls.CreateLogStoreRequest({ logstoreName: 'a-store', ttl: 1, shardCount: 1 }),
    );
    await client.createLogStore(
      'del-proj',
      new $Sls.CreateLogStoreRequest({ logstoreName: 'b-store', ttl: 1, shardCount: 1 }),
    );
    const t = Math.floor(Date.now() / 1000);
    const rec = (logstore: string) => ({
      region_id: 'cn-hangzhou',
      project_name: 'del-proj',
      logstore_name: logstore,
      flow_log_id: 'fl-1',
      time: t,
      topic: 'flow_log',
      source: '127.0.0.1',
      version: 1,
      vswitch_id: 'vsw-1',
      vm_id: 'i-1',
      vpc_id: 'vpc-1',
      account_id: '1234567890123456',
      eni_id: 'eni-1',
      region: 'cn-hangzhou',
      srcaddr: '10.0.0.1',
      srcport: 1,
      dstaddr: '10.0.0.2',
      dstport: 2,
      protocol: 6,
      direction: 'out',
      packets: 1,
      bytes: 60,
      start: t,
      end: t + 60,
      log_status: 'OK',
      action: 'ACCEPT',
      tcp_flags: 2,
    });
    await server.app.store.records.append([rec('a-store'), rec('b-store')]);
    const count = async () =>
      (
        await server.app.store.records.query(
          "SELECT count(*) AS n FROM log_records WHERE project_name = 'del-proj'",
          [],
        )
      )[0]?.['n'];
    expect(await count()).toBe(2);
    await client.deleteLogStore('del-proj', 'a-store');
    expect(await count()).toBe(1);
    await client.deleteProject('del-proj', new $Sls.DeleteProjectRequest({}));
    expect(await count()).toBe(0);
    // A new logstore with the old name starts empty.
    await client.createProject(new $Sls.CreateProjectRequest({ projectName: 'del-proj', description: '' }));
    expect((await client.listLogStores('del-proj', new $Sls.ListLogStoresRequest({}))).body?.total).toBe(0);
  });
});

describe('authentication errors', () => {
  it('SignatureNotMatch for a wrong secret (v1 and v4)', async () => {
    for (const v4 of [false, true]) {
      const err = await failure(() =>
        sls({ secret: 'wrong-secret-value', v4 }).listProject(new $Sls.ListProjectRequest({})),
      );
      expect(err.code).toBe('SignatureNotMatch');
      expect(err.data?.statusCode).toBe(401);
    }
  });

  it('Unauthorized for an unknown AccessKeyId, InvalidAccessKeyId for a disabled one', async () => {
    const unknown = await failure(() =>
      sls({ ak: 'LTAI5tNoSuchKey0000001' }).listProject(new $Sls.ListProjectRequest({})),
    );
    expect(unknown.code).toBe('Unauthorized');
    expect(unknown.data?.statusCode).toBe(401);
    expect(unknown.message).toBe('Unauthorized: AccessKeyId not found: LTAI5tNoSuchKey0000001');
    const disabled = await failure(() =>
      sls({ ak: DISABLED.accessKeyId, secret: DISABLED.secret }).listProject(new $Sls.ListProjectRequest({})),
    );
    expect(disabled.code).toBe('InvalidAccessKeyId');
    expect(disabled.data?.statusCode).toBe(401);
  });

  it('signature v4 works end to end', async () => {
    const client = sls({ v4: true });
    await client.createProject(new $Sls.CreateProjectRequest({ projectName: 'v4-proj', description: 'v4' }));
    expect((await client.getProject('v4-proj')).body?.description).toBe('v4');
  });

  it('an unsigned SLS request is MissAccessKeyId in the SLS envelope; RPC requests still reach the gateway', async () => {
    const res = await fetch(`${server.url}/policies`, { headers: { 'x-log-apiversion': '0.6.0' } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { errorCode: string }).errorCode).toBe('MissAccessKeyId');
    expect(res.headers.get('x-log-requestid')).toMatch(/^[0-9A-F]{24}$/);
    const rpc = await fetch(`${server.url}/?Action=DescribeRegions`);
    expect(rpc.headers.get('x-log-requestid')).toBeNull();
  });
});

describe('@alicloud/log (the older client)', () => {
  it('creates a project and a logstore, reads them and queries logs', async () => {
    const client = new LogClientCtor({
      accessKeyId: DEV_ACCESS_KEY_ID,
      accessKeySecret: DEV_ACCESS_KEY_SECRET,
      endpoint: `http://localhost:${server.port}`,
    });
    await client.createProject('old-client', { description: 'from @alicloud/log' });
    expect(await client.getProject('old-client')).toMatchObject({ projectName: 'old-client' });
    await client.createLogStore('old-client', 'events', { ttl: 3, shardCount: 1 });
    expect(await client.listLogStore('old-client')).toMatchObject({ logstores: ['events'] });
    const to = new Date();
    const logs = await client.getLogs('old-client', 'events', new Date(to.getTime() - 3_600_000), to, {
      query: '*',
    });
    expect(logs).toEqual([]);
    const err = await failure(() => client.getProject('no-such-old'));
    expect(err.code).toBe('ProjectNotExist');
  });
});
