/** CreateVSwitch (Vpc 2016-04-28): a vSwitch in a VPC, in a zone of the region, with a CIDR inside the VPC's. */
import { REGION_PARAM, scopeOf } from '../../network/common.js';
import { VPC } from '../../product-info.js';
import { defineOp } from '../../services.js';
import { createVswitch, VSWITCH_FIELD_SPECS } from './vswitch-service.js';
import { vpcArn } from '../../resource-arns.js';

export const createVswitchOp = defineOp({
  product: VPC,
  action: 'CreateVSwitch',
  // The SDK model (CreateVSwitchRequest) has clientToken and no dryRun.
  clientToken: true,
  authorization: {
    action: 'vpc:CreateVSwitch',
    resources: (p, s) => [vpcArn(s, 'vpc', p.VpcId), vpcArn(s, 'vswitch')],
  },
  params: {
    ...REGION_PARAM,
    VpcId: { type: 'string', required: true },
    ZoneId: { type: 'string', required: true },
    CidrBlock: { type: 'string', required: true },
    ...VSWITCH_FIELD_SPECS,
  },
  async handle(ctx, p) {
    // In one transaction, so two concurrent creates cannot both pass the overlap check.
    const vswitch = await ctx.services.store.transaction((repos) =>
      createVswitch(repos, scopeOf(ctx, p.RegionId), {
        vpcId: p.VpcId,
        zoneId: p.ZoneId,
        cidrBlock: p.CidrBlock,
        name: p.VSwitchName,
        description: p.Description,
      }),
    );
    return { VSwitchId: vswitch.vswitch_id };
  },
});
