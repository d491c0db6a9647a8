/**
 * vSwitch rules, shared by the API operations and the seed loader: a zone of the VPC's region, a CIDR
 * block inside the VPC's that overlaps no other vSwitch of that VPC, and no deletion while ENIs or flow
 * logs depend on it.
 */
import { ApiError } from '../../../protocol/errors.js';
import type { Scope, VswitchRow } from '../../../store/repos/network-repo.js';
import type { Repos } from '../../../store/store.js';
import {
  cidrContains,
  cidrsOverlap,
  formatCidr,
  parseCidr,
  usableRange,
  type Cidr,
} from '../../network/cidr.js';
import { ownerIdNumber } from '../../network/common.js';
import { isoSeconds, newResourceId, routeTableIdOf } from '../../network/ids.js';
import { NETWORK_ERRORS } from '../../network-errors.js';
import { findRegion } from '../../regions/region-catalog.js';
import { requireVpc } from '../vpcs/vpc-service.js';

const TEXT_RULES = { minLength: 1, forbiddenPrefixes: ['http://', 'https://'] } as const;

/** VSwitchName and Description as CreateVSwitch validates them (also used by the seed loader). */
export const VSWITCH_FIELD_SPECS = {
  VSwitchName: {
    type: 'string',
    ...TEXT_RULES,
    maxLength: 128,
    invalid: NETWORK_ERRORS.InvalidVSwitchNameMalformed,
  },
  Description: {
    type: 'string',
    ...TEXT_RULES,
    maxLength: 256,
    invalid: NETWORK_ERRORS.InvalidVSwitchDescriptionMalformed,
  },
} as const;

export interface NewVswitch {
  id?: string | undefined;
  vpcId: string;
  zoneId: string;
  cidrBlock: string;
  name?: string | undefined;
  description?: string | undefined;
}

/** Parses a vSwitch CIDR: well-formed, mask 16 to 29 bits (CreateVSwitch docs). */
export function parseVswitchCidr(text: string): Cidr {
  const cidr = parseCidr(text);
  if (!cidr) throw new ApiError(NETWORK_ERRORS.InvalidCidrBlockMalformed);
  if (cidr.mask < 16 || cidr.mask > 29) throw new ApiError(NETWORK_ERRORS.InvalidCidrBlockMaskLength);
  return cidr;
}

export async function createVswitch(repos: Repos, scope: Scope, input: NewVswitch): Promise<VswitchRow> {
  const vpc = await requireVpc(repos, scope, input.vpcId);
  if (!findRegion(scope.regionId)?.zones.includes(input.zoneId)) {
    throw new ApiError(NETWORK_ERRORS.InvalidZoneIdNotFound);
  }
  const cidr = parseVswitchCidr(input.cidrBlock);
  const vpcCidr = parseCidr(vpc.cidr_block);
  if (!vpcCidr || !cidrContains(vpcCidr, cidr)) throw new ApiError(NETWORK_ERRORS.VSwitchCidrNotInVpc);
  for (const other of await repos.network.vswitchesOfVpc(vpc.vpc_id)) {
    const otherCidr = parseCidr(other.cidr_block);
    if (otherCidr && cidrsOverlap(otherCidr, cidr))
      throw new ApiError(NETWORK_ERRORS.InvalidCidrBlockOverlapped);
  }
  const row: VswitchRow = {
    vswitch_id: input.id ?? newResourceId('vsw', scope.regionId),
    account_id: scope.accountId,
    region_id: scope.regionId,
    vpc_id: vpc.vpc_id,
    zone_id: input.zoneId,
    cidr_block: formatCidr(cidr),
    name: input.name ?? '',
    description: input.description ?? '',
    status: 'Available',
    // A vSwitch belongs to the resource group of its VPC (CreateVSwitch has no ResourceGroupId).
    resource_group_id: vpc.resource_group_id,
    created_at: Date.now(),
  };
  await repos.network.insertVswitch(row);
  return row;
}

export async function requireVswitch(repos: Repos, scope: Scope, vswitchId: string): Promise<VswitchRow> {
  const vswitch = await repos.network.getVswitch(scope.accountId, scope.regionId, vswitchId);
  if (!vswitch) throw new ApiError(NETWORK_ERRORS.InvalidVSwitchIdNotFound);
  return vswitch;
}

/** Deletes a vSwitch and its tags, or fails without touching anything. Call inside a transaction. */
export async function deleteVswitch(repos: Repos, scope: Scope, vswitchId: string): Promise<void> {
  await requireVswitch(repos, scope, vswitchId);
  if ((await repos.network.countNetworkInterfacesInVswitch(vswitchId)) > 0) {
    throw new ApiError(NETWORK_ERRORS.DependencyViolationNetworkInterface);
  }
  if ((await repos.network.countFlowLogsWatching(scope.accountId, scope.regionId, vswitchId)) > 0) {
    throw new ApiError(NETWORK_ERRORS.DependencyViolationFlowLog);
  }
  await repos.tags.removeAll(vswitchId);
  await repos.network.deleteVswitch(scope.accountId, scope.regionId, vswitchId);
}

/** Addresses still free: the usable range (first and last three reserved) minus the ENIs' addresses. */
export function availableIpCount(cidrBlock: string, eniCount: number): number {
  const cidr = parseCidr(cidrBlock);
  return cidr ? Math.max(0, usableRange(cidr).count - eniCount) : 0;
}

/** One item of DescribeVSwitches, with the fields of the SDK model. */
export function vswitchView(
  row: VswitchRow,
  eniCount: number,
  tags: readonly { Key: string; Value: string }[],
): Record<string, unknown> {
  return {
    VSwitchId: row.vswitch_id,
    VpcId: row.vpc_id,
    Status: row.status,
    CidrBlock: row.cidr_block,
    Ipv6CidrBlock: '',
    EnabledIpv6: false,
    ZoneId: row.zone_id,
    AvailableIpAddressCount: availableIpCount(row.cidr_block, eniCount),
    Description: row.description,
    VSwitchName: row.name,
    CreationTime: isoSeconds(Number(row.created_at)),
    IsDefault: false,
    ResourceGroupId: row.resource_group_id,
    NetworkAclId: '',
    OwnerId: ownerIdNumber(row.account_id),
    ShareType: 'Sharing',
    RouteTable: { RouteTableId: routeTableIdOf(row.vpc_id), RouteTableType: 'System' },
    Tags: { Tag: tags.map((t) => ({ Key: t.Key, Value: t.Value })) },
  };
}
