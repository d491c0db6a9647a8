/**
 * DescribeRegions (Vpc 2016-04-28): the region catalogue, in zh-CN (default) or en-US
 * (https://www.alibabacloud.com/help/en/vpc/developer-reference/api-vpc-2016-04-28-describeregions).
 */
import { VPC } from '../product-info.js';
import { defineOp } from '../services.js';
import { REGIONS } from './region-catalog.js';

export const describeRegions = defineOp({
  product: VPC,
  action: 'DescribeRegions',
  authorization: { action: 'vpc:DescribeRegions', resources: () => '*' },
  params: {
    AcceptLanguage: { type: 'string', enum: ['zh-CN', 'en-US', 'ja'], default: 'zh-CN' },
    ProductType: { type: 'string' },
  },
  async handle(_ctx, p) {
    return {
      Regions: {
        Region: REGIONS.map((r) => ({
          RegionId: r.id,
          LocalName: p.AcceptLanguage === 'zh-CN' ? r.nameZh : r.nameEn,
          RegionEndpoint: r.vpcEndpoint,
        })),
      },
    };
  },
});
