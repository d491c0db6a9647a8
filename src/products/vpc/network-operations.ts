/** The network-resource operations: VPCs and vSwitches (Vpc 2016-04-28), security groups and ENIs (Ecs 2014-05-26). */
import type { Operation } from '../../protocol/operation.js';
import { createNetworkInterfaceOp } from '../ecs/network-interfaces/create-network-interface.js';
import { deleteNetworkInterfaceOp } from '../ecs/network-interfaces/delete-network-interface.js';
import { describeNetworkInterfacesOp } from '../ecs/network-interfaces/describe-network-interfaces.js';
import { createSecurityGroupOp } from '../ecs/security-groups/create-security-group.js';
import { deleteSecurityGroupOp } from '../ecs/security-groups/delete-security-group.js';
import { describeSecurityGroupsOp } from '../ecs/security-groups/describe-security-groups.js';
import type { Services } from '../services.js';
import { createVpcOp } from './vpcs/create-vpc.js';
import { deleteVpcOp } from './vpcs/delete-vpc.js';
import { describeVpcsOp } from './vpcs/describe-vpcs.js';
import { createVswitchOp } from './vswitches/create-vswitch.js';
import { deleteVswitchOp } from './vswitches/delete-vswitch.js';
import { describeVswitchesOp } from './vswitches/describe-vswitches.js';

export const networkOperations: Operation<Services>[] = [
  createVpcOp,
  describeVpcsOp,
  deleteVpcOp,
  createVswitchOp,
  describeVswitchesOp,
  deleteVswitchOp,
  createSecurityGroupOp,
  describeSecurityGroupsOp,
  deleteSecurityGroupOp,
  createNetworkInterfaceOp,
  describeNetworkInterfacesOp,
  deleteNetworkInterfaceOp,
];
