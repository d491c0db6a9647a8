/** STS (2015-04-01): AssumeRole and GetCallerIdentity. */
import type { Operation } from '../../protocol/operation.js';
import { STS } from '../product-info.js';
import { defineOp, type Services } from '../services.js';

export const assumeRole = defineOp({
  product: STS,
  action: 'AssumeRole',
  params: {
    RoleArn: { type: 'string', required: true },
    RoleSessionName: { type: 'string', required: true },
    Policy: { type: 'string' },
    DurationSeconds: { type: 'integer' },
    ExternalId: { type: 'string' },
  },
  // The caller's own policies must allow sts:AssumeRole on the role; the role's trust policy is checked next.
  authorization: { action: 'sts:AssumeRole', resources: (p) => p.RoleArn },
  async handle(ctx, p) {
    return ctx.services.sts.assumeRole(ctx.caller, p, ctx.origin, Date.now());
  },
});

export const getCallerIdentity = defineOp({
  product: STS,
  action: 'GetCallerIdentity',
  params: {},
  authorization: 'none',
  async handle(ctx) {
    return ctx.services.sts.callerIdentity(ctx.caller);
  },
});

export const stsOperations = [assumeRole, getCallerIdentity] as Operation<Services>[];
