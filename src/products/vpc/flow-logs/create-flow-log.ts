/**
 * CreateFlowLog: asynchronous; the flow log shows Activating, then Active
 * (https://www.alibabacloud.com/help/en/vpc/developer-reference/api-vpc-2016-04-28-createflowlog).
 */
import { VPC } from '../../product-info.js';
import { defineOp } from '../../services.js';
import { FLOW_LOG_ERRORS } from './flow-log-errors.js';
import {
  descriptionSpec,
  IP_VERSIONS,
  nameSpec,
  optionalTagsSpec,
  RESOURCE_TYPES,
  TRAFFIC_PATHS,
  TRAFFIC_TYPES,
} from './flow-log-params.js';
import { vpcArn } from '../../resource-arns.js';

export const createFlowLog = defineOp({
  product: VPC,
  action: 'CreateFlowLog',
  authorization: { action: 'vpc:CreateFlowLog', resources: (_p, s) => vpcArn(s, 'flowlog') },
  invalidParameter: FLOW_LOG_ERRORS.ParameterInvalid,
  params: {
    RegionId: { type: 'string', required: true },
    ResourceType: { type: 'string', required: true, enum: RESOURCE_TYPES },
    ResourceId: { type: 'string', required: true, maxLength: 128 },
    TrafficType: { type: 'string', required: true, enum: TRAFFIC_TYPES },
    ProjectName: { type: 'string', required: true, pattern: /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/ },
    LogStoreName: { type: 'string', required: true, pattern: /^[a-z0-9][a-z0-9_-]{1,61}[a-z0-9]$/ },
    FlowLogName: nameSpec,
    Description: descriptionSpec,
    AggregationInterval: { type: 'integer', enum: [1, 5, 10], default: 10 },
    TrafficPath: {
      type: 'list',
      maxItems: TRAFFIC_PATHS.length,
      item: { type: 'string', enum: TRAFFIC_PATHS },
    },
    IpVersion: { type: 'string', enum: IP_VERSIONS },
    LogFormat: { type: 'string', maxLength: 1024 },
    ResourceGroupId: { type: 'string', maxLength: 64 },
    Tag: optionalTagsSpec,
  },
  async handle(ctx, p) {
    const created = await ctx.services.flowLogs.create(
      { accountId: ctx.caller.accountId, regionId: p.RegionId },
      {
        resourceType: p.ResourceType as (typeof RESOURCE_TYPES)[number],
        resourceId: p.ResourceId,
        trafficType: p.TrafficType,
        projectName: p.ProjectName,
        logstoreName: p.LogStoreName,
        name: p.FlowLogName,
        description: p.Description,
        aggregationInterval: p.AggregationInterval,
        trafficPath: p.TrafficPath,
        ipVersion: p.IpVersion,
        logFormat: p.LogFormat,
        resourceGroupId: p.ResourceGroupId,
        tags: p.Tag,
      },
    );
    return { FlowLogId: created.flowLogId, ResourceGroupId: created.resourceGroupId, Success: 'true' };
  },
});
