/**
 * Security group rules, shared by the API operations and the seed loader: a group lives in a VPC of the
 * account and cannot be deleted while an ENI is in it.
 */
import { ApiError } from '../../../protocol/errors.js';
import type { Scope, SecurityGroupRow } from '../../../store/repos/network-repo.js';
import type { Repos } from '../../../store/store.js';
import { resolveResourceGroup } from '../../network/common.js';
import { isoSeconds, newResourceId } from '../../network/ids.js';
import { NETWORK_ERRORS } from '../../network-errors.js';
import { requireVpc } from '../../vpc/vpcs/vpc-service.js';

/** The most ENIs ("instances") a basic security group holds. */
const GROUP_CAPACITY = 2000;

/** SecurityGroupName and Description as CreateSecurityGroup validates them (also used by the seed loader). */
export const SECURITY_GROUP_FIELD_SPECS = {
  // 2-128 characters, starting with a letter; letters, digits, `:`, `_`, `.`, `-` (CreateSecurityGroup docs).
  SecurityGroupName: {
    type: 'string',
    pattern: /^\p{L}[\p{L}\p{N}:_.-]{1,127}$/u,
    forbiddenPrefixes: ['http://', 'https://'],
    invalid: NETWORK_ERRORS.InvalidSecurityGroupNameMalformed,
  },
  Description: {
    type: 'string',
    minLength: 2,
    maxLength: 256,
    forbiddenPrefixes: ['http://', 'https://'],
    invalid: NETWORK_ERRORS.InvalidDescriptionMalformed,
  },
} as const;

export interface NewSecurityGroup {
  id?: string | undefined;
  vpcId: string;
  name?: string | undefined;
  description?: string | undefined;
  resourceGroupId?: string | undefined;
}

export async function createSecurityGroup(
  repos: Repos,
  scope: Scope,
  input: NewSecurityGroup,
): Promise<SecurityGroupRow> {
  const vpc = await requireVpc(repos, scope, input.vpcId);
  const row: SecurityGroupRow = {
    security_group_id: input.id ?? newResourceId('sg', scope.regionId),
    account_id: scope.accountId,
    region_id: scope.regionId,
    vpc_id: vpc.vpc_id,
    name: input.name ?? '',
    description: input.description ?? '',
    resource_group_id: await resolveResourceGroup(repos, scope.accountId, input.resourceGroupId),
    created_at: Date.now(),
  };
  await repos.network.insertSecurityGroup(row);
  return row;
}

/** Deletes a security group and its tags, or fails without touching anything. Call inside a transaction. */
export async function deleteSecurityGroup(
  repos: Repos,
  scope: Scope,
  securityGroupId: string,
): Promise<void> {
  const group = await repos.network.getSecurityGroup(scope.accountId, scope.regionId, securityGroupId);
  if (!group) throw new ApiError(NETWORK_ERRORS.InvalidSecurityGroupNotFound);
  const inUse = await repos.network.networkInterfaceCountsBySecurityGroup(
    scope,
    [securityGroupId],
    [group.vpc_id],
  );
  if ((inUse.get(securityGroupId) ?? 0) > 0) {
    throw new ApiError(NETWORK_ERRORS.SecurityGroupInUse);
  }
  await repos.tags.removeAll(securityGroupId);
  await repos.network.deleteSecurityGroup(scope.accountId, scope.regionId, securityGroupId);
}

/** One item of DescribeSecurityGroups. */
export function securityGroupView(
  row: SecurityGroupRow,
  eniCount: number,
  tags: readonly { Key: string; Value: string }[],
): Record<string, unknown> {
  return {
    SecurityGroupId: row.security_group_id,
    SecurityGroupName: row.name,
    Description: row.description,
    VpcId: row.vpc_id,
    SecurityGroupType: 'normal',
    CreationTime: isoSeconds(Number(row.created_at)),
    ResourceGroupId: row.resource_group_id,
    ServiceManaged: false,
    EcsCount: eniCount,
    AvailableInstanceAmount: Math.max(0, GROUP_CAPACITY - eniCount),
    RuleCount: 0,
    GroupToGroupRuleCount: 0,
    Tags: { Tag: tags.map((t) => ({ TagKey: t.Key, TagValue: t.Value })) },
  };
}
