/** Policies: CreatePolicy, GetPolicy, ListPolicies, CreatePolicyVersion, DeletePolicy. */
import { RAM } from '../../product-info.js';
import { defineOp } from '../../services.js';
import { policyArn } from './ram-arns.js';

export const createPolicy = defineOp({
  product: RAM,
  action: 'CreatePolicy',
  params: {
    PolicyName: { type: 'string', required: true },
    PolicyDocument: { type: 'string', required: true },
    Description: { type: 'string', default: '' },
  },
  authorization: { action: 'ram:CreatePolicy', resources: (p, s) => policyArn(s, p.PolicyName) },
  async handle(ctx, p) {
    const policy = await ctx.services.ram.createPolicy(
      ctx.caller.accountId,
      p.PolicyName,
      p.PolicyDocument,
      p.Description,
    );
    return { Policy: policy };
  },
});

export const getPolicy = defineOp({
  product: RAM,
  action: 'GetPolicy',
  params: {
    PolicyName: { type: 'string', required: true },
    PolicyType: { type: 'string', required: true },
  },
  authorization: { action: 'ram:GetPolicy', resources: (p, s) => policyArn(s, p.PolicyName) },
  async handle(ctx, p) {
    return ctx.services.ram.getPolicy(ctx.caller.accountId, p.PolicyName, p.PolicyType);
  },
});

export const listPolicies = defineOp({
  product: RAM,
  action: 'ListPolicies',
  params: {
    PolicyType: { type: 'string' },
    Marker: { type: 'string' },
    MaxItems: { type: 'integer', min: 1, max: 1000, default: 100 },
  },
  authorization: { action: 'ram:ListPolicies', resources: (_p, s) => policyArn(s, '*') },
  async handle(ctx, p) {
    return ctx.services.ram.listPolicies(ctx.caller.accountId, p.PolicyType, p.Marker, p.MaxItems);
  },
});

export const createPolicyVersion = defineOp({
  product: RAM,
  action: 'CreatePolicyVersion',
  params: {
    PolicyName: { type: 'string', required: true },
    PolicyDocument: { type: 'string', required: true },
    SetAsDefault: { type: 'boolean', default: false },
    RotateStrategy: { type: 'string', default: 'None' },
  },
  authorization: { action: 'ram:CreatePolicyVersion', resources: (p, s) => policyArn(s, p.PolicyName) },
  async handle(ctx, p) {
    const version = await ctx.services.ram.createPolicyVersion(
      ctx.caller.accountId,
      p.PolicyName,
      p.PolicyDocument,
      p.SetAsDefault,
      p.RotateStrategy,
    );
    return { PolicyVersion: version };
  },
});

export const deletePolicy = defineOp({
  product: RAM,
  action: 'DeletePolicy',
  params: {
    PolicyName: { type: 'string', required: true },
    CascadingDelete: { type: 'boolean', default: false },
  },
  authorization: { action: 'ram:DeletePolicy', resources: (p, s) => policyArn(s, p.PolicyName) },
  async handle(ctx, p) {
    await ctx.services.ram.deletePolicy(ctx.caller.accountId, p.PolicyName, p.CascadingDelete);
    return {};
  },
});
