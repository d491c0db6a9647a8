/** CreateSecurityGroup (Ecs 2014-05-26): a basic security group in a VPC of the account. */
import { REGION_PARAM, scopeOf } from '../../network/common.js';
import { ECS } from '../../product-info.js';
import { defineOp } from '../../services.js';
import { createSecurityGroup, SECURITY_GROUP_FIELD_SPECS } from './security-group-service.js';
import { ecsArn } from '../../resource-arns.js';

export const createSecurityGroupOp = defineOp({
  product: ECS,
  action: 'CreateSecurityGroup',
  // The SDK model (Ecs CreateSecurityGroupRequest) has clientToken and no dryRun.
  clientToken: true,
  authorization: { action: 'ecs:CreateSecurityGroup', resources: (_p, s) => ecsArn(s, 'securitygroup') },
  params: {
    ...REGION_PARAM,
    // Classic-network groups are gone: vpcflow requires the VPC.
    VpcId: { type: 'string', required: true },
    ...SECURITY_GROUP_FIELD_SPECS,
    // Only basic groups are modelled; `enterprise` is refused rather than silently downgraded.
    SecurityGroupType: { type: 'string', enum: ['normal'] },
    ResourceGroupId: { type: 'string' },
  },
  async handle(ctx, p) {
    const group = await ctx.services.store.transaction((repos) =>
      createSecurityGroup(repos, scopeOf(ctx, p.RegionId), {
        vpcId: p.VpcId,
        name: p.SecurityGroupName,
        description: p.Description,
        resourceGroupId: p.ResourceGroupId,
      }),
    );
    return { SecurityGroupId: group.security_group_id };
  },
});
