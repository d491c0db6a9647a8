/**
 * GetFlowLogServiceStatus and OpenFlowLogService
 * (https://www.alibabacloud.com/help/en/vpc/developer-reference/api-vpc-2016-04-28-getflowlogservicestatus,
 * https://www.alibabacloud.com/help/en/vpc/developer-reference/api-vpc-2016-04-28-openflowlogservice).
 * The state is kept per account.
 * Creating flow logs does not require opening the service first (choice: Terraform never calls it).
 */
import { VPC } from '../../product-info.js';
import { defineOp } from '../../services.js';

const params = {
  RegionId: { type: 'string', required: true },
  ClientToken: { type: 'string', maxLength: 64 },
} as const;

export const getFlowLogServiceStatus = defineOp({
  product: VPC,
  action: 'GetFlowLogServiceStatus',
  authorization: { action: 'vpc:GetFlowLogServiceStatus', resources: () => '*' },
  params,
  async handle(ctx) {
    return {
      Enabled: await ctx.services.store.repos.identity.serviceEnabled(ctx.caller.accountId, 'flowlog'),
    };
  },
});

export const openFlowLogService = defineOp({
  product: VPC,
  action: 'OpenFlowLogService',
  authorization: { action: 'vpc:OpenFlowLogService', resources: () => '*' },
  params,
  async handle(ctx) {
    await ctx.services.store.repos.identity.enableService(ctx.caller.accountId, 'flowlog', Date.now());
    // The SDK model has Code and Message; pop-core and Terraform accept Code "200" as success.
    return { Code: '200', Message: 'successful' };
  },
});
