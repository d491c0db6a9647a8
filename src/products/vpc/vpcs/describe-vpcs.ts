/** DescribeVpcs (Vpc 2016-04-28): the account's VPCs in a region, filtered and paged, newest first. */
import {
  idList,
  pageOf,
  pageParams,
  REGION_PARAM,
  scopeOf,
  TAG_FILTER_PARAM,
  tagFilters,
} from '../../network/common.js';
import { VPC } from '../../product-info.js';
import { defineOp } from '../../services.js';
import { vpcView } from './vpc-service.js';
import { vpcArn } from '../../resource-arns.js';

export const describeVpcsOp = defineOp({
  product: VPC,
  action: 'DescribeVpcs',
  authorization: { action: 'vpc:DescribeVpcs', resources: (p, s) => vpcArn(s, 'vpc', p.VpcId) },
  params: {
    ...REGION_PARAM,
    /** Up to 20 IDs, comma-separated. */
    VpcId: { type: 'string' },
    VpcName: { type: 'string' },
    ResourceGroupId: { type: 'string' },
    IsDefault: { type: 'boolean' },
    ...TAG_FILTER_PARAM,
    ...pageParams(10, 50),
  },
  async handle(ctx, p) {
    const { network, tags } = ctx.services.store.repos;
    const { rows, total } = await network.listVpcs(
      scopeOf(ctx, p.RegionId),
      {
        vpcIds: idList('VpcId', p.VpcId, 20),
        name: p.VpcName,
        resourceGroupId: p.ResourceGroupId,
        isDefault: p.IsDefault,
        tags: tagFilters(p.Tag),
      },
      pageOf(p.PageNumber, p.PageSize),
    );
    const ids = rows.map((r) => r.vpc_id);
    const [vswitchIds, tagMap] = await Promise.all([network.vswitchIdsByVpc(ids), tags.forResources(ids)]);
    return {
      TotalCount: total,
      PageNumber: p.PageNumber,
      PageSize: p.PageSize,
      Vpcs: { Vpc: rows.map((r) => vpcView(r, vswitchIds.get(r.vpc_id) ?? [], tagMap.get(r.vpc_id) ?? [])) },
    };
  },
});
