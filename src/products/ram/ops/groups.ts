/**
 * RAM groups: CreateGroup, GetGroup, UpdateGroup, ListGroups, DeleteGroup, AddUserToGroup,
 * RemoveUserFromGroup, ListGroupsForUser, ListUsersForGroup, Attach/DetachPolicyToGroup,
 * ListPoliciesForGroup. A user's permissions are its own policies and its groups' policies.
 */
import { RAM } from '../../product-info.js';
import { defineOp } from '../../services.js';
import { groupArn, policyArn, userArn } from './ram-arns.js';

const groupName = { GroupName: { type: 'string', required: true } } as const;
const membership = {
  GroupName: { type: 'string', required: true },
  UserName: { type: 'string', required: true },
} as const;
const attachment = {
  PolicyType: { type: 'string', required: true },
  PolicyName: { type: 'string', required: true },
  GroupName: { type: 'string', required: true },
} as const;

export const createGroup = defineOp({
  product: RAM,
  action: 'CreateGroup',
  params: { ...groupName, Comments: { type: 'string', default: '' } },
  authorization: { action: 'ram:CreateGroup', resources: (p, s) => groupArn(s, p.GroupName) },
  async handle(ctx, p) {
    return { Group: await ctx.services.ram.createGroup(ctx.caller.accountId, p.GroupName, p.Comments) };
  },
});

export const getGroup = defineOp({
  product: RAM,
  action: 'GetGroup',
  params: groupName,
  authorization: { action: 'ram:GetGroup', resources: (p, s) => groupArn(s, p.GroupName) },
  async handle(ctx, p) {
    return { Group: await ctx.services.ram.getGroup(ctx.caller.accountId, p.GroupName) };
  },
});

export const updateGroup = defineOp({
  product: RAM,
  action: 'UpdateGroup',
  params: { ...groupName, NewGroupName: { type: 'string' }, NewComments: { type: 'string' } },
  authorization: { action: 'ram:UpdateGroup', resources: (p, s) => groupArn(s, p.GroupName) },
  async handle(ctx, p) {
    const group = await ctx.services.ram.updateGroup(
      ctx.caller.accountId,
      p.GroupName,
      p.NewGroupName,
      p.NewComments,
    );
    return { Group: group };
  },
});

export const listGroups = defineOp({
  product: RAM,
  action: 'ListGroups',
  params: { Marker: { type: 'string' }, MaxItems: { type: 'integer', min: 1, max: 1000, default: 100 } },
  authorization: { action: 'ram:ListGroups', resources: (_p, s) => groupArn(s, '*') },
  async handle(ctx) {
    return { IsTruncated: false, Groups: { Group: await ctx.services.ram.listGroups(ctx.caller.accountId) } };
  },
});

export const deleteGroup = defineOp({
  product: RAM,
  action: 'DeleteGroup',
  params: groupName,
  authorization: { action: 'ram:DeleteGroup', resources: (p, s) => groupArn(s, p.GroupName) },
  async handle(ctx, p) {
    await ctx.services.ram.deleteGroup(ctx.caller.accountId, p.GroupName);
    return {};
  },
});

export const addUserToGroup = defineOp({
  product: RAM,
  action: 'AddUserToGroup',
  params: membership,
  authorization: {
    action: 'ram:AddUserToGroup',
    resources: (p, s) => [groupArn(s, p.GroupName), userArn(s, p.UserName)],
  },
  async handle(ctx, p) {
    await ctx.services.ram.addUserToGroup(ctx.caller.accountId, p.GroupName, p.UserName);
    return {};
  },
});

export const removeUserFromGroup = defineOp({
  product: RAM,
  action: 'RemoveUserFromGroup',
  params: membership,
  authorization: {
    action: 'ram:RemoveUserFromGroup',
    resources: (p, s) => [groupArn(s, p.GroupName), userArn(s, p.UserName)],
  },
  async handle(ctx, p) {
    await ctx.services.ram.removeUserFromGroup(ctx.caller.accountId, p.GroupName, p.UserName);
    return {};
  },
});

export const listGroupsForUser = defineOp({
  product: RAM,
  action: 'ListGroupsForUser',
  params: { UserName: { type: 'string', required: true } },
  authorization: { action: 'ram:ListGroupsForUser', resources: (p, s) => userArn(s, p.UserName) },
  async handle(ctx, p) {
    return { Groups: { Group: await ctx.services.ram.listGroupsForUser(ctx.caller.accountId, p.UserName) } };
  },
});

export const listUsersForGroup = defineOp({
  product: RAM,
  action: 'ListUsersForGroup',
  params: {
    ...groupName,
    Marker: { type: 'string' },
    MaxItems: { type: 'integer', min: 1, max: 1000, default: 100 },
  },
  authorization: { action: 'ram:ListUsersForGroup', resources: (p, s) => groupArn(s, p.GroupName) },
  async handle(ctx, p) {
    const users = await ctx.services.ram.listUsersForGroup(ctx.caller.accountId, p.GroupName);
    return { IsTruncated: false, Users: { User: users } };
  },
});

export const attachPolicyToGroup = defineOp({
  product: RAM,
  action: 'AttachPolicyToGroup',
  params: attachment,
  authorization: {
    action: 'ram:AttachPolicyToGroup',
    resources: (p, s) => [groupArn(s, p.GroupName), policyArn(s, p.PolicyName)],
  },
  async handle(ctx, p) {
    await ctx.services.ram.attach(ctx.caller.accountId, 'Group', p.GroupName, p.PolicyType, p.PolicyName);
    return {};
  },
});

export const detachPolicyFromGroup = defineOp({
  product: RAM,
  action: 'DetachPolicyFromGroup',
  params: attachment,
  authorization: {
    action: 'ram:DetachPolicyFromGroup',
    resources: (p, s) => [groupArn(s, p.GroupName), policyArn(s, p.PolicyName)],
  },
  async handle(ctx, p) {
    await ctx.services.ram.detach(ctx.caller.accountId, 'Group', p.GroupName, p.PolicyType, p.PolicyName);
    return {};
  },
});

export const listPoliciesForGroup = defineOp({
  product: RAM,
  action: 'ListPoliciesForGroup',
  params: groupName,
  authorization: { action: 'ram:ListPoliciesForGroup', resources: (p, s) => groupArn(s, p.GroupName) },
  async handle(ctx, p) {
    const list = await ctx.services.ram.listPoliciesFor(ctx.caller.accountId, 'Group', p.GroupName);
    return { Policies: { Policy: list } };
  },
});

export const groupOperations = [
  createGroup,
  getGroup,
  updateGroup,
  listGroups,
  deleteGroup,
  addUserToGroup,
  removeUserFromGroup,
  listGroupsForUser,
  listUsersForGroup,
  attachPolicyToGroup,
  detachPolicyFromGroup,
  listPoliciesForGroup,
];
