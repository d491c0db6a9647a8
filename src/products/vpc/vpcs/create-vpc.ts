/** CreateVpc (Vpc 2016-04-28): a VPC with a private CIDR block, in a resource group of the account. */
import { REGION_PARAM, scopeOf } from '../../network/common.js';
import { routeTableIdOf, vRouterIdOf } from '../../network/ids.js';
import { VPC } from '../../product-info.js';
import { defineOp } from '../../services.js';
import { createVpc, VPC_FIELD_SPECS } from './vpc-service.js';
import { vpcArn } from '../../resource-arns.js';

export const createVpcOp = defineOp({
  product: VPC,
  action: 'CreateVpc',
  // Both in the SDK model (CreateVpcRequest: clientToken, dryRun).
  clientToken: true,
  dryRun: true,
  authorization: { action: 'vpc:CreateVpc', resources: (_p, s) => vpcArn(s, 'vpc') },
  params: {
    ...REGION_PARAM,
    ...VPC_FIELD_SPECS,
    CidrBlock: { type: 'string' },
    ResourceGroupId: { type: 'string' },
  },
  async handle(ctx, p) {
    const vpc = await ctx.services.store.transaction((repos) =>
      createVpc(repos, scopeOf(ctx, p.RegionId), {
        name: p.VpcName,
        description: p.Description,
        cidrBlock: p.CidrBlock,
        resourceGroupId: p.ResourceGroupId,
      }),
    );
    return {
      VpcId: vpc.vpc_id,
      VRouterId: vRouterIdOf(vpc.vpc_id),
      RouteTableId: routeTableIdOf(vpc.vpc_id),
      ResourceGroupId: vpc.resource_group_id,
    };
  },
});
