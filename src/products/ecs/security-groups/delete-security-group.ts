/** DeleteSecurityGroup (Ecs 2014-05-26): refused while an ENI is in the group. */
import { REGION_PARAM, scopeOf } from '../../network/common.js';
import { ECS } from '../../product-info.js';
import { defineOp } from '../../services.js';
import { deleteSecurityGroup } from './security-group-service.js';
import { ecsArn } from '../../resource-arns.js';

export const deleteSecurityGroupOp = defineOp({
  product: ECS,
  action: 'DeleteSecurityGroup',
  authorization: {
    action: 'ecs:DeleteSecurityGroup',
    resources: (p, s) => ecsArn(s, 'securitygroup', p.SecurityGroupId),
  },
  params: { ...REGION_PARAM, SecurityGroupId: { type: 'string', required: true } },
  async handle(ctx, p) {
    await ctx.services.store.transaction((repos) =>
      deleteSecurityGroup(repos, scopeOf(ctx, p.RegionId), p.SecurityGroupId),
    );
    return {};
  },
});
