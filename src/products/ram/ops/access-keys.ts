/**
 * A RAM user's AccessKeys: CreateAccessKey (the secret is in this response only), ListAccessKeys,
 * UpdateAccessKey (Active / Inactive), DeleteAccessKey. Without `UserName`, a RAM user acts on its own
 * keys, as RAM does; the account root must name the user (vpcflow has no RAM API for root keys).
 */
import { ApiError, ERROR_CATALOG } from '../../../protocol/errors.js';
import { RAM } from '../../product-info.js';
import { defineOp, type Ctx } from '../../services.js';
import { userArn } from './ram-arns.js';

async function targetUser(ctx: Ctx, userName: string | undefined): Promise<string> {
  if (userName) return userName;
  const me = await ctx.services.identity.principalOf(ctx.caller);
  if (me?.kind === 'user') return me.userName;
  throw new ApiError(ERROR_CATALOG.MissingParameter, { name: 'UserName' });
}

export const createAccessKey = defineOp({
  product: RAM,
  action: 'CreateAccessKey',
  params: { UserName: { type: 'string' } },
  authorization: { action: 'ram:CreateAccessKey', resources: (p, s) => userArn(s, p.UserName ?? '*') },
  async handle(ctx, p) {
    const user = await targetUser(ctx, p.UserName);
    return { AccessKey: await ctx.services.ram.createAccessKey(ctx.caller.accountId, user) };
  },
});

export const listAccessKeys = defineOp({
  product: RAM,
  action: 'ListAccessKeys',
  params: { UserName: { type: 'string' } },
  authorization: { action: 'ram:ListAccessKeys', resources: (p, s) => userArn(s, p.UserName ?? '*') },
  async handle(ctx, p) {
    const user = await targetUser(ctx, p.UserName);
    return { AccessKeys: { AccessKey: await ctx.services.ram.listAccessKeys(ctx.caller.accountId, user) } };
  },
});

export const updateAccessKey = defineOp({
  product: RAM,
  action: 'UpdateAccessKey',
  params: {
    UserName: { type: 'string' },
    UserAccessKeyId: { type: 'string', required: true },
    Status: { type: 'string', required: true, enum: ['Active', 'Inactive'] },
  },
  authorization: { action: 'ram:UpdateAccessKey', resources: (p, s) => userArn(s, p.UserName ?? '*') },
  async handle(ctx, p) {
    const user = await targetUser(ctx, p.UserName);
    await ctx.services.ram.updateAccessKey(
      ctx.caller.accountId,
      user,
      p.UserAccessKeyId,
      p.Status as 'Active' | 'Inactive',
    );
    return {};
  },
});

export const deleteAccessKey = defineOp({
  product: RAM,
  action: 'DeleteAccessKey',
  params: { UserName: { type: 'string' }, UserAccessKeyId: { type: 'string', required: true } },
  authorization: { action: 'ram:DeleteAccessKey', resources: (p, s) => userArn(s, p.UserName ?? '*') },
  async handle(ctx, p) {
    const user = await targetUser(ctx, p.UserName);
    await ctx.services.ram.deleteAccessKey(ctx.caller.accountId, user, p.UserAccessKeyId);
    return {};
  },
});
