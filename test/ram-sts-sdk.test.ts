/**
 * Every RAM (2015-05-01) and STS (2015-04-01) operation vpcflow serves, through the official SDKs
 * unmodified over a real socket: shapes, RAM's error codes, limits, and what a failed write leaves.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_ACCOUNT_ID } from '../src/products/identity/identity-service.js';
import { sdkError } from './support/clients.js';
import {
  assume,
  policyDoc,
  ramClient,
  RamModels,
  stsClient,
  StsModels,
  type RamClient,
} from './support/identity.js';
import { startTestServer, type TestServer } from './support/server.js';

let server: TestServer;
let ram: RamClient;
beforeAll(async () => {
  server = await startTestServer();
  ram = ramClient(server.endpoint);
});
afterAll(async () => server.close());

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const READ_VPC = [{ Effect: 'Allow', Action: 'vpc:Describe*', Resource: '*' }];

describe('RAM users', () => {
  it('CreateUser, GetUser, UpdateUser, ListUsers, DeleteUser', async () => {
    const created = await ram.createUser(
      new RamModels.CreateUserRequest({
        userName: 'alice',
        displayName: 'Alice',
        email: 'alice@example.com',
      }),
    );
    const user = created.body?.user;
    expect(user?.userName).toBe('alice');
    expect(user?.displayName).toBe('Alice');
    expect(user?.userId).toMatch(/^\d{16}$/);
    expect(user?.createDate).toMatch(ISO);

    const got = await ram.getUser(new RamModels.GetUserRequest({ userName: 'alice' }));
    expect(got.body?.user).toMatchObject({ userId: user?.userId, email: 'alice@example.com' });

    const updated = await ram.updateUser(
      new RamModels.UpdateUserRequest({ userName: 'alice', newUserName: 'alice2', newComments: 'renamed' }),
    );
    expect(updated.body?.user).toMatchObject({
      userName: 'alice2',
      comments: 'renamed',
      userId: user?.userId,
    });

    for (const n of ['bob', 'carol']) await ram.createUser(new RamModels.CreateUserRequest({ userName: n }));
    const page1 = await ram.listUsers(new RamModels.ListUsersRequest({ maxItems: 2 }));
    expect(page1.body?.isTruncated).toBe(true);
    expect(page1.body?.users?.user?.map((u) => u.userName)).toEqual(['alice2', 'bob']);
    const page2 = await ram.listUsers(
      new RamModels.ListUsersRequest({ maxItems: 2, marker: page1.body?.marker }),
    );
    expect(page2.body?.isTruncated).toBe(false);
    expect(page2.body?.users?.user?.map((u) => u.userName)).toEqual(['carol']);

    await ram.deleteUser(new RamModels.DeleteUserRequest({ userName: 'carol' }));
    const gone = await sdkError(() => ram.getUser(new RamModels.GetUserRequest({ userName: 'carol' })));
    expect(gone.code).toBe('EntityNotExist.User');
    expect(gone.statusCode).toBe(404);
  });

  it('refuses duplicates and bad names with RAM codes', async () => {
    const dup = await sdkError(() => ram.createUser(new RamModels.CreateUserRequest({ userName: 'bob' })));
    expect(dup.code).toBe('EntityAlreadyExists.User');
    expect(dup.statusCode).toBe(409);
    const chars = await sdkError(() =>
      ram.createUser(new RamModels.CreateUserRequest({ userName: 'bad name' })),
    );
    expect(chars.code).toBe('InvalidParameter.UserName.InvalidChars');
    const long = await sdkError(() =>
      ram.createUser(new RamModels.CreateUserRequest({ userName: 'x'.repeat(65) })),
    );
    expect(long.code).toBe('InvalidParameter.UserName.Length');
    const email = await sdkError(() =>
      ram.createUser(new RamModels.CreateUserRequest({ userName: 'dave', email: 'not-an-email' })),
    );
    expect(email.code).toBe('InvalidParameter.Email.Format');
    // The failed create changed nothing.
    expect((await sdkError(() => ram.getUser(new RamModels.GetUserRequest({ userName: 'dave' })))).code).toBe(
      'EntityNotExist.User',
    );
  });
});

describe('AccessKeys', () => {
  it('the secret is returned once; at most two keys; Active/Inactive; delete', async () => {
    await ram.createUser(new RamModels.CreateUserRequest({ userName: 'keys' }));
    const k1 = (await ram.createAccessKey(new RamModels.CreateAccessKeyRequest({ userName: 'keys' }))).body
      ?.accessKey;
    expect(k1?.accessKeyId).toMatch(/^LTAI5t[A-Za-z0-9]{18}$/);
    expect(k1?.accessKeySecret).toMatch(/^[A-Za-z0-9]{30}$/);
    expect(k1?.status).toBe('Active');
    await ram.createAccessKey(new RamModels.CreateAccessKeyRequest({ userName: 'keys' }));
    const third = await sdkError(() =>
      ram.createAccessKey(new RamModels.CreateAccessKeyRequest({ userName: 'keys' })),
    );
    expect(third.code).toBe('LimitExceeded.User.AccessKey');

    const listed = await ram.listAccessKeys(new RamModels.ListAccessKeysRequest({ userName: 'keys' }));
    const keys = listed.body?.accessKeys?.accessKey ?? [];
    expect(keys).toHaveLength(2);
    expect(JSON.stringify(listed.body)).not.toContain(k1?.accessKeySecret ?? 'x');

    await ram.updateAccessKey(
      new RamModels.UpdateAccessKeyRequest({
        userName: 'keys',
        userAccessKeyId: k1?.accessKeyId,
        status: 'Inactive',
      }),
    );
    const after = await ram.listAccessKeys(new RamModels.ListAccessKeysRequest({ userName: 'keys' }));
    expect(after.body?.accessKeys?.accessKey?.find((k) => k.accessKeyId === k1?.accessKeyId)?.status).toBe(
      'Inactive',
    );

    const busy = await sdkError(() => ram.deleteUser(new RamModels.DeleteUserRequest({ userName: 'keys' })));
    expect(busy.code).toBe('DeleteConflict.User.AccessKey');
    for (const k of keys)
      await ram.deleteAccessKey(
        new RamModels.DeleteAccessKeyRequest({ userName: 'keys', userAccessKeyId: k.accessKeyId }),
      );
    const missing = await sdkError(() =>
      ram.deleteAccessKey(
        new RamModels.DeleteAccessKeyRequest({ userName: 'keys', userAccessKeyId: 'LTAI5tNope' }),
      ),
    );
    expect(missing.code).toBe('EntityNotExist.User.AccessKey');
    await ram.deleteUser(new RamModels.DeleteUserRequest({ userName: 'keys' }));
  });

  it('secrets are stored sealed, never in plain text', async () => {
    await ram.createUser(new RamModels.CreateUserRequest({ userName: 'sealed' }));
    const k = (await ram.createAccessKey(new RamModels.CreateAccessKeyRequest({ userName: 'sealed' }))).body
      ?.accessKey;
    const row = await server.app.store.repos.identity.getAccessKey(k?.accessKeyId ?? '');
    expect(row?.secret.startsWith('enc:v1:')).toBe(true);
    expect(row?.secret).not.toContain(k?.accessKeySecret ?? 'x');
  });
});

describe('policies', () => {
  it('CreatePolicy, GetPolicy, ListPolicies, CreatePolicyVersion, DeletePolicy', async () => {
    const doc = policyDoc(READ_VPC);
    const created = await ram.createPolicy(
      new RamModels.CreatePolicyRequest({ policyName: 'vpc-read', policyDocument: doc, description: 'read' }),
    );
    expect(created.body?.policy).toMatchObject({
      policyName: 'vpc-read',
      policyType: 'Custom',
      defaultVersion: 'v1',
    });

    const got = await ram.getPolicy(
      new RamModels.GetPolicyRequest({ policyName: 'vpc-read', policyType: 'Custom' }),
    );
    expect(got.body?.defaultPolicyVersion).toMatchObject({
      versionId: 'v1',
      isDefaultVersion: true,
      policyDocument: doc,
    });

    const v2 = await ram.createPolicyVersion(
      new RamModels.CreatePolicyVersionRequest({
        policyName: 'vpc-read',
        policyDocument: policyDoc([{ Effect: 'Allow', Action: 'vpc:*', Resource: '*' }]),
        setAsDefault: true,
      }),
    );
    expect(v2.body?.policyVersion).toMatchObject({ versionId: 'v2', isDefaultVersion: true });
    const again = await ram.getPolicy(
      new RamModels.GetPolicyRequest({ policyName: 'vpc-read', policyType: 'Custom' }),
    );
    expect(again.body?.policy?.defaultVersion).toBe('v2');
    for (let i = 3; i <= 5; i++)
      await ram.createPolicyVersion(
        new RamModels.CreatePolicyVersionRequest({ policyName: 'vpc-read', policyDocument: doc }),
      );
    const sixth = await sdkError(() =>
      ram.createPolicyVersion(
        new RamModels.CreatePolicyVersionRequest({ policyName: 'vpc-read', policyDocument: doc }),
      ),
    );
    expect(sixth.code).toBe('LimitExceeded.Policy.Version');
    const rotated = await ram.createPolicyVersion(
      new RamModels.CreatePolicyVersionRequest({
        policyName: 'vpc-read',
        policyDocument: doc,
        rotateStrategy: 'DeleteOldestNonDefaultVersionWhenLimitExceeded',
      }),
    );
    expect(rotated.body?.policyVersion?.versionId).toBe('v6');

    const system = await ram.listPolicies(
      new RamModels.ListPoliciesRequest({ policyType: 'System', maxItems: 1000 }),
    );
    const names = system.body?.policies?.policy?.map((p) => p.policyName) ?? [];
    for (const n of [
      'AliyunVPCFullAccess',
      'AliyunVPCReadOnlyAccess',
      'AliyunLogFullAccess',
      'AliyunLogReadOnlyAccess',
    ])
      expect(names).toContain(n);
    const custom = await ram.listPolicies(new RamModels.ListPoliciesRequest({ policyType: 'Custom' }));
    expect(custom.body?.policies?.policy?.map((p) => p.policyName)).toEqual(['vpc-read']);
    const sys = await ram.getPolicy(
      new RamModels.GetPolicyRequest({ policyName: 'AliyunVPCReadOnlyAccess', policyType: 'System' }),
    );
    expect(sys.body?.defaultPolicyVersion?.policyDocument).toContain('vpc:DescribeFlowLog*');

    const versions = await sdkError(() =>
      ram.deletePolicy(new RamModels.DeletePolicyRequest({ policyName: 'vpc-read' })),
    );
    expect(versions.code).toBe('DeleteConflict.Policy.Version');
    await ram.deletePolicy(
      new RamModels.DeletePolicyRequest({ policyName: 'vpc-read', cascadingDelete: true }),
    );
    const gone = await sdkError(() =>
      ram.getPolicy(new RamModels.GetPolicyRequest({ policyName: 'vpc-read', policyType: 'Custom' })),
    );
    expect(gone.code).toBe('EntityNotExist.Policy');
  });

  it('policy documents are validated on create with MalformedPolicyDocument', async () => {
    const cases = [
      'not json',
      policyDoc([{ Effect: 'Permit', Action: '*', Resource: '*' }]),
      JSON.stringify({ Version: '2', Statement: READ_VPC }),
      policyDoc([
        { Effect: 'Allow', Action: '*', Resource: '*', Condition: { IpAddress: { 'acs:SourceIp': 'x' } } },
      ]),
    ];
    for (const policyDocument of cases) {
      const err = await sdkError(() =>
        ram.createPolicy(new RamModels.CreatePolicyRequest({ policyName: 'bad', policyDocument })),
      );
      expect(err.code).toBe('MalformedPolicyDocument');
      expect(err.statusCode).toBe(400);
    }
    const long = await sdkError(() =>
      ram.createPolicy(
        new RamModels.CreatePolicyRequest({ policyName: 'long', policyDocument: 'x'.repeat(6145) }),
      ),
    );
    expect(long.code).toBe('InvalidParameter.PolicyDocument.Length');
    const list = await ram.listPolicies(new RamModels.ListPoliciesRequest({ policyType: 'Custom' }));
    expect(list.body?.policies?.policy ?? []).toHaveLength(0);
  });

  it('attach, list, detach for users; delete conflicts', async () => {
    await ram.createUser(new RamModels.CreateUserRequest({ userName: 'attached' }));
    const attach = (policyName: string, policyType = 'System') =>
      ram.attachPolicyToUser(
        new RamModels.AttachPolicyToUserRequest({ policyName, policyType, userName: 'attached' }),
      );
    await attach('AliyunVPCReadOnlyAccess');
    expect((await sdkError(() => attach('AliyunVPCReadOnlyAccess'))).code).toBe(
      'EntityAlreadyExists.User.Policy',
    );
    expect((await sdkError(() => attach('NoSuchPolicy'))).code).toBe('EntityNotExist.Policy');
    expect((await sdkError(() => attach('AliyunVPCReadOnlyAccess', 'Other'))).code).toBe(
      'InvalidParameter.PolicyType',
    );
    const list = await ram.listPoliciesForUser(
      new RamModels.ListPoliciesForUserRequest({ userName: 'attached' }),
    );
    expect(list.body?.policies?.policy?.[0]).toMatchObject({
      policyName: 'AliyunVPCReadOnlyAccess',
      policyType: 'System',
    });
    expect(
      (await sdkError(() => ram.deleteUser(new RamModels.DeleteUserRequest({ userName: 'attached' })))).code,
    ).toBe('DeleteConflict.User.Policy');
    await ram.detachPolicyFromUser(
      new RamModels.DetachPolicyFromUserRequest({
        policyName: 'AliyunVPCReadOnlyAccess',
        policyType: 'System',
        userName: 'attached',
      }),
    );
    const again = await sdkError(() =>
      ram.detachPolicyFromUser(
        new RamModels.DetachPolicyFromUserRequest({
          policyName: 'AliyunVPCReadOnlyAccess',
          policyType: 'System',
          userName: 'attached',
        }),
      ),
    );
    expect(again.code).toBe('EntityNotExist.User.Policy');
    await ram.deleteUser(new RamModels.DeleteUserRequest({ userName: 'attached' }));
  });
});

describe('roles', () => {
  const trust = policyDoc([
    { Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { RAM: [`acs:ram::${DEV_ACCOUNT_ID}:root`] } },
  ]);
  it('CreateRole (lower-cased ARN), GetRole, attach/detach, DeleteRole', async () => {
    const created = await ram.createRole(
      new RamModels.CreateRoleRequest({
        roleName: 'FlowReader',
        assumeRolePolicyDocument: trust,
        description: 'd',
      }),
    );
    expect(created.body?.role?.arn).toBe(`acs:ram::${DEV_ACCOUNT_ID}:role/flowreader`);
    expect(created.body?.role?.roleId).toMatch(/^\d{19}$/);
    expect(created.body?.role?.maxSessionDuration).toBe(3600);
    const got = await ram.getRole(new RamModels.GetRoleRequest({ roleName: 'FlowReader' }));
    expect(got.body?.role?.assumeRolePolicyDocument).toBe(trust);
    await ram.attachPolicyToRole(
      new RamModels.AttachPolicyToRoleRequest({
        policyName: 'AliyunVPCReadOnlyAccess',
        policyType: 'System',
        roleName: 'FlowReader',
      }),
    );
    expect(
      (await sdkError(() => ram.deleteRole(new RamModels.DeleteRoleRequest({ roleName: 'FlowReader' }))))
        .code,
    ).toBe('DeleteConflict.Role.Policy');
    await ram.detachPolicyFromRole(
      new RamModels.DetachPolicyFromRoleRequest({
        policyName: 'AliyunVPCReadOnlyAccess',
        policyType: 'System',
        roleName: 'FlowReader',
      }),
    );
    await ram.deleteRole(new RamModels.DeleteRoleRequest({ roleName: 'FlowReader' }));
    expect(
      (await sdkError(() => ram.getRole(new RamModels.GetRoleRequest({ roleName: 'FlowReader' })))).code,
    ).toBe('EntityNotExist.Role');
  });

  it('a trust policy without Principal is MalformedPolicyDocument', async () => {
    const err = await sdkError(() =>
      ram.createRole(
        new RamModels.CreateRoleRequest({
          roleName: 'bad',
          assumeRolePolicyDocument: policyDoc([{ Effect: 'Allow', Action: 'sts:AssumeRole' }]),
        }),
      ),
    );
    expect(err.code).toBe('MalformedPolicyDocument');
  });
});

describe('STS', () => {
  it('AssumeRole returns STS credentials; GetCallerIdentity answers for root, user and session', async () => {
    const role = await ram.createRole(
      new RamModels.CreateRoleRequest({
        roleName: 'sts-role',
        assumeRolePolicyDocument: policyDoc([
          {
            Effect: 'Allow',
            Action: 'sts:AssumeRole',
            Principal: { RAM: [`acs:ram::${DEV_ACCOUNT_ID}:root`] },
          },
        ]),
      }),
    );
    const arn = role.body?.role?.arn ?? '';
    const res = await stsClient(server.endpoint).assumeRole(
      new StsModels.AssumeRoleRequest({ roleArn: arn, roleSessionName: 'ci', durationSeconds: 900 }),
    );
    const c = res.body?.credentials;
    expect(c?.accessKeyId).toMatch(/^STS\./);
    expect(c?.securityToken?.length).toBeGreaterThan(100);
    const expires = Date.parse(c?.expiration ?? '');
    expect(c?.expiration).toMatch(ISO);
    expect(Math.abs(expires - Date.now() - 900_000)).toBeLessThan(5000);
    expect(res.body?.assumedRoleUser?.arn).toBe(`acs:ram::${DEV_ACCOUNT_ID}:role/sts-role/ci`);

    const root = await stsClient(server.endpoint).getCallerIdentity();
    expect(root.body).toMatchObject({
      identityType: 'Account',
      accountId: DEV_ACCOUNT_ID,
      arn: `acs:ram::${DEV_ACCOUNT_ID}:root`,
    });
    const session = await stsClient(server.endpoint, {
      accessKeyId: c?.accessKeyId ?? '',
      accessKeySecret: c?.accessKeySecret ?? '',
      securityToken: c?.securityToken ?? '',
    }).getCallerIdentity();
    expect(session.body).toMatchObject({
      identityType: 'AssumedRoleUser',
      accountId: DEV_ACCOUNT_ID,
      roleId: role.body?.role?.roleId,
      arn: `acs:ram::${DEV_ACCOUNT_ID}:assumed-role/sts-role/ci`,
    });
    await ram.createUser(new RamModels.CreateUserRequest({ userName: 'whoami' }));
    const k = (await ram.createAccessKey(new RamModels.CreateAccessKeyRequest({ userName: 'whoami' }))).body
      ?.accessKey;
    const user = await stsClient(server.endpoint, {
      accessKeyId: k?.accessKeyId ?? '',
      accessKeySecret: k?.accessKeySecret ?? '',
    }).getCallerIdentity();
    expect(user.body).toMatchObject({
      identityType: 'RAMUser',
      arn: `acs:ram::${DEV_ACCOUNT_ID}:user/whoami`,
    });
  });

  it('AssumeRole errors: bad ARN, unknown role, duration, session name, session policy, untrusted caller', async () => {
    const sts = stsClient(server.endpoint);
    const call = (req: Partial<StsModels.AssumeRoleRequest>) =>
      sdkError(() =>
        sts.assumeRole(
          new StsModels.AssumeRoleRequest({
            roleArn: `acs:ram::${DEV_ACCOUNT_ID}:role/sts-role`,
            roleSessionName: 'ok',
            ...req,
          }),
        ),
      );
    expect((await call({ roleArn: 'arn:aws:iam::1:role/x' })).code).toBe('InvalidParameter.RoleArn');
    expect((await call({ roleArn: `acs:ram::${DEV_ACCOUNT_ID}:role/none` })).code).toBe(
      'EntityNotExist.Role',
    );
    expect((await call({ durationSeconds: 100 })).code).toBe('InvalidParameter.DurationSeconds');
    expect((await call({ durationSeconds: 7200 })).code).toBe('InvalidParameter.DurationSeconds');
    expect((await call({ roleSessionName: 'a b' })).code).toBe('InvalidParameter.RoleSessionName');
    expect((await call({ policy: '{"Version":"1"}' })).code).toBe('InvalidParameter.PolicyGrammar');
    await ram.createRole(
      new RamModels.CreateRoleRequest({
        roleName: 'other-trust',
        assumeRolePolicyDocument: policyDoc([
          {
            Effect: 'Allow',
            Action: 'sts:AssumeRole',
            Principal: { RAM: ['acs:ram::9999999999999999:root'] },
          },
        ]),
      }),
    );
    const untrusted = await call({ roleArn: `acs:ram::${DEV_ACCOUNT_ID}:role/other-trust` });
    expect(untrusted.code).toBe('NoPermission');
    expect(untrusted.statusCode).toBe(403);
    // A session is usable right away.
    const s = await assume(server.endpoint, `acs:ram::${DEV_ACCOUNT_ID}:role/sts-role`);
    expect(s.accessKeyId).toMatch(/^STS\./);
  });
});
