/**
 * Flow logs. Asynchronous state changes are stored as (status, pending_status, settles_at): the
 * visible status until `settles_at`, then `pending_status`. `settle` applies due changes; every
 * flow-log operation calls it first, so a change survives restarts and works across several nodes
 * without timers.
 */
import { placeholders, type SqlExecutor } from '../sql-db.js';

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

/** The stored columns of a flow log, in insert order (bench/describe-populate.ts bulk-loads them too). */
export const FLOW_LOG_COLUMNS = [
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
      `INSERT INTO flow_logs (${FLOW_LOG_COLUMNS.join(', ')}) VALUES (${placeholders(FLOW_LOG_COLUMNS.length)})`,
      FLOW_LOG_COLUMNS.map((c) => row[c]),
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

  /**
   * One page of matching flow logs, newest first (ties broken by ID, so pages never overlap), and the
   * exact total, the real API's TotalCount. Both read one index range in page order (pageQuery): the
   * total counts its entries, the page skips those before it (from whichever end is nearer), and only
   * the page's own flow logs are read from the table. So a page costs the matches, never a sort of them
   * nor a table row per match.
   */
  async page(
    filter: FlowLogFilter,
    limit: number,
    offset: number,
    /** The total, when the caller knows it for the data as it is (it is not counted again). */
    knownTotal?: number,
  ): Promise<{ total: number; rows: FlowLogView[] }> {
    const q = pageQuery(filter);
    const total = knownTotal ?? (await this.count(q));
    if (total === 0 || offset >= total) return { total, rows: [] };
    // A page in the older half is read from the oldest end: it never skips more than half the matches.
    const end = Math.min(offset + limit, total);
    const fromOldest = total - end < offset;
    const [direction, skip] = fromOldest ? ['ASC', total - end] : ['DESC', offset];
    const order = q.order.map((column) => `${column} ${direction}`).join(', ');
    const rows = await this.db.all<FlowLogView>(
      `SELECT f.*,
         CASE WHEN p.project_name IS NULL THEN 0 ELSE 1 END AS project_exists,
         CASE WHEN l.logstore_name IS NULL THEN 0 ELSE 1 END AS logstore_exists,
         d.status AS delivery_status, d.error_message AS delivery_error
       FROM (SELECT ${q.id} AS page_id FROM ${q.from} WHERE ${q.where} ORDER BY ${order} LIMIT ? OFFSET ?) page
       JOIN flow_logs f ON f.flow_log_id = page.page_id
       LEFT JOIN log_projects p ON p.region_id = f.region_id AND p.project_name = f.project_name AND p.account_id = f.account_id
       LEFT JOIN logstores l ON l.region_id = f.region_id AND l.project_name = f.project_name AND l.logstore_name = f.logstore_name
       LEFT JOIN flow_log_delivery d ON d.flow_log_id = f.flow_log_id
       ORDER BY f.created_at DESC, f.flow_log_id DESC`,
      [...q.params, end - offset, skip],
    );
    return { total, rows };
  }

  async count(q: { from: string; where: string; params: unknown[] }): Promise<number> {
    const row = await this.db.get<{ n: number }>(
      `SELECT COUNT(*) AS n FROM ${q.from} WHERE ${q.where}`,
      q.params,
    );
    return Number(row?.n ?? 0);
  }
}

/** The equality filters on flow_logs columns, in the order they are written into the WHERE clause. */
const FILTER_COLUMNS = [
  ['flowLogId', 'flow_log_id'],
  ['name', 'name'],
  ['description', 'description'],
  ['resourceType', 'resource_type'],
  ['resourceId', 'resource_id'],
  ['trafficType', 'traffic_type'],
  ['projectName', 'project_name'],
  ['logstoreName', 'logstore_name'],
  ['status', 'status'],
  ['vpcId', 'vpc_id'],
  ['resourceGroupId', 'resource_group_id'],
] as const satisfies readonly (readonly [keyof FlowLogFilter, keyof FlowLogRow])[];

/**
 * The rows a filter matches (`from` + `where`), their flow-log ID and the page order, newest first.
 *
 * Without tags: flow_logs itself, where each filter of the benchmark mix has an index that starts with
 * its equality columns and goes on in page order (migrations 4 and 24).
 *
 * With tags: driven by one tag (one with a value when there is one) through tags_flow_log_order, which
 * holds the flow log's created_at, so the matches come out in page order without reading flow_logs;
 * the other tags are matched as sets from their own ranges, and flow_logs is joined only when a column
 * filter needs it. A flow log's tags live in its own account and region and go before it does (delete and settle
 * remove them first), so counting tags counts flow logs.
 */
function pageQuery(f: FlowLogFilter): {
  from: string;
  where: string;
  params: unknown[];
  id: string;
  /** The page order's columns, newest first when descending. */
  order: readonly string[];
} {
  const columns: string[] = [];
  const columnParams: unknown[] = [];
  for (const [key, column] of FILTER_COLUMNS) {
    const value = f[key];
    if (value === undefined) continue;
    columns.push(`f.${column} = ?`);
    columnParams.push(value);
  }
  const tags = [...(f.tags ?? [])].sort(
    (a, b) => Number(a.Value === undefined) - Number(b.Value === undefined),
  );
  const [lead, ...others] = tags;
  if (lead === undefined) {
    return {
      from: 'flow_logs f',
      where: ['f.account_id = ?', 'f.region_id = ?', ...columns].join(' AND '),
      params: [f.accountId, f.regionId, ...columnParams],
      id: 'f.flow_log_id',
      order: ['f.created_at', 'f.flow_log_id'],
    };
  }
  const where = ['t.account_id = ?', 't.region_id = ?', "t.resource_type = 'FLOWLOG'", 't.tag_key = ?'];
  const params: unknown[] = [f.accountId, f.regionId, lead.Key];
  if (lead.Value !== undefined) {
    where.push('t.tag_value = ?');
    params.push(lead.Value);
  }
  for (const tag of others) {
    // A set built once from the tag's own index range, not a lookup per driving row.
    where.push(
      `t.resource_id IN (SELECT resource_id FROM tags WHERE account_id = ? AND region_id = ? AND resource_type = 'FLOWLOG' AND tag_key = ?${tag.Value !== undefined ? ' AND tag_value = ?' : ''})`,
    );
    params.push(f.accountId, f.regionId, tag.Key);
    if (tag.Value !== undefined) params.push(tag.Value);
  }
  return {
    from: columns.length > 0 ? 'tags t JOIN flow_logs f ON f.flow_log_id = t.resource_id' : 'tags t',
    where: [...where, ...columns].join(' AND '),
    params: [...params, ...columnParams],
    id: 't.resource_id',
    order: ['t.resource_created_at', 't.resource_id'],
  };
}
