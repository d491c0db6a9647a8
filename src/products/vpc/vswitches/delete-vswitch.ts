/** DeleteVSwitch (Vpc 2016-04-28): refused while ENIs or flow logs depend on the vSwitch. */
import { REGION_PARAM, scopeOf } from '../../network/common.js';
import { VPC } from '../../product-info.js';
import { defineOp } from '../../services.js';
import { deleteVswitch } from './vswitch-service.js';
import { vpcArn } from '../../resource-arns.js';

export const deleteVswitchOp = defineOp({
  product: VPC,
  action: 'DeleteVSwitch',
  // The SDK model (DeleteVSwitchRequest) has dryRun and no clientToken.
  dryRun: true,
  authorization: { action: 'vpc:DeleteVSwitch', resources: (p, s) => vpcArn(s, 'vswitch', p.VSwitchId) },
  params: { ...REGION_PARAM, VSwitchId: { type: 'string', required: true } },
  async handle(ctx, p) {
    await ctx.services.store.transaction((repos) =>
      deleteVswitch(repos, scopeOf(ctx, p.RegionId), p.VSwitchId),
    );
    return {};
  },
});
