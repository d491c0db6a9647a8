/**
 * Tags on flow logs, VPCs and vSwitches
 * (https://www.alibabacloud.com/help/en/vpc/developer-reference/api-vpc-2016-04-28-tagresources):
 * at most 20 per resource, keys unique per
 * resource, per region. Resource types are matched case-insensitively and stored upper case.
 */
import { ApiError } from '../../../protocol/errors.js';
import type { Store } from '../../../store/store.js';
import type { ResourceKind, Scope } from '../../../store/repos/resource-repo.js';
import { FLOW_LOG_ERRORS } from '../flow-logs/flow-log-errors.js';

export const TAGGABLE = { FLOWLOG: 'FlowLog', VPC: 'VPC', VSWITCH: 'VSwitch' } as const satisfies Record<
  string,
  ResourceKind
>;
export type TagResourceType = keyof typeof TAGGABLE;
export const MAX_TAGS_PER_RESOURCE = 20;

export class TagService {
  constructor(private readonly store: Store) {}

  async tag(
    scope: Scope,
    type: TagResourceType,
    resourceIds: readonly string[],
    tags: readonly { Key: string; Value: string }[],
  ): Promise<void> {
    await this.store.transaction(async (repos) => {
      for (const id of resourceIds) {
        if (!(await repos.resources.exists(scope, TAGGABLE[type], id))) {
          throw new ApiError(FLOW_LOG_ERRORS.TagResourceNotFound, { resourceId: id });
        }
        const keys = new Set([...(await repos.tags.keys(id)), ...tags.map((t) => t.Key)]);
        if (keys.size > MAX_TAGS_PER_RESOURCE)
          throw new ApiError(FLOW_LOG_ERRORS.TagQuotaExceeded, { resourceId: id });
        for (const t of tags) await repos.tags.put(scope, type, id, t.Key, t.Value);
      }
    });
  }

  async untag(
    scope: Scope,
    type: TagResourceType,
    resourceIds: readonly string[],
    keys: readonly string[] | 'all',
  ): Promise<void> {
    await this.store.transaction(async (repos) => {
      for (const id of resourceIds) {
        if (!(await repos.resources.exists(scope, TAGGABLE[type], id))) {
          throw new ApiError(FLOW_LOG_ERRORS.TagResourceNotFound, { resourceId: id });
        }
        await repos.tags.remove(id, keys);
      }
    });
  }

  async list(
    scope: Scope,
    type: TagResourceType,
    resourceIds: readonly string[],
    tags: readonly { Key: string; Value?: string | undefined }[],
  ): Promise<{ ResourceId: string; ResourceType: string; TagKey: string; TagValue: string }[]> {
    const rows = await this.store.repos.tags.list(scope, type, resourceIds, tags);
    return rows.map((r) => ({
      ResourceId: r.resource_id,
      ResourceType: type,
      TagKey: r.tag_key,
      TagValue: r.tag_value,
    }));
  }
}
