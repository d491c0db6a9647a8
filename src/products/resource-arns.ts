/**
 * Resource ARNs of the VPC and ECS actions, as the products' RAM authorization pages write them:
 * `acs:vpc:{regionId}:{accountId}:flowlog/{FlowLogId}`
 * (https://www.alibabacloud.com/help/en/vpc/developer-reference/api-vpc-2016-04-28-ram), `vpc/{VpcId}`,
 * `vswitch/{VSwitchId}`; `acs:ecs:{regionId}:{accountId}:securitygroup/{id}` and `eni/{id}`. A list or
 * create operation names `{type}/*`, or the one resource its ID filter names.
 */
import type { ResourceScope } from '../protocol/operation.js';

export function vpcArn(s: ResourceScope, type: string, id: string | undefined = '*'): string {
  return `acs:vpc:${s.regionId}:${s.accountId}:${type}/${id}`;
}

export function ecsArn(s: ResourceScope, type: string, id: string | undefined = '*'): string {
  return `acs:ecs:${s.regionId}:${s.accountId}:${type}/${id}`;
}

/** TagResources' ResourceType values to ARN resource types. */
export function taggedArns(s: ResourceScope, resourceType: string, ids: readonly string[]): string[] {
  const type = resourceType.toLowerCase();
  return ids.length === 0 ? [vpcArn(s, type)] : ids.map((id) => vpcArn(s, type, id));
}
