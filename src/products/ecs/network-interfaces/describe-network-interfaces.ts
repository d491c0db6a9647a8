/**
 * DescribeNetworkInterfaces (Ecs 2014-05-26), newest first. The SDK offers both PageNumber/PageSize
 * (deprecated, still sent by older callers) and MaxResults/NextToken; MaxResults or NextToken selects the
 * token mode. MaxResults below 10 counts as 10 and above 500 as 500, as the docs say.
 */
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
import { describedNetworkInterface } from './network-interface-service.js';
import { ecsArn } from '../../resource-arns.js';

export const describeNetworkInterfacesOp = defineOp({
  product: ECS,
  action: 'DescribeNetworkInterfaces',
  authorization: {
    action: 'ecs:DescribeNetworkInterfaces',
    resources: (p, s) =>
      p.NetworkInterfaceId.length === 1 ? ecsArn(s, 'eni', p.NetworkInterfaceId[0]) : ecsArn(s, 'eni'),
  },
  params: {
    ...REGION_PARAM,
    NetworkInterfaceId: { type: 'list', item: { type: 'string' }, maxItems: 100 },
    VSwitchId: { type: 'string' },
    VpcId: { type: 'string' },
    PrimaryIpAddress: { type: 'string' },
    NetworkInterfaceName: { type: 'string' },
    SecurityGroupId: { type: 'string' },
    ResourceGroupId: { type: 'string' },
    Status: { type: 'string' },
    Type: { type: 'string' },
    InstanceId: { type: 'string' },
    ...TAG_FILTER_PARAM,
    ...pageParams(10, 1000),
    MaxResults: { type: 'integer', min: 0, max: 1_000_000 },
    NextToken: { type: 'string' },
  },
  async handle(ctx, p) {
    const { network, tags } = ctx.services.store.repos;
    const tokenMode = p.MaxResults !== undefined || p.NextToken !== undefined;
    const page = tokenMode
      ? { offset: offsetFromToken(p.NextToken), limit: Math.min(500, Math.max(10, p.MaxResults ?? 10)) }
      : pageOf(p.PageNumber, p.PageSize);
    const { rows, total } = await network.listNetworkInterfaces(
      scopeOf(ctx, p.RegionId),
      {
        ids: p.NetworkInterfaceId.length > 0 ? p.NetworkInterfaceId : undefined,
        vpcId: p.VpcId,
        vswitchId: p.VSwitchId,
        primaryIp: p.PrimaryIpAddress,
        name: p.NetworkInterfaceName,
        securityGroupId: p.SecurityGroupId,
        resourceGroupId: p.ResourceGroupId,
        status: p.Status,
        type: p.Type,
        instanceId: p.InstanceId,
        tags: tagFilters(p.Tag),
      },
      page,
    );
    const tagMap = await tags.forResources(rows.map((r) => r.network_interface_id));
    const NetworkInterfaceSets = {
      NetworkInterfaceSet: rows.map((r) =>
        describedNetworkInterface(r, tagMap.get(r.network_interface_id) ?? []),
      ),
    };
    if (tokenMode) {
      return {
        TotalCount: total,
        NextToken: nextToken(page.offset, rows.length, total),
        NetworkInterfaceSets,
      };
    }
    return { TotalCount: total, PageNumber: p.PageNumber, PageSize: p.PageSize, NetworkInterfaceSets };
  },
});
