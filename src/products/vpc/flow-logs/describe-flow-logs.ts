/**
 * DescribeFlowLogs, the reference operation
 * (https://www.alibabacloud.com/help/en/vpc/developer-reference/api-vpc-2016-04-28-describeflowlogs):
 * every filter
 * (AND-ed), PageNumber/PageSize paging over a stable newest-first order, strings for the counters.
 */
import { VPC } from '../../product-info.js';
import { defineOp } from '../../services.js';
import { FLOW_LOG_ERRORS } from './flow-log-errors.js';
import {
  descriptionSpec,
  nameSpec,
  optionalTagsSpec,
  RESOURCE_TYPES,
  STATUSES,
  TRAFFIC_TYPES,
} from './flow-log-params.js';
import { vpcArn } from '../../resource-arns.js';

export const describeFlowLogs = defineOp({
  product: VPC,
  action: 'DescribeFlowLogs',
  authorization: { action: 'vpc:DescribeFlowLogs', resources: (p, s) => vpcArn(s, 'flowlog', p.FlowLogId) },
  invalidParameter: FLOW_LOG_ERRORS.ParameterInvalid,
  params: {
    RegionId: { type: 'string', required: true },
    FlowLogId: { type: 'string', maxLength: 128 },
    FlowLogName: nameSpec,
    Description: descriptionSpec,
    ResourceType: { type: 'string', enum: RESOURCE_TYPES },
    ResourceId: { type: 'string', maxLength: 128 },
    TrafficType: { type: 'string', enum: TRAFFIC_TYPES },
    ProjectName: { type: 'string', maxLength: 63 },
    LogStoreName: { type: 'string', maxLength: 63 },
    Status: { type: 'string', enum: STATUSES },
    VpcId: { type: 'string', maxLength: 128 },
    ResourceGroupId: { type: 'string', maxLength: 64 },
    Tags: optionalTagsSpec,
    PageNumber: { type: 'integer', min: 1, max: 1_000_000, default: 1 },
    PageSize: { type: 'integer', min: 1, max: 50, default: 20 },
  },
  async handle(ctx, p) {
    const filter = {
      accountId: ctx.caller.accountId,
      regionId: p.RegionId,
      flowLogId: p.FlowLogId,
      name: p.FlowLogName,
      description: p.Description,
      resourceType: p.ResourceType,
      resourceId: p.ResourceId,
      trafficType: p.TrafficType,
      projectName: p.ProjectName,
      logstoreName: p.LogStoreName,
      status: p.Status,
      vpcId: p.VpcId,
      resourceGroupId: p.ResourceGroupId,
      tags: p.Tags.flatMap((t) => (t.Key === undefined ? [] : [{ Key: t.Key, Value: t.Value }])),
    };
    await ctx.services.flowLogs.checkDescribeFilter(filter);
    const { total, flowLogs } = await ctx.services.flowLogs.describe(filter, p.PageNumber, p.PageSize);
    return {
      Success: 'true',
      TotalCount: String(total),
      PageNumber: String(p.PageNumber),
      PageSize: String(p.PageSize),
      FlowLogs: flowLogs,
    };
  },
});
