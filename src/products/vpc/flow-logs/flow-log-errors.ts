/**
 * Errors of the flow-log, tag and resource-group operations. Codes and messages of the
 * DescribeFlowLogs reference and the other flow-log operations' error tables (e.g.
 * https://www.alibabacloud.com/help/en/vpc/developer-reference/api-vpc-2016-04-28-activeflowlog)
 * where they are documented; the rest are marked
 * (inferred) and listed in the README's behaviour notes.
 */
import type { CatalogEntry } from '../../../protocol/errors.js';

export const FLOW_LOG_ERRORS = {
  ParameterInvalid: { code: 'ParameterInvalid', status: 400, message: 'Invalid parameter.' },
  InvalidInstanceId: { code: 'InvalidInstanceId', status: 400, message: 'Instance does not exist.' },
  SourceProjectNotExist: {
    code: 'SourceProjectNotExist',
    status: 400,
    message: 'The Source Project or logstore does not exist.',
  },
  ProjectOrLogstoreNotExist: {
    code: 'ProjectOrLogstoreNotExist',
    status: 400,
    message: 'The specified project or logstore does not exist.',
  },
  Unauthorized: { code: 'Unauthorized', status: 400, message: 'This api does not support sub user or role.' },
  InvalidStatus: {
    code: 'InvalidStatus',
    status: 400,
    message: 'Current instance status is not valid for this action.',
  },
  // (inferred) The real code for a duplicate is not documented.
  FlowLogAlreadyExists: {
    code: 'ResourceAlreadyExist.FlowLog',
    status: 400,
    message: 'A flow log with the same resource, traffic type and logstore already exists.',
  },
  // (inferred)
  ResourceGroupNotFound: {
    code: 'InvalidResourceGroupId.NotFound',
    status: 400,
    message: 'The specified resource group does not exist.',
  },
  // (inferred) Tag APIs: the resource named by ResourceId.N does not exist.
  TagResourceNotFound: {
    code: 'InvalidResourceId.NotFound',
    status: 400,
    message: 'The specified resource {resourceId} is not found.',
  },
  // (inferred) Tag APIs: more than 20 tags on one resource.
  TagQuotaExceeded: {
    code: 'QuotaExceeded.TagNum',
    status: 400,
    message: 'The number of tags on resource {resourceId} exceeds the limit of 20.',
  },
  // (inferred) ListTagResources needs ResourceId.N or Tag.N.
  MissingResourceIdOrTag: {
    code: 'MissingParameter',
    status: 400,
    message: 'Either ResourceId.N or Tag.N must be specified.',
  },
} as const satisfies Record<string, CatalogEntry>;
