/**
 * DeleteFlowLog: Deleting, then gone
 * (https://www.alibabacloud.com/help/en/vpc/developer-reference/api-vpc-2016-04-28-deleteflowlog).
 */
import { VPC } from '../../product-info.js';
import { defineOp } from '../../services.js';
import { FLOW_LOG_ERRORS } from './flow-log-errors.js';
import { vpcArn } from '../../resource-arns.js';

export const deleteFlowLog = defineOp({
  product: VPC,
  action: 'DeleteFlowLog',
  authorization: { action: 'vpc:DeleteFlowLog', resources: (p, s) => vpcArn(s, 'flowlog', p.FlowLogId) },
  invalidParameter: FLOW_LOG_ERRORS.ParameterInvalid,
  params: {
    RegionId: { type: 'string', required: true },
    FlowLogId: { type: 'string', required: true },
  },
  async handle(ctx, p) {
    await ctx.services.flowLogs.delete(
      { accountId: ctx.caller.accountId, regionId: p.RegionId },
      p.FlowLogId,
    );
    return { Success: 'true' };
  },
});
