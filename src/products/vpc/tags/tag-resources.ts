/**
 * TagResources, UnTagResources and ListTagResources for FLOWLOG, VPC and VSWITCH
 * (https://www.alibabacloud.com/help/en/vpc/developer-reference/api-vpc-2016-04-28-tagresources
 * and its siblings).
 */
import { ApiError } from '../../../protocol/errors.js';
import { VPC } from '../../product-info.js';
import { defineOp } from '../../services.js';
import { FLOW_LOG_ERRORS } from '../flow-logs/flow-log-errors.js';
import { optionalTagsSpec, requiredTagsSpec, TAG_KEY } from '../flow-logs/flow-log-params.js';
import { lastValuePerKey } from '../flow-logs/flow-log-service.js';
import type { TagResourceType } from './tag-service.js';
import { taggedArns } from '../../resource-arns.js';

const resourceTypeSpec = {
  type: 'string',
  required: true,
  enum: ['FLOWLOG', 'VPC', 'VSWITCH'],
  enumIgnoreCase: true,
} as const;

const resourceIdsSpec = { type: 'list', maxItems: 50, item: { type: 'string', maxLength: 128 } } as const;

export const tagResources = defineOp({
  product: VPC,
  action: 'TagResources',
  authorization: {
    action: 'vpc:TagResources',
    resources: (p, s) => taggedArns(s, p.ResourceType, p.ResourceId),
  },
  invalidParameter: FLOW_LOG_ERRORS.ParameterInvalid,
  params: {
    RegionId: { type: 'string', required: true },
    ResourceType: resourceTypeSpec,
    ResourceId: { ...resourceIdsSpec, required: true },
    Tag: requiredTagsSpec,
  },
  async handle(ctx, p) {
    await ctx.services.tags.tag(
      { accountId: ctx.caller.accountId, regionId: p.RegionId },
      p.ResourceType as TagResourceType,
      p.ResourceId,
      lastValuePerKey(p.Tag),
    );
    return {};
  },
});

export const unTagResources = defineOp({
  product: VPC,
  action: 'UnTagResources',
  authorization: {
    action: 'vpc:UnTagResources',
    resources: (p, s) => taggedArns(s, p.ResourceType, p.ResourceId),
  },
  invalidParameter: FLOW_LOG_ERRORS.ParameterInvalid,
  params: {
    RegionId: { type: 'string', required: true },
    ResourceType: resourceTypeSpec,
    ResourceId: { ...resourceIdsSpec, required: true },
    TagKey: { type: 'list', maxItems: 20, item: { type: 'string', pattern: TAG_KEY } },
    All: { type: 'boolean', default: false },
  },
  async handle(ctx, p) {
    if (!p.All && p.TagKey.length === 0)
      throw new ApiError({
        code: 'MissingTagKey.1',
        status: 400,
        message: 'TagKey.1 is mandatory for this action.',
      });
    await ctx.services.tags.untag(
      { accountId: ctx.caller.accountId, regionId: p.RegionId },
      p.ResourceType as TagResourceType,
      p.ResourceId,
      p.All ? 'all' : p.TagKey,
    );
    return {};
  },
});

export const listTagResources = defineOp({
  product: VPC,
  action: 'ListTagResources',
  authorization: {
    action: 'vpc:ListTagResources',
    resources: (p, s) => taggedArns(s, p.ResourceType, p.ResourceId),
  },
  invalidParameter: FLOW_LOG_ERRORS.ParameterInvalid,
  params: {
    RegionId: { type: 'string', required: true },
    ResourceType: resourceTypeSpec,
    ResourceId: resourceIdsSpec,
    Tag: optionalTagsSpec,
    MaxResults: { type: 'integer', min: 1, max: 50, default: 50 },
    NextToken: { type: 'string', pattern: /^\d{1,9}$/ },
  },
  async handle(ctx, p) {
    if (p.ResourceId.length === 0 && p.Tag.length === 0)
      throw new ApiError(FLOW_LOG_ERRORS.MissingResourceIdOrTag);
    const all = await ctx.services.tags.list(
      { accountId: ctx.caller.accountId, regionId: p.RegionId },
      p.ResourceType as TagResourceType,
      p.ResourceId,
      p.Tag.flatMap((t) => (t.Key === undefined ? [] : [{ Key: t.Key, Value: t.Value }])),
    );
    // NextToken is the offset of the next item; empty when this page is the last.
    const offset = Number(p.NextToken ?? '0');
    const page = all.slice(offset, offset + p.MaxResults);
    const next = offset + p.MaxResults < all.length ? String(offset + p.MaxResults) : '';
    return { NextToken: next, TagResources: { TagResource: page } };
  },
});
