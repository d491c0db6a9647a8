/** DescribeVSwitches (Vpc 2016-04-28): the account's vSwitches in a region, filtered and paged, newest first. */
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
import { vswitchView } from './vswitch-service.js';
import { vpcArn } from '../../resource-arns.js';

export const describeVswitchesOp = defineOp({
  product: VPC,
  action: 'DescribeVSwitches',
  authorization: { action: 'vpc:DescribeVSwitches', resources: (p, s) => vpcArn(s, 'vswitch', p.VSwitchId) },
  params: {
    ...REGION_PARAM,
    VpcId: { type: 'string' },
    VSwitchId: { type: 'string' },
    ZoneId: { type: 'string' },
    VSwitchName: { type: 'string' },
    ResourceGroupId: { type: 'string' },
    IsDefault: { type: 'boolean' },
    ...TAG_FILTER_PARAM,
    ...pageParams(10, 50),
  },
  async handle(ctx, p) {
    const { network, tags } = ctx.services.store.repos;
    const page = pageOf(p.PageNumber, p.PageSize);
    // vpcflow has no default vSwitches: IsDefault=true matches none.
    const { rows, total } =
      p.IsDefault === true
        ? { rows: [], total: 0 }
        : await network.listVswitches(
            scopeOf(ctx, p.RegionId),
            {
              vpcId: p.VpcId,
              vswitchIds: idList('VSwitchId', p.VSwitchId, 20),
              zoneId: p.ZoneId,
              name: p.VSwitchName,
              resourceGroupId: p.ResourceGroupId,
              tags: tagFilters(p.Tag),
            },
            page,
          );
    const ids = rows.map((r) => r.vswitch_id);
    const [eniCounts, tagMap] = await Promise.all([
      network.networkInterfaceCountsByVswitch(ids),
      tags.forResources(ids),
    ]);
    return {
      TotalCount: total,
      PageNumber: p.PageNumber,
      PageSize: p.PageSize,
      VSwitches: {
        VSwitch: rows.map((r) =>
          vswitchView(r, eniCounts.get(r.vswitch_id) ?? 0, tagMap.get(r.vswitch_id) ?? []),
        ),
      },
    };
  },
});
