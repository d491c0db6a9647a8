/** RAM users: CreateUser, GetUser, UpdateUser, ListUsers, DeleteUser. */
import { RAM } from '../../product-info.js';
import { defineOp } from '../../services.js';
import { userArn } from './ram-arns.js';

const userFields = {
  DisplayName: { type: 'string' },
  MobilePhone: { type: 'string' },
  Email: { type: 'string' },
  Comments: { type: 'string' },
} as const;

export const createUser = defineOp({
  product: RAM,
  action: 'CreateUser',
  params: { UserName: { type: 'string', required: true }, ...userFields },
  authorization: { action: 'ram:CreateUser', resources: (p, s) => userArn(s, p.UserName) },
  async handle(ctx, p) {
    return { User: await ctx.services.ram.createUser(ctx.caller.accountId, p) };
  },
});

export const getUser = defineOp({
  product: RAM,
  action: 'GetUser',
  params: { UserName: { type: 'string', required: true } },
  authorization: { action: 'ram:GetUser', resources: (p, s) => userArn(s, p.UserName) },
  async handle(ctx, p) {
    return { User: await ctx.services.ram.getUser(ctx.caller.accountId, p.UserName) };
  },
});

export const updateUser = defineOp({
  product: RAM,
  action: 'UpdateUser',
  params: {
    UserName: { type: 'string', required: true },
    NewUserName: { type: 'string' },
    NewDisplayName: { type: 'string' },
    NewMobilePhone: { type: 'string' },
    NewEmail: { type: 'string' },
    NewComments: { type: 'string' },
  },
  authorization: { action: 'ram:UpdateUser', resources: (p, s) => userArn(s, p.UserName) },
  async handle(ctx, p) {
    const { UserName, ...changes } = p;
    return { User: await ctx.services.ram.updateUser(ctx.caller.accountId, UserName, changes) };
  },
});

export const listUsers = defineOp({
  product: RAM,
  action: 'ListUsers',
  params: { Marker: { type: 'string' }, MaxItems: { type: 'integer', min: 1, max: 1000, default: 100 } },
  authorization: { action: 'ram:ListUsers', resources: (_p, s) => userArn(s, '*') },
  async handle(ctx, p) {
    return ctx.services.ram.listUsers(ctx.caller.accountId, p.Marker, p.MaxItems);
  },
});

export const deleteUser = defineOp({
  product: RAM,
  action: 'DeleteUser',
  params: { UserName: { type: 'string', required: true } },
  authorization: { action: 'ram:DeleteUser', resources: (p, s) => userArn(s, p.UserName) },
  async handle(ctx, p) {
    await ctx.services.ram.deleteUser(ctx.caller.accountId, p.UserName);
    return {};
  },
});
