/**
 * VPC rules, shared by the API operations and the seed loader: a private CIDR block, a resource group
 * of the account, and no deletion while vSwitches, security groups or flow logs depend on the VPC.
 */
import { ApiError } from '../../../protocol/errors.js';
import type { Scope, VpcRow } from '../../../store/repos/network-repo.js';
import type { Repos } from '../../../store/store.js';
import { cidrContains, formatCidr, parseCidr, PRIVATE_BLOCKS } from '../../network/cidr.js';
import { ownerIdNumber, resolveResourceGroup } from '../../network/common.js';
import { isoSeconds, newResourceId, routeTableIdOf, vRouterIdOf } from '../../network/ids.js';
import { NETWORK_ERRORS } from '../../network-errors.js';

export const DEFAULT_VPC_CIDR = '172.16.0.0/12';

const NAME_RULES = { minLength: 1, maxLength: 128, forbiddenPrefixes: ['http://', 'https://'] } as const;
const DESCRIPTION_RULES = {
  minLength: 1,
  maxLength: 256,
  forbiddenPrefixes: ['http://', 'https://'],
} as const;

/** VpcName and Description as CreateVpc validates them (the seed loader validates with the same specs). */
export const VPC_FIELD_SPECS = {
  VpcName: { type: 'string', ...NAME_RULES, invalid: NETWORK_ERRORS.InvalidVpcNameMalformed },
  Description: {
    type: 'string',
    ...DESCRIPTION_RULES,
    invalid: NETWORK_ERRORS.InvalidVpcDescriptionMalformed,
  },
} as const;

export interface NewVpc {
  /** An explicit ID (seed files); generated when absent. */
  id?: string | undefined;
  name?: string | undefined;
  description?: string | undefined;
  cidrBlock?: string | undefined;
  resourceGroupId?: string | undefined;
}

/**
 * The VPC CIDR must be one of 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 or a subnet of it, with a mask
 * from 8 to 28 bits (the SDK docs give 16-28 for subnets; the default itself is a /12).
 */
export function checkVpcCidr(text: string): string {
  const cidr = parseCidr(text);
  if (!cidr || cidr.mask < 8 || cidr.mask > 28 || !PRIVATE_BLOCKS.some((b) => cidrContains(b, cidr))) {
    throw new ApiError(NETWORK_ERRORS.InvalidVpcCidrBlock);
  }
  return formatCidr(cidr);
}

export async function createVpc(repos: Repos, scope: Scope, input: NewVpc): Promise<VpcRow> {
  const cidrBlock = checkVpcCidr(input.cidrBlock ?? DEFAULT_VPC_CIDR);
  const row: VpcRow = {
    vpc_id: input.id ?? newResourceId('vpc', scope.regionId),
    account_id: scope.accountId,
    region_id: scope.regionId,
    name: input.name ?? '',
    description: input.description ?? '',
    cidr_block: cidrBlock,
    status: 'Available',
    resource_group_id: await resolveResourceGroup(repos, scope.accountId, input.resourceGroupId),
    is_default: 0,
    created_at: Date.now(),
  };
  await repos.network.insertVpc(row);
  return row;
}

export async function requireVpc(repos: Repos, scope: Scope, vpcId: string): Promise<VpcRow> {
  const vpc = await repos.network.getVpc(scope.accountId, scope.regionId, vpcId);
  if (!vpc) throw new ApiError(NETWORK_ERRORS.InvalidVpcIdNotFound);
  return vpc;
}

/** Deletes a VPC and its tags, or fails without touching anything. Call inside a transaction. */
export async function deleteVpc(repos: Repos, scope: Scope, vpcId: string): Promise<void> {
  await requireVpc(repos, scope, vpcId);
  if ((await repos.network.countVswitchesInVpc(vpcId)) > 0) {
    throw new ApiError(NETWORK_ERRORS.DependencyViolationVSwitch);
  }
  if ((await repos.network.countSecurityGroupsInVpc(vpcId)) > 0) {
    throw new ApiError(NETWORK_ERRORS.DependencyViolationSecurityGroup);
  }
  if ((await repos.network.countFlowLogsWatching(scope.accountId, scope.regionId, vpcId)) > 0) {
    throw new ApiError(NETWORK_ERRORS.DependencyViolationFlowLog);
  }
  await repos.tags.removeAll(vpcId);
  await repos.network.deleteVpc(scope.accountId, scope.regionId, vpcId);
}

/** One item of DescribeVpcs, with every field of the SDK model (unmodelled features empty). */
export function vpcView(
  row: VpcRow,
  vswitchIds: readonly string[],
  tags: readonly { Key: string; Value: string }[],
): Record<string, unknown> {
  return {
    VpcId: row.vpc_id,
    RegionId: row.region_id,
    Status: row.status,
    VpcName: row.name,
    CreationTime: isoSeconds(Number(row.created_at)),
    CidrBlock: row.cidr_block,
    Ipv6CidrBlock: '',
    Ipv6CidrBlocks: { Ipv6CidrBlock: [] },
    EnabledIpv6: false,
    VRouterId: vRouterIdOf(row.vpc_id),
    Description: row.description,
    IsDefault: Number(row.is_default) === 1,
    ResourceGroupId: row.resource_group_id,
    CenStatus: 'Detached',
    OwnerId: ownerIdNumber(row.account_id),
    DhcpOptionsSetId: '',
    DhcpOptionsSetStatus: '',
    DnsHostnameStatus: 'DISABLED',
    VSwitchIds: { VSwitchId: [...vswitchIds] },
    UserCidrs: { UserCidr: [] },
    NatGatewayIds: { NatGatewayIds: [] },
    RouterTableIds: { RouterTableIds: [routeTableIdOf(row.vpc_id)] },
    SecondaryCidrBlocks: { SecondaryCidrBlock: [] },
    Tags: { Tag: tags.map((t) => ({ Key: t.Key, Value: t.Value })) },
  };
}
