/**
 * Flow logs. Asynchronous state changes are stored as (status, pending_status, settles_at): the
 * visible status until `settles_at`, then `pending_status`. `settle` applies due changes; every
 * flow-log operation calls it first, so a change survives restarts and works across several nodes
 * without timers.
 */
import { placeholders, type SqlDialect, type SqlExecutor } from '../sql-db.js';

/** pending_status of a flow log being deleted. */
export const DELETED = 'Deleted';

export interface FlowLogRow {
  flow_log_id: string;
  account_id: string;
  region_id: string;
  name: string;
  description: string;
  resource_type: string;
  resource_id: string;
  vpc_id: string;
  traffic_type: string;
  project_name: string;
  logstore_name: string;
  status: string;
  pending_status: string | null;
  settles_at: number | null;
  aggregation_interval: number;
  traffic_path: string;
  ip_version: string;
  log_format: string;
  resource_group_id: string;
  business_status: string;
  service_type: string;
  created_at: number;
}

/** A flow log with whether its delivery target still exists and how its last delivery went. */
export interface FlowLogView extends FlowLogRow {
  project_exists: number;
  logstore_exists: number;
  /** The data plane's last delivery (flow_log_delivery): 'SUCCESS', 'FAILED', or null before any. */
  delivery_status?: string | null;
  delivery_error?: string | null;
}

export interface FlowLogFilter {
  accountId: string;
  regionId: string;
  flowLogId?: string | undefined;
  name?: string | undefined;
  description?: string | undefined;
  resourceType?: string | undefined;
  resourceId?: string | undefined;
  trafficType?: string | undefined;
  projectName?: string | undefined;
  logstoreName?: string | undefined;
  status?: string | undefined;
  vpcId?: string | undefined;
  resourceGroupId?: string | undefined;
  tags?: readonly { Key: string; Value?: string | undefined }[] | undefined;
}

const COLUMNS = [
  'flow_log_id',
  'account_id',
  'region_id',
  'name',
  'description',
  'resource_type',
  'resource_id',
  'vpc_id',
  'traffic_type',
  'project_name',
  'logstore_name',
  'status',
  'pending_status',
  'settles_at',
  'aggregation_interval',
  'traffic_path',
  'ip_version',
  'log_format',
  'resource_group_id',
  'business_status',
  'service_type',
  'created_at',
] as const;

export class FlowLogRepo {
  constructor(private readonly db: SqlExecutor) {}

  /** Applies every state change due at `now`; returns how many flow logs changed. */
  async settle(now: number): Promise<number> {
    if (!(await this.hasDue(now))) return 0;
    await this.db.run(
      `DELETE FROM tags WHERE resource_id IN (SELECT flow_log_id FROM flow_logs WHERE pending_status = ? AND settles_at <= ?)`,
      [DELETED, now],
    );
    const deleted = await this.db.run('DELETE FROM flow_logs WHERE pending_status = ? AND settles_at <= ?', [
      DELETED,
      now,
    ]);
    const updated = await this.db.run(
      'UPDATE flow_logs SET status = pending_status, pending_status = NULL, settles_at = NULL WHERE settles_at <= ?',
      [now],
    );
    return deleted.changes + updated.changes;
  }

  /** Whether any state change is due: a cheap indexed check, so readers settle only when needed. */
  async hasDue(now: number): Promise<boolean> {
    return (
      (await this.db.get('SELECT 1 AS x FROM flow_logs WHERE settles_at <= ? LIMIT 1', [now])) !== undefined
    );
  }

  /** Every Active flow log, in every account and region: what the data plane delivers for. */
  async listActive(): Promise<
    Pick<
      FlowLogRow,
      | 'flow_log_id'
      | 'account_id'
      | 'region_id'
      | 'resource_type'
      | 'resource_id'
      | 'project_name'
      | 'logstore_name'
      | 'traffic_type'
      | 'aggregation_interval'
      | 'created_at'
    >[]
  > {
    return this.db.all(
      `SELECT flow_log_id, account_id, region_id, resource_type, resource_id, project_name, logstore_name,
         traffic_type, aggregation_interval, created_at FROM flow_logs WHERE status = 'Active'`,
    );
  }

  async insert(row: FlowLogRow): Promise<void> {
    await this.db.run(
      `INSERT INTO flow_logs (${COLUMNS.join(', ')}) VALUES (${placeholders(COLUMNS.length)})`,
      COLUMNS.map((c) => row[c]),
    );
  }

  async get(accountId: string, regionId: string, flowLogId: string): Promise<FlowLogRow | undefined> {
    return this.db.get<FlowLogRow>(
      'SELECT * FROM flow_logs WHERE flow_log_id = ? AND account_id = ? AND region_id = ?',
      [flowLogId, accountId, regionId],
    );
  }

  /** Another flow log on the same resource, traffic type and logstore (the duplicate rule). */
  async findDuplicate(
    row: Pick<
      FlowLogRow,
      'account_id' | 'region_id' | 'resource_id' | 'traffic_type' | 'project_name' | 'logstore_name'
    >,
  ): Promise<string | undefined> {
    const found = await this.db.get<{ flow_log_id: string }>(
      `SELECT flow_log_id FROM flow_logs WHERE account_id = ? AND region_id = ? AND resource_id = ? AND traffic_type = ?
         AND project_name = ? AND logstore_name = ? LIMIT 1`,
      [row.account_id, row.region_id, row.resource_id, row.traffic_type, row.project_name, row.logstore_name],
    );
    return found?.flow_log_id;
  }

  /**
   * Moves a flow log from `fromStatus` to `status` (and later `pending`), applying `changes` too.
   * Returns false when the flow log is no longer in `fromStatus`: a concurrent request won.
   */
  async transition(
    flowLogId: string,
    fromStatus: string,
    next: { status: string; pending: string | null; settlesAt: number | null },
    changes: Partial<
      Pick<FlowLogRow, 'name' | 'description' | 'aggregation_interval' | 'ip_version' | 'log_format'>
    > = {},
  ): Promise<boolean> {
    const sets = ['status = ?', 'pending_status = ?', 'settles_at = ?'];
    const params: unknown[] = [next.status, next.pending, next.settlesAt];
    for (const [column, value] of Object.entries(changes)) {
      if (value === undefined) continue;
      sets.push(`${column} = ?`);
      params.push(value);
    }
    const res = await this.db.run(
      `UPDATE flow_logs SET ${sets.join(', ')} WHERE flow_log_id = ? AND status = ? AND pending_status IS NULL`,
      [...params, flowLogId, fromStatus],
    );
    return res.changes === 1;
  }

  async delete(flowLogId: string): Promise<void> {
    await this.db.run('DELETE FROM tags WHERE resource_id = ?', [flowLogId]);
    await this.db.run('DELETE FROM flow_logs WHERE flow_log_id = ?', [flowLogId]);
  }

  /** One page of matching flow logs, newest first (ties broken by ID, so pages never overlap), and the total. */
  async page(
    filter: FlowLogFilter,
    limit: number,
    offset: number,
  ): Promise<{ total: number; rows: FlowLogView[] }> {
    const { where, params } = whereClause(filter, this.db.dialect);
    const countRow = await this.db.get<{ n: number }>(
      `SELECT COUNT(*) AS n FROM flow_logs f WHERE ${where}`,
      params,
    );
    const total = Number(countRow?.n ?? 0);
    if (total === 0 || offset >= total) return { total, rows: [] };
    const rows = await this.db.all<FlowLogView>(
      `SELECT f.*,
         CASE WHEN p.project_name IS NULL THEN 0 ELSE 1 END AS project_exists,
         CASE WHEN l.logstore_name IS NULL THEN 0 ELSE 1 END AS logstore_exists,
         d.status AS delivery_status, d.error_message AS delivery_error
       FROM (SELECT * FROM flow_logs f WHERE ${where} ORDER BY f.created_at DESC, f.flow_log_id DESC LIMIT ? OFFSET ?) f
       LEFT JOIN log_projects p ON p.region_id = f.region_id AND p.project_name = f.project_name AND p.account_id = f.account_id
       LEFT JOIN logstores l ON l.region_id = f.region_id AND l.project_name = f.project_name AND l.logstore_name = f.logstore_name
       LEFT JOIN flow_log_delivery d ON d.flow_log_id = f.flow_log_id
       ORDER BY f.created_at DESC, f.flow_log_id DESC`,
      [...params, limit, offset],
    );
    return { total, rows };
  }
}

function whereClause(f: FlowLogFilter, dialect: SqlDialect): { where: string; params: unknown[] } {
  const where = ['f.account_id = ?', 'f.region_id = ?'];
  const params: unknown[] = [f.accountId, f.regionId];
  const eq = (column: string, value: string | undefined): void => {
    if (value === undefined) return;
    where.push(`f.${column} = ?`);
    params.push(value);
  };
  eq('flow_log_id', f.flowLogId);
  eq('name', f.name);
  eq('description', f.description);
  eq('resource_type', f.resourceType);
  eq('resource_id', f.resourceId);
  eq('traffic_type', f.trafficType);
  eq('project_name', f.projectName);
  eq('logstore_name', f.logstoreName);
  eq('status', f.status);
  eq('vpc_id', f.vpcId);
  eq('resource_group_id', f.resourceGroupId);
  for (const tag of f.tags ?? []) {
    // Driven from the tags index: the few flow logs with this tag, not every flow log probing tags.
    where.push(
      `f.flow_log_id IN (SELECT resource_id FROM tags WHERE account_id = ? AND region_id = ? AND resource_type = 'FLOWLOG' AND tag_key = ?${tag.Value !== undefined ? ' AND tag_value = ?' : ''})`,
    );
    params.push(f.accountId, f.regionId, tag.Key);
    if (tag.Value !== undefined) params.push(tag.Value);
  }
  if (f.tags?.length) {
    // Keep the planner from scanning the whole account/region when a tag narrows it far more.
    where[0] = `${dialect.noIndex('f.account_id')} = ?`;
    where[1] = `${dialect.noIndex('f.region_id')} = ?`;
  }
  return { where: where.join(' AND '), params };
}
