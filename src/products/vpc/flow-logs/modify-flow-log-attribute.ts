/**
 * ModifyFlowLogAttribute: Modifying, then back to Active or Inactive
 * (https://www.alibabacloud.com/help/en/vpc/developer-reference/api-vpc-2016-04-28-modifyflowlogattribute).
 */
import { VPC } from '../../product-info.js';
import { defineOp } from '../../services.js';
import { FLOW_LOG_ERRORS } from './flow-log-errors.js';
import { descriptionSpec, IP_VERSIONS, nameSpec } from './flow-log-params.js';
import { vpcArn } from '../../resource-arns.js';

export const modifyFlowLogAttribute = defineOp({
  product: VPC,
  action: 'ModifyFlowLogAttribute',
  authorization: {
    action: 'vpc:ModifyFlowLogAttribute',
    resources: (p, s) => vpcArn(s, 'flowlog', p.FlowLogId),
  },
  invalidParameter: FLOW_LOG_ERRORS.ParameterInvalid,
  params: {
    RegionId: { type: 'string', required: true },
    FlowLogId: { type: 'string', required: true },
    FlowLogName: nameSpec,
    Description: descriptionSpec,
    AggregationInterval: { type: 'integer', enum: [1, 5, 10] },
    IpVersion: { type: 'string', enum: IP_VERSIONS },
    LogFormat: { type: 'string', maxLength: 1024 },
  },
  async handle(ctx, p) {
    await ctx.services.flowLogs.modify(
      { accountId: ctx.caller.accountId, regionId: p.RegionId },
      p.FlowLogId,
      {
        name: p.FlowLogName,
        description: p.Description,
        aggregationInterval: p.AggregationInterval,
        ipVersion: p.IpVersion,
        logFormat: p.LogFormat,
      },
    );
    return { Success: 'true' };
  },
});
