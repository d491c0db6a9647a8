// RAM on the SLS endpoint through `@alicloud/sls20201230`, with a RAM user's key and an STS session:
// each SLS operation's action and ARN, denials in SLS's own shape (Unauthorized 401, "denied by sts or
// ram, action: ..., resource: ..."), and the STS token errors.
import { createRequire } from 'node:module';

import type * as SlsTypes from '@alicloud/sls20201230';
import type * as OpenApiTypes from '@alicloud/openapi-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { DEV_ACCOUNT_ID } from '../src/products/identity/identity-service.js';
import { tokenHash } from '../src/products/ram/ram-ids.js';
import { assume, ramClient, RamModels, ramRole, ramUser, type Creds } from './support/identity.js';
import { installSlsHostResolution } from './support/sls-host.js';
import { startTestServer, type TestServer } from './support/server.js';

const require = createRequire(import.meta.url);
const $Sls = require('@alicloud/sls20201230') as typeof SlsTypes;
const $OpenApi = require('@alicloud/openapi-core') as typeof OpenApiTypes;
const SlsClient = $Sls.default as unknown as typeof SlsTypes.default.default;
type SlsClient = InstanceType<typeof SlsClient>;

interface SdkError {
  code?: string;
  message: string;
  statusCode?: number;
  data?: { httpCode?: number; statusCode?: number };
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
const ROOT_CREDS = undefined;

function sls(c?: Creds): SlsClient {
  return new SlsClient(
    new $OpenApi.$OpenApiUtil.Config({
      accessKeyId: c?.accessKeyId ?? 'LTAI5tVpcflowDevAccessKey',
      accessKeySecret: c?.accessKeySecret ?? 'VpcflowDevAccessKeySecret00000',
      ...(c?.securityToken ? { securityToken: c.securityToken } : {}),
      endpoint: `localhost:${server.port}`,
      protocol: 'http',
    }),
  );
}
const PROJECT = 'ram-proj';
const ARN = `acs:log:cn-hangzhou:${DEV_ACCOUNT_ID}:project/${PROJECT}`;
const getLogs = (c: Creds, logstore: string) =>
  sls(c).getLogs(PROJECT, logstore, new $Sls.GetLogsRequest({ from: 0, to: 10 }));

function expectDenied(err: SdkError, action: string, resource: string): void {
  expect(err.code).toBe('Unauthorized');
  expect(err.message).toContain(`denied by sts or ram, action: ${action}, resource: ${resource}`);
}

beforeAll(async () => {
  uninstall = installSlsHostResolution();
  server = await startTestServer();
  const root = sls(ROOT_CREDS);
  await root.createProject(new $Sls.CreateProjectRequest({ projectName: PROJECT, description: 'ram' }));
  for (const logstoreName of ['allowed', 'secret'])
    await root.createLogStore(
      PROJECT,
      new $Sls.CreateLogStoreRequest({ logstoreName, ttl: 7, shardCount: 1 }),
    );
});
afterAll(async () => {
  await server.close();
  uninstall();
});

describe('SLS with a RAM user', () => {
  it('no policy: every operation is denied with its action and ARN', async () => {
    const c = await ramUser(server.endpoint, 'sls-nopolicy');
    expectDenied(await failure(() => sls(c).getProject(PROJECT)), 'log:GetProject', ARN);
    expectDenied(
      await failure(() => sls(c).listProject(new $Sls.ListProjectRequest({}))),
      'log:ListProject',
      `acs:log:cn-hangzhou:${DEV_ACCOUNT_ID}:project/*`,
    );
    expectDenied(
      await failure(() => getLogs(c, 'allowed')),
      'log:GetLogStoreLogs',
      `${ARN}/logstore/allowed`,
    );
  });

  it('AliyunLogReadOnlyAccess: reads allowed, writes denied', async () => {
    const c = await ramUser(server.endpoint, 'sls-reader', ['AliyunLogReadOnlyAccess']);
    expect((await sls(c).getProject(PROJECT)).body?.projectName).toBe(PROJECT);
    const stores = await sls(c).listLogStores(PROJECT, new $Sls.ListLogStoresRequest({}));
    expect(stores.body?.logstores?.sort()).toEqual(['allowed', 'secret']);
    expect((await getLogs(c, 'allowed')).statusCode).toBe(200);
    expectDenied(
      await failure(() =>
        sls(c).createLogStore(
          PROJECT,
          new $Sls.CreateLogStoreRequest({ logstoreName: 'new', ttl: 1, shardCount: 1 }),
        ),
      ),
      'log:CreateLogStore',
      `${ARN}/logstore/*`,
    );
    expectDenied(
      await failure(() => sls(c).deleteLogStore(PROJECT, 'secret')),
      'log:DeleteLogStore',
      `${ARN}/logstore/secret`,
    );
  });

  it('an explicit Deny on one logstore, and a policy scoped to one logstore', async () => {
    const denied = await ramUser(server.endpoint, 'sls-denied', [
      'AliyunLogFullAccess',
      [
        {
          Effect: 'Deny',
          Action: 'log:GetLogStoreLogs',
          Resource: `acs:log:*:*:project/${PROJECT}/logstore/secret`,
        },
      ],
    ]);
    expect((await getLogs(denied, 'allowed')).statusCode).toBe(200);
    expectDenied(
      await failure(() => getLogs(denied, 'secret')),
      'log:GetLogStoreLogs',
      `${ARN}/logstore/secret`,
    );
    const scoped = await ramUser(server.endpoint, 'sls-scoped', [
      [{ Effect: 'Allow', Action: 'log:Get*', Resource: `acs:log:*:*:project/${PROJECT}/logstore/allowed` }],
    ]);
    expect((await getLogs(scoped, 'allowed')).statusCode).toBe(200);
    expectDenied(
      await failure(() => getLogs(scoped, 'secret')),
      'log:GetLogStoreLogs',
      `${ARN}/logstore/secret`,
    );
  });

  it('a policy naming log:GetLogs grants nothing: GetLogs and GetLogsV2 are log:GetLogStoreLogs', async () => {
    const c = await ramUser(server.endpoint, 'sls-wrong-action', [
      [{ Effect: 'Allow', Action: ['log:GetLogs', 'log:GetLogStore'], Resource: '*' }],
    ]);
    expect((await sls(c).getLogStore(PROJECT, 'allowed')).statusCode).toBe(200);
    expectDenied(
      await failure(() => getLogs(c, 'allowed')),
      'log:GetLogStoreLogs',
      `${ARN}/logstore/allowed`,
    );
    expectDenied(
      await failure(() =>
        sls(c).getLogsV2(PROJECT, 'allowed', new $Sls.GetLogsV2Request({ from: 0, to: 10, query: '*' })),
      ),
      'log:GetLogStoreLogs',
      `${ARN}/logstore/allowed`,
    );
  });

  it('acs:SourceIp and an inactive key', async () => {
    const far = await ramUser(server.endpoint, 'sls-far', [
      [
        {
          Effect: 'Allow',
          Action: 'log:*',
          Resource: '*',
          Condition: { IpAddress: { 'acs:SourceIp': '192.0.2.0/24' } },
        },
      ],
    ]);
    expectDenied(
      await failure(() => getLogs(far, 'allowed')),
      'log:GetLogStoreLogs',
      `${ARN}/logstore/allowed`,
    );
    const off = await ramUser(server.endpoint, 'sls-off', ['AliyunLogFullAccess']);
    await ramClient(server.endpoint).updateAccessKey(
      new RamModels.UpdateAccessKeyRequest({
        userName: 'sls-off',
        userAccessKeyId: off.accessKeyId,
        status: 'Inactive',
      }),
    );
    expect((await failure(() => getLogs(off, 'allowed'))).code).toBe('InvalidAccessKeyId');
  });
});

describe('SLS with an STS session', () => {
  let roleArn: string;
  beforeAll(async () => {
    roleArn = await ramRole(server.endpoint, 'log-reader', DEV_ACCOUNT_ID, ['AliyunLogReadOnlyAccess']);
  });

  it('reads as the role; writes denied; a session Policy narrows to one logstore', async () => {
    const s = await assume(server.endpoint, roleArn);
    expect((await getLogs(s, 'secret')).statusCode).toBe(200);
    expectDenied(
      await failure(() => sls(s).deleteProject(PROJECT, new $Sls.DeleteProjectRequest({}))),
      'log:DeleteProject',
      ARN,
    );
    const narrowed = await assume(server.endpoint, roleArn, {
      policy: [
        { Effect: 'Allow', Action: 'log:*', Resource: `acs:log:*:*:project/${PROJECT}/logstore/allowed` },
      ],
    });
    expect((await getLogs(narrowed, 'allowed')).statusCode).toBe(200);
    expectDenied(
      await failure(() => getLogs(narrowed, 'secret')),
      'log:GetLogStoreLogs',
      `${ARN}/logstore/secret`,
    );
  });

  it('a wrong, missing or expired token is refused', async () => {
    const s = await assume(server.endpoint, roleArn);
    expect(
      (await failure(() => getLogs({ ...s, securityToken: `${s.securityToken}x` }, 'allowed'))).code,
    ).toBe('Unauthorized');
    expect((await failure(() => getLogs({ ...s, securityToken: undefined }, 'allowed'))).code).toBe(
      'Unauthorized',
    );
    const role = await server.app.store.repos.ram.getRole(DEV_ACCOUNT_ID, 'log-reader');
    await server.app.store.repos.ram.insertSession({
      access_key_id: 'STS.SlsExpiredSession00000001',
      account_id: DEV_ACCOUNT_ID,
      secret: server.app.services.identity.secrets.seal('sls-expired-secret-00000000000'),
      token_hash: tokenHash('CAISslsexpired'),
      role_id: role!.role_id,
      role_name: role!.role_name,
      session_name: 'old',
      session_policy: null,
      created_at: Date.now() - 7_200_000,
      expires_at: Date.now() - 3_600_000,
    });
    const expired = await failure(() =>
      getLogs(
        {
          accessKeyId: 'STS.SlsExpiredSession00000001',
          accessKeySecret: 'sls-expired-secret-00000000000',
          securityToken: 'CAISslsexpired',
        },
        'allowed',
      ),
    );
    expect(expired.code).toBe('SecurityTokenExpired');
  });
});
