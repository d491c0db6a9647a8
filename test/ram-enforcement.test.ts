/**
 * RAM enforcement through the official clients, with a RAM user's AccessKey and with an STS session:
 * every denial path of the identity issue, asserted on the wire (Forbidden.RAM 403 and the
 * AccessDeniedDetail the Tea SDK exposes as `accessDeniedDetail`), and the credential errors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import PopCore from '@alicloud/pop-core';
import { DEV_ACCOUNT_ID } from '../src/products/identity/identity-service.js';
import { tokenHash } from '../src/products/ram/ram-ids.js';
import { sdkError, vpcClient, VpcModels } from './support/clients.js';
import { assume, ramClient, RamModels, ramRole, ramUser, vpcAs, type Creds } from './support/identity.js';
import { startTestServer, type TestServer } from './support/server.js';
import { makeWorld, type World } from './support/world.js';

let server: TestServer;
let w: World;
let fl1: string;
let fl2: string;

interface DeniedError {
  code?: string;
  statusCode?: number;
  accessDeniedDetail?: Record<string, unknown>;
  data?: Record<string, unknown>;
}

beforeAll(async () => {
  server = await startTestServer();
  w = await makeWorld(server.app);
  const root = vpcClient(server.endpoint);
  fl1 = (await root.createFlowLog(createReq(0))).body!.flowLogId!;
  fl2 = (await root.createFlowLog(createReq(1))).body!.flowLogId!;
});
afterAll(async () => server.close());

function createReq(store: number): VpcModels.CreateFlowLogRequest {
  return new VpcModels.CreateFlowLogRequest({
    regionId: w.regionId,
    resourceType: 'NetworkInterface',
    resourceId: w.eniIds[store],
    trafficType: 'All',
    projectName: w.project,
    logStoreName: w.logstores[store],
  });
}
const describeReq = () => new VpcModels.DescribeFlowLogsRequest({ regionId: w.regionId });
const modifyReq = (id: string) =>
  new VpcModels.ModifyFlowLogAttributeRequest({
    regionId: w.regionId,
    flowLogId: id,
    description: 'changed',
  });

function popAs(c: Creds): PopCore {
  return new PopCore({
    accessKeyId: c.accessKeyId,
    accessKeySecret: c.accessKeySecret,
    ...(c.securityToken ? { securityToken: c.securityToken } : {}),
    endpoint: server.url,
    apiVersion: '2016-04-28',
  });
}

function expectDenied(err: DeniedError, action: string, type: string, kind: 'ImplicitDeny' | 'ExplicitDeny') {
  expect(err.code).toBe('Forbidden.RAM');
  expect(err.statusCode).toBe(403);
  expect(err.accessDeniedDetail).toMatchObject({
    AuthAction: action,
    AuthPrincipalType: type,
    AuthPrincipalOwnerId: DEV_ACCOUNT_ID,
    PolicyType: 'AccountLevelIdentityBasedPolicy',
    NoPermissionType: kind,
  });
  expect(typeof err.accessDeniedDetail?.['AuthPrincipalDisplayName']).toBe('string');
  expect(typeof err.accessDeniedDetail?.['EncodedDiagnosticMessage']).toBe('string');
}

describe('a RAM user', () => {
  it('with no policy: ImplicitDeny (Tea v3, Tea v1 signing, pop-core)', async () => {
    const c = await ramUser(server.endpoint, 'nopolicy');
    expectDenied(
      await sdkError(() => vpcAs(server.endpoint, c).describeFlowLogs(describeReq())),
      'vpc:DescribeFlowLogs',
      'SubUser',
      'ImplicitDeny',
    );
    expectDenied(
      await sdkError(() => vpcAs(server.endpoint, c, 'v2').describeFlowLogs(describeReq())),
      'vpc:DescribeFlowLogs',
      'SubUser',
      'ImplicitDeny',
    );
    const pop = (await sdkError(() =>
      popAs(c).request('DescribeFlowLogs', { RegionId: w.regionId }),
    )) as DeniedError;
    expect(pop.code).toBe('Forbidden.RAM');
    expect(pop.data?.['AccessDeniedDetail']).toMatchObject({ NoPermissionType: 'ImplicitDeny' });
  });

  it('with AliyunVPCReadOnlyAccess: describe allowed, create denied', async () => {
    const c = await ramUser(server.endpoint, 'readonly', ['AliyunVPCReadOnlyAccess']);
    const listed = await vpcAs(server.endpoint, c).describeFlowLogs(describeReq());
    expect(listed.body?.flowLogs?.flowLog?.map((f) => f.flowLogId).sort()).toEqual([fl1, fl2].sort());
    expect((await popAs(c).request('DescribeFlowLogs', { RegionId: w.regionId })) as object).toHaveProperty(
      'FlowLogs',
    );
    expectDenied(
      await sdkError(() => vpcAs(server.endpoint, c).createFlowLog(createReq(0))),
      'vpc:CreateFlowLog',
      'SubUser',
      'ImplicitDeny',
    );
    const pop = (await sdkError(() =>
      popAs(c).request('DeleteFlowLog', { RegionId: w.regionId, FlowLogId: fl1 }),
    )) as DeniedError;
    expect(pop.code).toBe('Forbidden.RAM');
  });

  it('an explicit Deny over an Allow: ExplicitDeny', async () => {
    const c = await ramUser(server.endpoint, 'denied', [
      'AliyunVPCFullAccess',
      [{ Effect: 'Deny', Action: 'vpc:DescribeFlowLogs', Resource: '*' }],
    ]);
    expectDenied(
      await sdkError(() => vpcAs(server.endpoint, c).describeFlowLogs(describeReq())),
      'vpc:DescribeFlowLogs',
      'SubUser',
      'ExplicitDeny',
    );
    // The Allow still covers what the Deny does not name.
    await vpcAs(server.endpoint, c).describeVpcs(new VpcModels.DescribeVpcsRequest({ regionId: w.regionId }));
  });

  it('a resource-scoped policy: one flow log allowed, another denied', async () => {
    const c = await ramUser(server.endpoint, 'scoped', [
      [{ Effect: 'Allow', Action: 'vpc:*FlowLog*', Resource: `acs:vpc:*:${DEV_ACCOUNT_ID}:flowlog/${fl1}` }],
    ]);
    await vpcAs(server.endpoint, c).modifyFlowLogAttribute(modifyReq(fl1));
    expectDenied(
      await sdkError(() => vpcAs(server.endpoint, c).modifyFlowLogAttribute(modifyReq(fl2))),
      'vpc:ModifyFlowLogAttribute',
      'SubUser',
      'ImplicitDeny',
    );
    // DescribeFlowLogs is checked against flowlog/{FlowLogId}, or flowlog/* without one: refused whole.
    const one = await vpcAs(server.endpoint, c).describeFlowLogs(
      new VpcModels.DescribeFlowLogsRequest({ regionId: w.regionId, flowLogId: fl1 }),
    );
    expect(one.body?.flowLogs?.flowLog?.[0]?.flowLogId).toBe(fl1);
    expect((await sdkError(() => vpcAs(server.endpoint, c).describeFlowLogs(describeReq()))).code).toBe(
      'Forbidden.RAM',
    );
  });

  it('acs:SourceIp: allowed from 127.0.0.1/32, denied when the policy names another network', async () => {
    const near = await ramUser(server.endpoint, 'from-loopback', [
      [
        {
          Effect: 'Allow',
          Action: 'vpc:Describe*',
          Resource: '*',
          Condition: { IpAddress: { 'acs:SourceIp': '127.0.0.1/32' } },
        },
      ],
    ]);
    await vpcAs(server.endpoint, near).describeFlowLogs(describeReq());
    const far = await ramUser(server.endpoint, 'from-office', [
      [
        {
          Effect: 'Allow',
          Action: 'vpc:Describe*',
          Resource: '*',
          Condition: { IpAddress: { 'acs:SourceIp': '203.0.113.0/24' } },
        },
      ],
    ]);
    expectDenied(
      await sdkError(() => vpcAs(server.endpoint, far).describeFlowLogs(describeReq())),
      'vpc:DescribeFlowLogs',
      'SubUser',
      'ImplicitDeny',
    );
    const denyHere = await ramUser(server.endpoint, 'not-from-here', [
      'AliyunVPCReadOnlyAccess',
      [
        {
          Effect: 'Deny',
          Action: '*',
          Resource: '*',
          Condition: { NotIpAddress: { 'acs:SourceIp': '203.0.113.0/24' } },
        },
      ],
    ]);
    expectDenied(
      await sdkError(() => vpcAs(server.endpoint, denyHere).describeFlowLogs(describeReq())),
      'vpc:DescribeFlowLogs',
      'SubUser',
      'ExplicitDeny',
    );
  });

  it('an inactive key is refused before any policy', async () => {
    const c = await ramUser(server.endpoint, 'inactive', ['AliyunVPCFullAccess']);
    await ramClient(server.endpoint).updateAccessKey(
      new RamModels.UpdateAccessKeyRequest({
        userName: 'inactive',
        userAccessKeyId: c.accessKeyId,
        status: 'Inactive',
      }),
    );
    const err = await sdkError(() => vpcAs(server.endpoint, c).describeFlowLogs(describeReq()));
    expect(err.code).toBe('InvalidAccessKeyId.Inactive');
    expect((await sdkError(() => popAs(c).request('DescribeFlowLogs', { RegionId: w.regionId }))).code).toBe(
      'InvalidAccessKeyId.Inactive',
    );
  });

  it('calling RAM without a RAM policy: NoPermission 403 with AccessDeniedDetail', async () => {
    const c = await ramUser(server.endpoint, 'ram-less', ['AliyunVPCFullAccess']);
    const err = (await sdkError(() =>
      ramClient(server.endpoint, c).createUser(new RamModels.CreateUserRequest({ userName: 'sneaky' })),
    )) as DeniedError;
    expect(err.code).toBe('NoPermission');
    expect(err.statusCode).toBe(403);
    expect(err.accessDeniedDetail).toMatchObject({
      AuthAction: 'ram:CreateUser',
      NoPermissionType: 'ImplicitDeny',
    });
    const reader = await ramUser(server.endpoint, 'ram-reader', ['AliyunRAMReadOnlyAccess']);
    const users = await ramClient(server.endpoint, reader).listUsers(new RamModels.ListUsersRequest({}));
    expect(users.body?.users?.user?.length).toBeGreaterThan(0);
  });

  it('Owner* parameters naming another account: Unauthorized', async () => {
    const c = await ramUser(server.endpoint, 'owner-param', ['AliyunVPCReadOnlyAccess']);
    const err = await sdkError(() =>
      vpcAs(server.endpoint, c).describeFlowLogs(
        new VpcModels.DescribeFlowLogsRequest({ regionId: w.regionId, resourceOwnerId: 42 }),
      ),
    );
    expect(err.code).toBe('Unauthorized');
    // Its own account is fine.
    await vpcAs(server.endpoint, c).describeFlowLogs(
      new VpcModels.DescribeFlowLogsRequest({ regionId: w.regionId, ownerId: Number(DEV_ACCOUNT_ID) }),
    );
  });
});

describe('an STS role session', () => {
  let readerRole: string;
  beforeAll(async () => {
    readerRole = await ramRole(server.endpoint, 'vpc-reader', DEV_ACCOUNT_ID, ['AliyunVPCReadOnlyAccess']);
  });

  it('acts as the role: describe allowed, create denied as AssumedRoleUser (v3 header and v1 parameter)', async () => {
    const s = await assume(server.endpoint, readerRole, { sessionName: 'reader' });
    await vpcAs(server.endpoint, s).describeFlowLogs(describeReq());
    await vpcAs(server.endpoint, s, 'v2').describeFlowLogs(describeReq());
    await popAs(s).request('DescribeFlowLogs', { RegionId: w.regionId });
    const err = (await sdkError(() => vpcAs(server.endpoint, s).createFlowLog(createReq(0)))) as DeniedError;
    expectDenied(err, 'vpc:CreateFlowLog', 'AssumedRoleUser', 'ImplicitDeny');
    expect(err.accessDeniedDetail?.['AuthPrincipalDisplayName']).toBe('vpc-reader:reader');
  });

  it('a role with no policy: ImplicitDeny; a session Policy narrows, its Deny is explicit', async () => {
    const empty = await ramRole(server.endpoint, 'empty-role', DEV_ACCOUNT_ID);
    const s = await assume(server.endpoint, empty);
    expectDenied(
      await sdkError(() => vpcAs(server.endpoint, s).describeFlowLogs(describeReq())),
      'vpc:DescribeFlowLogs',
      'AssumedRoleUser',
      'ImplicitDeny',
    );
    const narrowed = await assume(server.endpoint, readerRole, {
      policy: [{ Effect: 'Allow', Action: 'vpc:DescribeVpcs', Resource: '*' }],
    });
    await vpcAs(server.endpoint, narrowed).describeVpcs(
      new VpcModels.DescribeVpcsRequest({ regionId: w.regionId }),
    );
    expectDenied(
      await sdkError(() => vpcAs(server.endpoint, narrowed).describeFlowLogs(describeReq())),
      'vpc:DescribeFlowLogs',
      'AssumedRoleUser',
      'ImplicitDeny',
    );
    const denying = await assume(server.endpoint, readerRole, {
      policy: [
        { Effect: 'Allow', Action: '*', Resource: '*' },
        { Effect: 'Deny', Action: 'vpc:DescribeFlowLogs', Resource: `acs:vpc:*:*:flowlog/*` },
      ],
    });
    expectDenied(
      await sdkError(() => vpcAs(server.endpoint, denying).describeFlowLogs(describeReq())),
      'vpc:DescribeFlowLogs',
      'AssumedRoleUser',
      'ExplicitDeny',
    );
  });

  it('a resource-scoped role and acs:SourceIp apply to sessions too', async () => {
    const scoped = await ramRole(server.endpoint, 'one-flowlog', DEV_ACCOUNT_ID, [
      [
        {
          Effect: 'Allow',
          Action: 'vpc:ModifyFlowLogAttribute',
          Resource: `acs:vpc:${w.regionId}:${DEV_ACCOUNT_ID}:flowlog/${fl2}`,
          Condition: { IpAddress: { 'acs:SourceIp': ['127.0.0.0/8', '::1'] } },
        },
      ],
    ]);
    const s = await assume(server.endpoint, scoped);
    await vpcAs(server.endpoint, s).modifyFlowLogAttribute(modifyReq(fl2));
    expectDenied(
      await sdkError(() => vpcAs(server.endpoint, s).modifyFlowLogAttribute(modifyReq(fl1))),
      'vpc:ModifyFlowLogAttribute',
      'AssumedRoleUser',
      'ImplicitDeny',
    );
  });

  it('a wrong, missing or expired token is refused with the STS codes', async () => {
    const s = await assume(server.endpoint, readerRole);
    const wrong = await sdkError(() =>
      vpcAs(server.endpoint, { ...s, securityToken: `${s.securityToken}x` }).describeFlowLogs(describeReq()),
    );
    expect(wrong.code).toBe('InvalidSecurityToken.MismatchWithAccessKey');
    const missing = await sdkError(() =>
      popAs({ ...s, securityToken: undefined }).request('DescribeFlowLogs', { RegionId: w.regionId }),
    );
    expect(missing.code).toBe('MissingSecurityToken');
    // An expired session, as AssumeRole writes one, an hour past its Expiration.
    const role = await server.app.store.repos.ram.getRole(DEV_ACCOUNT_ID, 'vpc-reader');
    await server.app.store.repos.ram.insertSession({
      access_key_id: 'STS.ExpiredSession0000000001',
      account_id: DEV_ACCOUNT_ID,
      secret: server.app.services.identity.secrets.seal('expired-secret-000000000000000'),
      token_hash: tokenHash('CAISexpiredtoken'),
      role_id: role!.role_id,
      role_name: role!.role_name,
      session_name: 'old',
      session_policy: null,
      created_at: Date.now() - 7_200_000,
      expires_at: Date.now() - 3_600_000,
    });
    const expired: Creds = {
      accessKeyId: 'STS.ExpiredSession0000000001',
      accessKeySecret: 'expired-secret-000000000000000',
      securityToken: 'CAISexpiredtoken',
    };
    expect((await sdkError(() => vpcAs(server.endpoint, expired).describeFlowLogs(describeReq()))).code).toBe(
      'InvalidSecurityToken.Expired',
    );
    expect(
      (await sdkError(() => popAs(expired).request('DescribeFlowLogs', { RegionId: w.regionId }))).code,
    ).toBe('InvalidSecurityToken.Expired');
  });

  it('a RAM user needs sts:AssumeRole and the trust policy to name it', async () => {
    const without = await ramUser(server.endpoint, 'cannot-assume');
    const denied = (await sdkError(() =>
      assume(server.endpoint, readerRole, { as: without }),
    )) as DeniedError;
    expect(denied.code).toBe('NoPermission');
    expect(denied.accessDeniedDetail).toMatchObject({ AuthAction: 'sts:AssumeRole' });
    const withPolicy = await ramUser(server.endpoint, 'can-assume', ['AliyunSTSAssumeRoleAccess']);
    const s = await assume(server.endpoint, readerRole, { as: withPolicy });
    await vpcAs(server.endpoint, s).describeFlowLogs(describeReq());
  });
});
