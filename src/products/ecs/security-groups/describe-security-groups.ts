/**
 * DescribeSecurityGroups (Ecs 2014-05-26), newest first. Pages with PageNumber/PageSize, or with
 * MaxResults/NextToken when either is given (then TotalCount is left out, as the docs say).
 */
import { ApiError, ERROR_CATALOG } from '../../../protocol/errors.js';
import {
  nextToken,
  offsetFromToken,
  pageOf,
  pageParams,
  REGION_PARAM,
  scopeOf,
  TAG_FILTER_PARAM,
  tagFilters,
} from '../../network/common.js';
import { ECS } from '../../product-info.js';
import { defineOp } from '../../services.js';
import { securityGroupView } from './security-group-service.js';
import { ecsArn } from '../../resource-arns.js';

export const describeSecurityGroupsOp = defineOp({
  product: ECS,
  action: 'DescribeSecurityGroups',
  authorization: {
    action: 'ecs:DescribeSecurityGroups',
    resources: (p, s) => ecsArn(s, 'securitygroup', p.SecurityGroupId),
  },
  params: {
    ...REGION_PARAM,
    SecurityGroupId: { type: 'string' },
    /** A JSON array of up to 100 IDs: `["sg-a","sg-b"]`. */
    SecurityGroupIds: { type: 'string' },
    SecurityGroupName: { type: 'string' },
    VpcId: { type: 'string' },
    ResourceGroupId: { type: 'string' },
    NetworkType: { type: 'string', enum: ['vpc', 'classic'] },
    SecurityGroupType: { type: 'string', enum: ['normal', 'enterprise'] },
    ...TAG_FILTER_PARAM,
    ...pageParams(10, 50),
    MaxResults: { type: 'integer', min: 1, max: 100 },
    NextToken: { type: 'string' },
  },
  async handle(ctx, p) {
    const { network, tags } = ctx.services.store.repos;
    const tokenMode = p.MaxResults !== undefined || p.NextToken !== undefined;
    const page = tokenMode
      ? { offset: offsetFromToken(p.NextToken), limit: p.MaxResults ?? 10 }
      : pageOf(p.PageNumber, p.PageSize);
    let ids = parseIdArray(p.SecurityGroupIds);
    if (p.SecurityGroupId !== undefined)
      ids = ids ? ids.filter((id) => id === p.SecurityGroupId) : [p.SecurityGroupId];
    // Every group here is a basic VPC group: other types match nothing.
    const none = p.NetworkType === 'classic' || p.SecurityGroupType === 'enterprise';
    const { rows, total } = none
      ? { rows: [], total: 0 }
      : await network.listSecurityGroups(
          scopeOf(ctx, p.RegionId),
          {
            ids,
            vpcId: p.VpcId,
            name: p.SecurityGroupName,
            resourceGroupId: p.ResourceGroupId,
            tags: tagFilters(p.Tag),
          },
          page,
        );
    const groupIds = rows.map((r) => r.security_group_id);
    const tagMap = await tags.forResources(groupIds);
    // One scoped query for the whole page (an ENI only joins groups of its own account, region and VPC).
    const counts = await network.networkInterfaceCountsBySecurityGroup(
      scopeOf(ctx, p.RegionId),
      groupIds,
      rows.map((r) => r.vpc_id),
    );
    const SecurityGroups = {
      SecurityGroup: rows.map((r) =>
        securityGroupView(r, counts.get(r.security_group_id) ?? 0, tagMap.get(r.security_group_id) ?? []),
      ),
    };
    if (tokenMode) {
      return { RegionId: p.RegionId, NextToken: nextToken(page.offset, rows.length, total), SecurityGroups };
    }
    return {
      RegionId: p.RegionId,
      TotalCount: total,
      PageNumber: p.PageNumber,
      PageSize: p.PageSize,
      SecurityGroups,
    };
  },
});

function parseIdArray(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new ApiError(ERROR_CATALOG.InvalidParameter, { name: 'SecurityGroupIds' });
  }
  if (!Array.isArray(parsed) || parsed.length > 100 || !parsed.every((x) => typeof x === 'string')) {
    throw new ApiError(ERROR_CATALOG.InvalidParameter, { name: 'SecurityGroupIds' });
  }
  return parsed as string[];
}
