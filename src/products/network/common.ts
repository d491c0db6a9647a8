/** Parameter specs and helpers shared by the network-resource operations. */
import { ApiError, ERROR_CATALOG } from '../../protocol/errors.js';
import type { Scope } from '../../store/repos/network-repo.js';
import type { Repos } from '../../store/store.js';
import { defaultResourceGroupId } from '../identity/identity-service.js';
import { NETWORK_ERRORS } from '../network-errors.js';
import type { Ctx } from '../services.js';

/** Every operation here is regional; the gateway has already checked that the region exists. */
export const REGION_PARAM = { RegionId: { type: 'string', required: true } } as const;

/** `Tag.N.Key` / `Tag.N.Value` filters of the Describe operations. */
export const TAG_FILTER_PARAM = {
  Tag: {
    type: 'objectList',
    maxItems: 20,
    fields: { Key: { type: 'string', maxLength: 128 }, Value: { type: 'string', maxLength: 128 } },
  },
} as const;

export function scopeOf(ctx: Ctx, regionId: string): Scope {
  return { accountId: ctx.caller.accountId, regionId };
}

/** Tag filters with a key (an item without one filters nothing). */
export function tagFilters(
  tags: readonly { Key?: string; Value?: string }[],
): { Key: string; Value?: string }[] {
  return tags.flatMap((t) =>
    t.Key === undefined ? [] : [{ Key: t.Key, ...(t.Value !== undefined ? { Value: t.Value } : {}) }],
  );
}

/** A comma-separated ID list (`vpc-a,vpc-b`), at most `max` IDs. */
export function idList(name: string, value: string | undefined, max: number): string[] | undefined {
  if (value === undefined) return undefined;
  const ids = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (ids.length > max) throw new ApiError(ERROR_CATALOG.InvalidParameter, { name });
  return ids;
}

/** The resource group a new resource goes to: the one named (it must exist) or the account's default. */
export async function resolveResourceGroup(
  repos: Repos,
  accountId: string,
  resourceGroupId: string | undefined,
): Promise<string> {
  if (resourceGroupId === undefined) return defaultResourceGroupId(accountId);
  const group = await repos.identity.getResourceGroup(accountId, resourceGroupId);
  if (!group) throw new ApiError(NETWORK_ERRORS.InvalidResourceGroupNotFound);
  return group.resource_group_id;
}

/** Account IDs are rendered as numbers where the SDK model says `OwnerId: number`. */
export function ownerIdNumber(accountId: string): number {
  return Number(accountId);
}

// ---- paging

/** PageNumber/PageSize with the operation's default and maximum page size. */
export function pageParams<const D extends number, const M extends number>(defaultSize: D, maxSize: M) {
  return {
    PageNumber: { type: 'integer', min: 1, max: 1_000_000, default: 1 },
    PageSize: { type: 'integer', min: 1, max: maxSize, default: defaultSize },
  } as const;
}

export function pageOf(pageNumber: number, pageSize: number): { offset: number; limit: number } {
  return { offset: (pageNumber - 1) * pageSize, limit: pageSize };
}

/**
 * NextToken paging (ECS): the token is opaque to clients; here it carries the offset of the next page.
 * Throws InvalidParameter for a token this server did not issue.
 */
export function offsetFromToken(token: string | undefined): number {
  if (token === undefined) return 0;
  const m = /^nt([0-9a-z]{1,8})$/.exec(token);
  if (!m) throw new ApiError(ERROR_CATALOG.InvalidParameter, { name: 'NextToken' });
  return parseInt(m[1] ?? '0', 36);
}

/** The token for the page after `offset + count` items, or '' when there is none. */
export function nextToken(offset: number, count: number, total: number): string {
  const next = offset + count;
  return next < total ? `nt${next.toString(36)}` : '';
}
