/**
 * Parameter specs shared by the flow-log operations
 * (https://www.alibabacloud.com/help/en/vpc/developer-reference/api-vpc-2016-04-28-describeflowlogs,
 * https://www.alibabacloud.com/help/en/vpc/developer-reference/api-vpc-2016-04-28-createflowlog).
 */
import type { ObjectListSpec, StringSpec } from '../../../protocol/params.js';
import { FLOW_LOG_ERRORS } from './flow-log-errors.js';

export const RESOURCE_TYPES = ['NetworkInterface', 'VSwitch', 'VPC'] as const;
export const TRAFFIC_TYPES = ['All', 'Allow', 'Drop'] as const;
export const STATUSES = [
  'Active',
  'Activating',
  'Inactive',
  'Deactivating',
  'Modifying',
  'Deleting',
] as const;
export const TRAFFIC_PATHS = [
  'all',
  'internetGateway',
  'natGateway',
  'vpnGateway',
  'transitRouter',
  'gatewayEndpoint',
  'vbr',
  'ecr',
  'ipv4Gateway',
  'gatewayLoadBalancerEndpoint',
] as const;
export const IP_VERSIONS = ['IPv4', 'IPv6', 'DualStack'] as const;

const NOT_URL = ['http://', 'https://'];

export const nameSpec = {
  type: 'string',
  maxLength: 128,
  forbiddenPrefixes: NOT_URL,
} as const satisfies StringSpec;
export const descriptionSpec = {
  type: 'string',
  maxLength: 256,
  forbiddenPrefixes: NOT_URL,
} as const satisfies StringSpec;

/** Tag key: not empty, at most 128 characters, no `aliyun`/`acs:` prefix, no URL. */
export const TAG_KEY = /^(?!aliyun)(?!acs:)(?![\s\S]*https?:\/\/)[\s\S]{1,128}$/i;
/** Tag value: may be empty, at most 128 characters, no URL. */
export const TAG_VALUE = /^(?![\s\S]*https?:\/\/)[\s\S]{0,128}$/i;

const tagFields = {
  Key: { type: 'string', required: true, pattern: TAG_KEY },
  Value: { type: 'string', pattern: TAG_VALUE, keepEmpty: true },
} as const;

/** `Tag.N.Key`/`Tag.N.Value` (or `Tags.N.*` in DescribeFlowLogs): at most 20 pairs. */
export const optionalTagsSpec = {
  type: 'objectList',
  maxItems: 20,
  invalid: FLOW_LOG_ERRORS.ParameterInvalid,
  fields: tagFields,
} as const satisfies ObjectListSpec;

export const requiredTagsSpec = { ...optionalTagsSpec, required: true } as const satisfies ObjectListSpec;
