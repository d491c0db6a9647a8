/** DeleteNetworkInterface (Ecs 2014-05-26): refused while a flow log watches the ENI. */
import { REGION_PARAM, scopeOf } from '../../network/common.js';
import { ECS } from '../../product-info.js';
import { defineOp } from '../../services.js';
import { deleteNetworkInterface } from './network-interface-service.js';
import { ecsArn } from '../../resource-arns.js';

export const deleteNetworkInterfaceOp = defineOp({
  product: ECS,
  action: 'DeleteNetworkInterface',
  authorization: {
    action: 'ecs:DeleteNetworkInterface',
    resources: (p, s) => ecsArn(s, 'eni', p.NetworkInterfaceId),
  },
  params: { ...REGION_PARAM, NetworkInterfaceId: { type: 'string', required: true } },
  async handle(ctx, p) {
    await ctx.services.store.transaction((repos) =>
      deleteNetworkInterface(repos, scopeOf(ctx, p.RegionId), p.NetworkInterfaceId),
    );
    return {};
  },
});
