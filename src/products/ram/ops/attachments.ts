/** Policy attachments: Attach/DetachPolicyToUser, ListPoliciesForUser, Attach/DetachPolicyToRole, ListPoliciesForRole. */
import { RAM } from '../../product-info.js';
import { defineOp } from '../../services.js';
import { policyArn, roleArn, userArn } from './ram-arns.js';

const userParams = {
  PolicyType: { type: 'string', required: true },
  PolicyName: { type: 'string', required: true },
  UserName: { type: 'string', required: true },
} as const;
const roleParams = {
  PolicyType: { type: 'string', required: true },
  PolicyName: { type: 'string', required: true },
  RoleName: { type: 'string', required: true },
} as const;

export const attachPolicyToUser = defineOp({
  product: RAM,
  action: 'AttachPolicyToUser',
  params: userParams,
  authorization: {
    action: 'ram:AttachPolicyToUser',
    resources: (p, s) => [userArn(s, p.UserName), policyArn(s, p.PolicyName)],
  },
  async handle(ctx, p) {
    await ctx.services.ram.attach(ctx.caller.accountId, 'User', p.UserName, p.PolicyType, p.PolicyName);
    return {};
  },
});

export const detachPolicyFromUser = defineOp({
  product: RAM,
  action: 'DetachPolicyFromUser',
  params: userParams,
  authorization: {
    action: 'ram:DetachPolicyFromUser',
    resources: (p, s) => [userArn(s, p.UserName), policyArn(s, p.PolicyName)],
  },
  async handle(ctx, p) {
    await ctx.services.ram.detach(ctx.caller.accountId, 'User', p.UserName, p.PolicyType, p.PolicyName);
    return {};
  },
});

export const listPoliciesForUser = defineOp({
  product: RAM,
  action: 'ListPoliciesForUser',
  params: { UserName: { type: 'string', required: true } },
  authorization: { action: 'ram:ListPoliciesForUser', resources: (p, s) => userArn(s, p.UserName) },
  async handle(ctx, p) {
    const list = await ctx.services.ram.listPoliciesFor(ctx.caller.accountId, 'User', p.UserName);
    return { Policies: { Policy: list } };
  },
});

export const attachPolicyToRole = defineOp({
  product: RAM,
  action: 'AttachPolicyToRole',
  params: roleParams,
  authorization: {
    action: 'ram:AttachPolicyToRole',
    resources: (p, s) => [roleArn(s, p.RoleName), policyArn(s, p.PolicyName)],
  },
  async handle(ctx, p) {
    await ctx.services.ram.attach(ctx.caller.accountId, 'Role', p.RoleName, p.PolicyType, p.PolicyName);
    return {};
  },
});

export const detachPolicyFromRole = defineOp({
  product: RAM,
  action: 'DetachPolicyFromRole',
  params: roleParams,
  authorization: {
    action: 'ram:DetachPolicyFromRole',
    resources: (p, s) => [roleArn(s, p.RoleName), policyArn(s, p.PolicyName)],
  },
  async handle(ctx, p) {
    await ctx.services.ram.detach(ctx.caller.accountId, 'Role', p.RoleName, p.PolicyType, p.PolicyName);
    return {};
  },
});

export const listPoliciesForRole = defineOp({
  product: RAM,
  action: 'ListPoliciesForRole',
  params: { RoleName: { type: 'string', required: true } },
  authorization: { action: 'ram:ListPoliciesForRole', resources: (p, s) => roleArn(s, p.RoleName) },
  async handle(ctx, p) {
    const list = await ctx.services.ram.listPoliciesFor(ctx.caller.accountId, 'Role', p.RoleName);
    return { Policies: { Policy: list } };
  },
});
