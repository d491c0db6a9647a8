/**
 * The errors of the network-resource operations (Vpc 2016-04-28 VPCs and vSwitches, Ecs 2014-05-26
 * security groups and ENIs). Codes, statuses and messages follow the published error tables of each
 * operation; where a table gives only `%s`, or where no table covers the case, the message (or code) is
 * inferred and marked so. HostId comes from the operation's product, so the same entry renders with
 * vpc.aliyuncs.com or ecs.aliyuncs.com.
 */
import type { CatalogEntry } from '../protocol/errors.js';

export const NETWORK_ERRORS = {
  // Not found (CreateVSwitch, DeleteVpc, DeleteVSwitch error tables).
  InvalidVpcIdNotFound: {
    code: 'InvalidVpcId.NotFound',
    status: 404,
    message: 'Specified VPC does not exist.',
  },
  InvalidVSwitchIdNotFound: {
    code: 'InvalidVSwitchId.NotFound',
    status: 404,
    message: 'Specified virtual switch does not exist.',
  },
  InvalidZoneIdNotFound: {
    code: 'InvalidZoneId.NotFound',
    status: 404,
    message: 'Specified zone does not exist.',
  },
  // ECS CreateNetworkInterface / RunInstances tables.
  InvalidSecurityGroupIdNotFound: {
    code: 'InvalidSecurityGroupId.NotFound',
    status: 404,
    message: 'The SecurityGroupId provided does not exist in our records.',
  },
  // ECS DeleteSecurityGroup table (2025 revision).
  InvalidSecurityGroupNotFound: {
    code: 'InvalidSecurityGroup.NotFound',
    status: 404,
    message: 'The specified security group is not found.',
  },
  // ECS ENI tables list the code with `%s`; message inferred.
  InvalidEniIdNotFound: {
    code: 'InvalidEniId.NotFound',
    status: 404,
    message: 'The specified EniId is not found.',
  },
  // ECS CreateNetworkInterface table; the same entry is used by the Vpc operations.
  InvalidResourceGroupNotFound: {
    code: 'InvalidResourceGroup.NotFound',
    status: 404,
    message: 'The ResourceGroup provided does not exist in our records.',
  },

  // CIDR blocks (CreateVpc and CreateVSwitch tables; `InvalidCirdrBlock` is spelled so in the table).
  InvalidVpcCidrBlock: {
    code: 'InvalidParameter',
    status: 400,
    message: 'Specified CIDR block is not valid',
  },
  InvalidCidrBlockMalformed: {
    code: 'InvalidCidrBlock.Malformed',
    status: 400,
    message: 'Specified CIDR block is not valid.',
  },
  InvalidCidrBlockMaskLength: {
    code: 'InvalidCirdrBlock.MaskLength',
    status: 400,
    message: 'Specified CIDR block is not valid .',
  },
  VSwitchCidrNotInVpc: {
    code: 'InvalidParameter',
    status: 400,
    message: 'Specified CIDR block is not valid in VPC.',
  },
  InvalidCidrBlockOverlapped: {
    code: 'InvalidCidrBlock.Overlapped',
    status: 400,
    message: 'Specified CIDR block overlapped with other subnets.',
  },

  // Names and descriptions (`Discription` is spelled so in the tables).
  InvalidVpcNameMalformed: {
    code: 'InvalidVpcName.Malformed',
    status: 400,
    message: 'Specified VPC name is not valid.',
  },
  InvalidVpcDescriptionMalformed: {
    code: 'InvalidVpcDiscription.Malformed',
    status: 400,
    message: 'Specified VPC description is not valid.',
  },
  InvalidVSwitchNameMalformed: {
    code: 'InvalidVSwitchName.Malformed',
    status: 400,
    message: 'Specified virtual switch name is not valid.',
  },
  InvalidVSwitchDescriptionMalformed: {
    code: 'InvalidVSwitchDiscription.Malformed',
    status: 400,
    message: 'Specified virtual switch description is not valid.',
  },
  InvalidSecurityGroupNameMalformed: {
    code: 'InvalidSecurityGroupName.Malformed',
    status: 400,
    message: 'Specified security group name is not valid.',
  },
  InvalidDescriptionMalformed: {
    code: 'InvalidDescription.Malformed',
    status: 400,
    message: 'The specified parameter "Description" is not valid.',
  },

  // Dependencies (DeleteVpc table; DeleteSecurityGroup table).
  DependencyViolationVSwitch: {
    code: 'DependencyViolation.VSwitch',
    status: 400,
    message: 'Specified object has dependent resources',
  },
  DependencyViolationSecurityGroup: {
    code: 'DependencyViolation.SecurityGroup',
    status: 400,
    message: 'Specified object has dependent resources SecurityGroup.',
  },
  // DeleteVSwitch's table has the generic `DependencyViolation`; the `.NetworkInterface` suffix is what
  // cleanup tools report from the real service. Message from the table.
  DependencyViolationNetworkInterface: {
    code: 'DependencyViolation.NetworkInterface',
    status: 400,
    message: 'Specified object has dependent resources.',
  },
  // Inferred: no published table covers deleting a resource a flow log watches.
  DependencyViolationFlowLog: {
    code: 'DependencyViolation.FlowLog',
    status: 400,
    message: 'Specified object has dependent resources FlowLog.',
  },
  SecurityGroupInUse: {
    code: 'DependencyViolation',
    status: 403,
    message: 'There is still instance(s) in the specified security group.',
  },

  // ENI addressing and membership (CreateNetworkInterface table; messages of `%s` rows inferred).
  InvalidOperationVpcMismatch: {
    code: 'InvalidOperation.VpcMismatch',
    status: 403,
    message: 'The VPC of the specified ENI and security group are not in the same VPC.',
  },
  InvalidParameterConflict: {
    code: 'InvalidParameter.Conflict',
    status: 400,
    message: 'SecurityGroupId and SecurityGroupIds.N cannot be specified at the same time.',
  },
  InvalidVSwitchIdIpInvalid: {
    code: 'InvalidVSwitchId.IpInvalid',
    status: 403,
    message: 'The specified private IP address is not available in the CIDR block of the vSwitch.',
  },
  InvalidPrivateIpAddressDuplicated: {
    code: 'InvalidPrivateIpAddress.Duplicated',
    status: 400,
    message: 'Specified private IP address is duplicated.',
  },
  InvalidVSwitchIdIpNotEnough: {
    code: 'InvalidVSwitchId.IpNotEnough',
    status: 403,
    message: 'The available IP addresses in the specified vSwitch are insufficient.',
  },
} as const satisfies Record<string, CatalogEntry>;

export type NetworkErrorName = keyof typeof NETWORK_ERRORS;
