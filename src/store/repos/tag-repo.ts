/** Tags on any resource (flow logs, VPCs, vSwitches), one row per (resource, key). */
import { placeholders, type SqlExecutor } from '../sql-db.js';

export interface TagRow {
  resource_id: string;
  tag_key: string;
  tag_value: string;
  resource_type: string;
}

export class TagRepo {
  constructor(private readonly db: SqlExecutor) {}

  /** Tags of the given resources, by resource ID, keys in name order. */
  async forResources(resourceIds: readonly string[]): Promise<Map<string, { Key: string; Value: string }[]>> {
    const out = new Map<string, { Key: string; Value: string }[]>();
    if (resourceIds.length === 0) return out;
    const rows = await this.db.all<TagRow>(
      `SELECT resource_id, tag_key, tag_value, resource_type FROM tags WHERE resource_id IN (${placeholders(resourceIds.length)}) ORDER BY resource_id, tag_key`,
      resourceIds,
    );
    for (const row of rows) {
      let list = out.get(row.resource_id);
      if (!list) out.set(row.resource_id, (list = []));
      list.push({ Key: row.tag_key, Value: row.tag_value });
    }
    return out;
  }

  async put(
    scope: { accountId: string; regionId: string },
    resourceType: string,
    resourceId: string,
    key: string,
    value: string,
  ): Promise<void> {
    // A flow log's tags carry its creation time, the page order of tag filters (flow-log-repo.ts).
    const createdAt =
      resourceType === 'FLOWLOG' ? '(SELECT created_at FROM flow_logs WHERE flow_log_id = ?)' : 'NULL';
    await this.db.run(
      `INSERT INTO tags (resource_id, tag_key, tag_value, account_id, region_id, resource_type, resource_created_at)
       VALUES (?, ?, ?, ?, ?, ?, ${createdAt})
       ON CONFLICT (resource_id, tag_key) DO UPDATE SET tag_value = excluded.tag_value`,
      [
        resourceId,
        key,
        value,
        scope.accountId,
        scope.regionId,
        resourceType,
        ...(resourceType === 'FLOWLOG' ? [resourceId] : []),
      ],
    );
  }

  async count(resourceId: string): Promise<number> {
    const row = await this.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM tags WHERE resource_id = ?', [
      resourceId,
    ]);
    return Number(row?.n ?? 0);
  }

  async keys(resourceId: string): Promise<string[]> {
    const rows = await this.db.all<{ tag_key: string }>('SELECT tag_key FROM tags WHERE resource_id = ?', [
      resourceId,
    ]);
    return rows.map((r) => r.tag_key);
  }

  async remove(resourceId: string, keys: readonly string[] | 'all'): Promise<void> {
    if (keys === 'all') {
      await this.db.run('DELETE FROM tags WHERE resource_id = ?', [resourceId]);
      return;
    }
    if (keys.length === 0) return;
    await this.db.run(
      `DELETE FROM tags WHERE resource_id = ? AND tag_key IN (${placeholders(keys.length)})`,
      [resourceId, ...keys],
    );
  }

  /** Removes every tag of a deleted resource. */
  async removeAll(resourceId: string): Promise<void> {
    await this.remove(resourceId, 'all');
  }

  /** Tagged resources of one type in a scope, optionally restricted to IDs, matching every tag given. */
  async list(
    scope: { accountId: string; regionId: string },
    resourceType: string,
    resourceIds: readonly string[],
    tags: readonly { Key: string; Value?: string | undefined }[],
  ): Promise<TagRow[]> {
    const where = ['account_id = ?', 'region_id = ?', 'resource_type = ?'];
    const params: unknown[] = [scope.accountId, scope.regionId, resourceType];
    if (resourceIds.length > 0) {
      where.push(`resource_id IN (${placeholders(resourceIds.length)})`);
      params.push(...resourceIds);
    }
    for (const tag of tags) {
      where.push(
        `resource_id IN (SELECT resource_id FROM tags WHERE tag_key = ?${tag.Value !== undefined ? ' AND tag_value = ?' : ''})`,
      );
      params.push(tag.Key);
      if (tag.Value !== undefined) params.push(tag.Value);
    }
    return this.db.all<TagRow>(
      `SELECT resource_id, tag_key, tag_value, resource_type FROM tags WHERE ${where.join(' AND ')} ORDER BY resource_id, tag_key`,
      params,
    );
  }
}
