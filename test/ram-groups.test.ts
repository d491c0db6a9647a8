/** RAM groups through `@alicloud/ram20150501`: CRUD, membership, policies, and group policies enforced. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sdkError, VpcModels } from './support/clients.js';
import { ramClient, RamModels, ramUser, vpcAs, type RamClient } from './support/identity.js';
import { startTestServer, type TestServer } from './support/server.js';

let server: TestServer;
let ram: RamClient;
beforeAll(async () => {
  server = await startTestServer();
  ram = ramClient(server.endpoint);
});
afterAll(async () => server.close());

describe('RAM groups', () => {
  it('create, get, update, list, membership, policies, delete conflicts', async () => {
    const created = await ram.createGroup(
      new RamModels.CreateGroupRequest({ groupName: 'ops', comments: 'c' }),
    );
    expect(created.body?.group).toMatchObject({ groupName: 'ops', comments: 'c' });
    expect(
      (await sdkError(() => ram.createGroup(new RamModels.CreateGroupRequest({ groupName: 'ops' })))).code,
    ).toBe('EntityAlreadyExists.Group');
    const updated = await ram.updateGroup(
      new RamModels.UpdateGroupRequest({ groupName: 'ops', newGroupName: 'netops', newComments: 'd' }),
    );
    expect(updated.body?.group).toMatchObject({ groupName: 'netops', comments: 'd' });
    expect(
      (await ram.getGroup(new RamModels.GetGroupRequest({ groupName: 'netops' }))).body?.group?.groupId,
    ).toBe(created.body?.group?.groupId);
    expect(
      (await ram.listGroups(new RamModels.ListGroupsRequest({}))).body?.groups?.group?.map(
        (g) => g.groupName,
      ),
    ).toEqual(['netops']);

    const member = await ramUser(server.endpoint, 'member');
    const describe = () =>
      vpcAs(server.endpoint, member).describeFlowLogs(
        new VpcModels.DescribeFlowLogsRequest({ regionId: 'cn-hangzhou' }),
      );
    expect((await sdkError(describe)).code).toBe('Forbidden.RAM');
    await ram.addUserToGroup(
      new RamModels.AddUserToGroupRequest({ groupName: 'netops', userName: 'member' }),
    );
    expect(
      (
        await sdkError(() =>
          ram.addUserToGroup(
            new RamModels.AddUserToGroupRequest({ groupName: 'netops', userName: 'member' }),
          ),
        )
      ).code,
    ).toBe('EntityAlreadyExists.User.Group');
    await ram.attachPolicyToGroup(
      new RamModels.AttachPolicyToGroupRequest({
        groupName: 'netops',
        policyType: 'System',
        policyName: 'AliyunVPCReadOnlyAccess',
      }),
    );
    // The group's policy now applies to its member.
    await describe();
    const forUser = await ram.listGroupsForUser(
      new RamModels.ListGroupsForUserRequest({ userName: 'member' }),
    );
    expect(forUser.body?.groups?.group?.[0]?.groupName).toBe('netops');
    const forGroup = await ram.listUsersForGroup(
      new RamModels.ListUsersForGroupRequest({ groupName: 'netops' }),
    );
    expect(forGroup.body?.users?.user?.map((u) => u.userName)).toEqual(['member']);
    const policies = await ram.listPoliciesForGroup(
      new RamModels.ListPoliciesForGroupRequest({ groupName: 'netops' }),
    );
    expect(policies.body?.policies?.policy?.[0]?.policyName).toBe('AliyunVPCReadOnlyAccess');

    expect(
      (await sdkError(() => ram.deleteGroup(new RamModels.DeleteGroupRequest({ groupName: 'netops' })))).code,
    ).toBe('DeleteConflict.Group.User');
    await ram.removeUserFromGroup(
      new RamModels.RemoveUserFromGroupRequest({ groupName: 'netops', userName: 'member' }),
    );
    expect((await sdkError(describe)).code).toBe('Forbidden.RAM');
    expect(
      (await sdkError(() => ram.deleteGroup(new RamModels.DeleteGroupRequest({ groupName: 'netops' })))).code,
    ).toBe('DeleteConflict.Group.Policy');
    await ram.detachPolicyFromGroup(
      new RamModels.DetachPolicyFromGroupRequest({
        groupName: 'netops',
        policyType: 'System',
        policyName: 'AliyunVPCReadOnlyAccess',
      }),
    );
    await ram.deleteGroup(new RamModels.DeleteGroupRequest({ groupName: 'netops' }));
    expect(
      (await sdkError(() => ram.getGroup(new RamModels.GetGroupRequest({ groupName: 'netops' })))).code,
    ).toBe('EntityNotExist.Group');
  });

  it('a user in a group cannot be deleted', async () => {
    await ram.createGroup(new RamModels.CreateGroupRequest({ groupName: 'keep' }));
    await ram.createUser(new RamModels.CreateUserRequest({ userName: 'grouped' }));
    await ram.addUserToGroup(new RamModels.AddUserToGroupRequest({ groupName: 'keep', userName: 'grouped' }));
    expect(
      (await sdkError(() => ram.deleteUser(new RamModels.DeleteUserRequest({ userName: 'grouped' })))).code,
    ).toBe('DeleteConflict.User.Group');
  });
});
