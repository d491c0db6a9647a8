/** Roles: CreateRole (ARN `acs:ram::{accountId}:role/{rolename}`), GetRole, ListRoles, DeleteRole. */
import { RAM } from '../../product-info.js';
import { defineOp } from '../../services.js';
import { roleArn } from './ram-arns.js';

export const createRole = defineOp({
  product: RAM,
  action: 'CreateRole',
  params: {
    RoleName: { type: 'string', required: true },
    AssumeRolePolicyDocument: { type: 'string', required: true },
    Description: { type: 'string', default: '' },
    MaxSessionDuration: { type: 'integer', default: 3600 },
  },
  authorization: { action: 'ram:CreateRole', resources: (p, s) => roleArn(s, p.RoleName) },
  async handle(ctx, p) {
    const role = await ctx.services.ram.createRole(
      ctx.caller.accountId,
      p.RoleName,
      p.AssumeRolePolicyDocument,
      p.Description,
      p.MaxSessionDuration,
    );
    return { Role: role };
  },
});

export const getRole = defineOp({
  product: RAM,
  action: 'GetRole',
  params: { RoleName: { type: 'string', required: true } },
  authorization: { action: 'ram:GetRole', resources: (p, s) => roleArn(s, p.RoleName) },
  async handle(ctx, p) {
    return { Role: await ctx.services.ram.getRole(ctx.caller.accountId, p.RoleName) };
  },
});

export const listRoles = defineOp({
  product: RAM,
  action: 'ListRoles',
  params: { Marker: { type: 'string' }, MaxItems: { type: 'integer', min: 1, max: 1000, default: 100 } },
  authorization: { action: 'ram:ListRoles', resources: (_p, s) => roleArn(s, '*') },
  async handle(ctx) {
    return { IsTruncated: false, Roles: { Role: await ctx.services.ram.listRoles(ctx.caller.accountId) } };
  },
});

export const deleteRole = defineOp({
  product: RAM,
  action: 'DeleteRole',
  params: { RoleName: { type: 'string', required: true } },
  authorization: { action: 'ram:DeleteRole', resources: (p, s) => roleArn(s, p.RoleName) },
  async handle(ctx, p) {
    await ctx.services.ram.deleteRole(ctx.caller.accountId, p.RoleName);
    return {};
  },
});
