/**
 * ENI rules, shared by the API operations and the seed loader: an ENI sits in a vSwitch, belongs to
 * security groups of the same VPC, and has a primary address from the vSwitch's usable range that no
 * other ENI of the VPC uses. Without an address, the lowest free one is allocated.
 */
import { ApiError, ERROR_CATALOG } from '../../../protocol/errors.js';
import type { NetworkInterfaceRow, Scope } from '../../../store/repos/network-repo.js';
import type { Repos } from '../../../store/store.js';
import {
  formatIpv4,
  isUsableAddress,
  parseCidr,
  parseIpv4,
  usableRange,
  type Cidr,
} from '../../network/cidr.js';
import { resolveResourceGroup } from '../../network/common.js';
import { isoSeconds, newMacAddress, newResourceId } from '../../network/ids.js';
import { NETWORK_ERRORS } from '../../network-errors.js';
import { requireVswitch } from '../../vpc/vswitches/vswitch-service.js';

/** NetworkInterfaceName and Description as CreateNetworkInterface validates them. */
export const NETWORK_INTERFACE_FIELD_SPECS = {
  NetworkInterfaceName: {
    type: 'string',
    pattern: /^\p{L}[\p{L}\p{N}:_.-]{1,127}$/u,
    forbiddenPrefixes: ['http://', 'https://'],
  },
  Description: { type: 'string', minLength: 2, maxLength: 256, forbiddenPrefixes: ['http://', 'https://'] },
} as const;

export interface NewNetworkInterface {
  id?: string | undefined;
  vswitchId: string;
  securityGroupIds: readonly string[];
  primaryIp?: string | undefined;
  name?: string | undefined;
  description?: string | undefined;
  resourceGroupId?: string | undefined;
}

export async function createNetworkInterface(
  repos: Repos,
  scope: Scope,
  input: NewNetworkInterface,
): Promise<NetworkInterfaceRow> {
  const vswitch = await requireVswitch(repos, scope, input.vswitchId);
  const groupIds = [...new Set(input.securityGroupIds)];
  if (groupIds.length === 0) throw new ApiError(ERROR_CATALOG.MissingParameter, { name: 'SecurityGroupId' });
  for (const id of groupIds) {
    const group = await repos.network.getSecurityGroup(scope.accountId, scope.regionId, id);
    if (!group) throw new ApiError(NETWORK_ERRORS.InvalidSecurityGroupIdNotFound);
    if (group.vpc_id !== vswitch.vpc_id) throw new ApiError(NETWORK_ERRORS.InvalidOperationVpcMismatch);
  }
  const resourceGroupId = await resolveResourceGroup(repos, scope.accountId, input.resourceGroupId);
  const cidr = parseCidr(vswitch.cidr_block) as Cidr;
  const primaryIp =
    input.primaryIp === undefined
      ? await allocateAddress(repos, vswitch.vswitch_id, cidr)
      : await checkAddress(repos, vswitch.vpc_id, cidr, input.primaryIp);
  const row: NetworkInterfaceRow = {
    network_interface_id: input.id ?? newResourceId('eni', scope.regionId),
    account_id: scope.accountId,
    region_id: scope.regionId,
    vpc_id: vswitch.vpc_id,
    vswitch_id: vswitch.vswitch_id,
    zone_id: vswitch.zone_id,
    security_group_ids: groupIds.join(','),
    primary_ip: primaryIp,
    mac_address: newMacAddress(),
    name: input.name ?? '',
    description: input.description ?? '',
    status: 'Available',
    // A standalone ENI, not attached to any instance.
    type: 'Secondary',
    instance_id: '',
    resource_group_id: resourceGroupId,
    created_at: Date.now(),
  };
  await repos.network.insertNetworkInterface(row);
  return row;
}

async function checkAddress(repos: Repos, vpcId: string, cidr: Cidr, text: string): Promise<string> {
  const ip = parseIpv4(text);
  if (ip === undefined || !isUsableAddress(ip, cidr))
    throw new ApiError(NETWORK_ERRORS.InvalidVSwitchIdIpInvalid);
  const address = formatIpv4(ip);
  if (await repos.network.networkInterfaceWithIp(vpcId, address)) {
    throw new ApiError(NETWORK_ERRORS.InvalidPrivateIpAddressDuplicated);
  }
  return address;
}

/** The lowest free usable address of the vSwitch (vSwitch blocks do not overlap, so it is free in the VPC). */
async function allocateAddress(repos: Repos, vswitchId: string, cidr: Cidr): Promise<string> {
  const used = new Set(await repos.network.usedIpsInVswitch(vswitchId));
  const { first, last } = usableRange(cidr);
  for (let ip = first; ip <= last; ip++) {
    const address = formatIpv4(ip);
    if (!used.has(address)) return address;
  }
  throw new ApiError(NETWORK_ERRORS.InvalidVSwitchIdIpNotEnough);
}

export async function deleteNetworkInterface(repos: Repos, scope: Scope, eniId: string): Promise<void> {
  const eni = await repos.network.getNetworkInterface(scope.accountId, scope.regionId, eniId);
  if (!eni) throw new ApiError(NETWORK_ERRORS.InvalidEniIdNotFound);
  if ((await repos.network.countFlowLogsWatching(scope.accountId, scope.regionId, eniId)) > 0) {
    throw new ApiError(NETWORK_ERRORS.DependencyViolationFlowLog);
  }
  await repos.tags.removeAll(eniId);
  await repos.network.deleteNetworkInterface(scope.accountId, scope.regionId, eniId);
}

/** The fields CreateNetworkInterface and DescribeNetworkInterfaces share. */
export function networkInterfaceView(
  row: NetworkInterfaceRow,
  tags: readonly { Key: string; Value: string }[],
): Record<string, unknown> {
  return {
    NetworkInterfaceId: row.network_interface_id,
    NetworkInterfaceName: row.name,
    Description: row.description,
    Status: row.status,
    Type: row.type,
    VpcId: row.vpc_id,
    VSwitchId: row.vswitch_id,
    ZoneId: row.zone_id,
    PrivateIpAddress: row.primary_ip,
    MacAddress: row.mac_address,
    InstanceId: row.instance_id,
    ResourceGroupId: row.resource_group_id,
    OwnerId: row.account_id,
    ServiceManaged: false,
    SecurityGroupIds: { SecurityGroupId: row.security_group_ids.split(',').filter(Boolean) },
    PrivateIpSets: { PrivateIpSet: [{ PrivateIpAddress: row.primary_ip, Primary: true }] },
    Ipv6Sets: { Ipv6Set: [] },
    Ipv4PrefixSets: { Ipv4PrefixSet: [] },
    Ipv6PrefixSets: { Ipv6PrefixSet: [] },
    Tags: { Tag: tags.map((t) => ({ TagKey: t.Key, TagValue: t.Value })) },
  };
}

export function describedNetworkInterface(
  row: NetworkInterfaceRow,
  tags: readonly { Key: string; Value: string }[],
): Record<string, unknown> {
  return {
    ...networkInterfaceView(row, tags),
    CreationTime: isoSeconds(Number(row.created_at)),
    DeleteOnRelease: false,
    SourceDestCheck: false,
  };
}
