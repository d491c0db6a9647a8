/** DeleteVpc (Vpc 2016-04-28): refused while vSwitches, security groups or flow logs depend on the VPC. */
import { REGION_PARAM, scopeOf } from '../../network/common.js';
import { VPC } from '../../product-info.js';
import { defineOp } from '../../services.js';
import { deleteVpc } from './vpc-service.js';
import { vpcArn } from '../../resource-arns.js';

export const deleteVpcOp = defineOp({
  product: VPC,
  action: 'DeleteVpc',
  // Both in the SDK model (DeleteVpcRequest: clientToken, dryRun).
  clientToken: true,
  dryRun: true,
  authorization: { action: 'vpc:DeleteVpc', resources: (p, s) => vpcArn(s, 'vpc', p.VpcId) },
  params: { ...REGION_PARAM, VpcId: { type: 'string', required: true } },
  async handle(ctx, p) {
    // Checks and delete in one transaction: a vSwitch created concurrently cannot slip in between.
    await ctx.services.store.transaction((repos) => deleteVpc(repos, scopeOf(ctx, p.RegionId), p.VpcId));
    return {};
  },
});
