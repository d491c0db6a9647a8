/** CreateNetworkInterface (Ecs 2014-05-26): a standalone ENI in a vSwitch, with security groups and a primary IP. */
import { ApiError } from '../../../protocol/errors.js';
import { REGION_PARAM, scopeOf } from '../../network/common.js';
import { NETWORK_ERRORS } from '../../network-errors.js';
import { ECS } from '../../product-info.js';
import { defineOp } from '../../services.js';
import {
  createNetworkInterface,
  NETWORK_INTERFACE_FIELD_SPECS,
  networkInterfaceView,
} from './network-interface-service.js';
import { ecsArn } from '../../resource-arns.js';

export const createNetworkInterfaceOp = defineOp({
  product: ECS,
  action: 'CreateNetworkInterface',
  // The SDK model (Ecs CreateNetworkInterfaceRequest) has clientToken and no dryRun.
  clientToken: true,
  authorization: { action: 'ecs:CreateNetworkInterface', resources: (_p, s) => ecsArn(s, 'eni') },
  params: {
    ...REGION_PARAM,
    VSwitchId: { type: 'string', required: true },
    SecurityGroupId: { type: 'string' },
    SecurityGroupIds: { type: 'list', item: { type: 'string' }, maxItems: 10 },
    // Shape only; the address is checked against the vSwitch by the service.
    PrimaryIpAddress: { type: 'string', maxLength: 15, invalid: NETWORK_ERRORS.InvalidVSwitchIdIpInvalid },
    ...NETWORK_INTERFACE_FIELD_SPECS,
    ResourceGroupId: { type: 'string' },
  },
  async handle(ctx, p) {
    // The docs: SecurityGroupId and SecurityGroupIds.N cannot be given together.
    if (p.SecurityGroupId !== undefined && p.SecurityGroupIds.length > 0) {
      throw new ApiError(NETWORK_ERRORS.InvalidParameterConflict);
    }
    const eni = await ctx.services.store.transaction((repos) =>
      createNetworkInterface(repos, scopeOf(ctx, p.RegionId), {
        vswitchId: p.VSwitchId,
        securityGroupIds: p.SecurityGroupId !== undefined ? [p.SecurityGroupId] : p.SecurityGroupIds,
        primaryIp: p.PrimaryIpAddress,
        name: p.NetworkInterfaceName,
        description: p.Description,
        resourceGroupId: p.ResourceGroupId,
      }),
    );
    return networkInterfaceView(eni, []);
  },
});
