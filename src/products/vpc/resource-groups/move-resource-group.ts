/**
 * MoveResourceGroup for flow logs and VPCs; the resource type is case-insensitive
 * (https://www.alibabacloud.com/help/en/vpc/developer-reference/api-vpc-2016-04-28-moveresourcegroup).
 */
import { ApiError } from '../../../protocol/errors.js';
import { VPC } from '../../product-info.js';
import { defineOp } from '../../services.js';
import { FLOW_LOG_ERRORS } from '../flow-logs/flow-log-errors.js';
import { vpcArn } from '../../resource-arns.js';

export const moveResourceGroup = defineOp({
  product: VPC,
  action: 'MoveResourceGroup',
  authorization: {
    action: 'vpc:MoveResourceGroup',
    resources: (p, s) => vpcArn(s, p.ResourceType.toLowerCase(), p.ResourceId),
  },
  invalidParameter: FLOW_LOG_ERRORS.ParameterInvalid,
  params: {
    RegionId: { type: 'string', required: true },
    ResourceId: { type: 'string', required: true, maxLength: 128 },
    NewResourceGroupId: { type: 'string', required: true, maxLength: 64 },
    ResourceType: { type: 'string', required: true, enum: ['FlowLog', 'Vpc'], enumIgnoreCase: true },
  },
  async handle(ctx, p) {
    const scope = { accountId: ctx.caller.accountId, regionId: p.RegionId };
    const kind = p.ResourceType === 'FlowLog' ? 'FlowLog' : 'VPC';
    await ctx.services.store.transaction(async (repos) => {
      if (!(await repos.resources.exists(scope, kind, p.ResourceId))) {
        throw new ApiError(FLOW_LOG_ERRORS.InvalidInstanceId);
      }
      if (!(await repos.identity.getResourceGroup(scope.accountId, p.NewResourceGroupId))) {
        throw new ApiError(FLOW_LOG_ERRORS.ResourceGroupNotFound);
      }
      await repos.resources.setResourceGroup(kind, p.ResourceId, p.NewResourceGroupId);
    });
    return {};
  },
});
