/**
 * The rules of flow logs: what may be created, which state changes are allowed, and how a flow log
 * looks on the wire. Handlers stay thin and call this.
 *
 * State changes are asynchronous as on the real service (the operation descriptions of CreateFlowLog,
 * ActiveFlowLog, DeactiveFlowLog, ModifyFlowLogAttribute and DeleteFlowLog in the VPC API reference, e.g.
 * https://www.alibabacloud.com/help/en/vpc/developer-reference/api-vpc-2016-04-28-deactiveflowlog):
 * the flow log shows the
 * transient status (Activating, Deactivating, Modifying, Deleting) for `transitionMs`, then the target.
 * Every check-then-write runs in one transaction, and each write names the status it expects, so of
 * two concurrent requests one wins and the other gets InvalidStatus.
 */
import { randomInt } from 'node:crypto';
import { ApiError } from '../../../protocol/errors.js';
import { PreRendered } from '../../../protocol/render.js';
import type { Repos, Store } from '../../../store/store.js';
import {
  DELETED,
  type FlowLogFilter,
  type FlowLogRow,
  type FlowLogView,
} from '../../../store/repos/flow-log-repo.js';
import type { Scope } from '../../../store/repos/resource-repo.js';
import { defaultResourceGroupId } from '../../identity/identity-service.js';
import { isoSeconds } from '../../network/ids.js';
import { findRegion } from '../../regions/region-catalog.js';
import { FLOW_LOG_ERRORS } from './flow-log-errors.js';

export interface CreateFlowLogInput {
  resourceType: 'NetworkInterface' | 'VSwitch' | 'VPC';
  resourceId: string;
  trafficType: string;
  projectName: string;
  logstoreName: string;
  name?: string | undefined;
  description?: string | undefined;
  aggregationInterval: number;
  trafficPath: readonly string[];
  ipVersion?: string | undefined;
  logFormat?: string | undefined;
  resourceGroupId?: string | undefined;
  tags: readonly { Key?: string | undefined; Value?: string | undefined }[];
}

export interface ModifyFlowLogInput {
  name?: string | undefined;
  description?: string | undefined;
  aggregationInterval?: number | undefined;
  ipVersion?: string | undefined;
  logFormat?: string | undefined;
}

type Action = 'activate' | 'deactivate' | 'modify' | 'delete';

/** From which settled statuses each action may start, its transient status, and where it ends. */
const TRANSITIONS: Record<
  Action,
  { from: readonly string[]; during: string; to: (current: string) => string }
> = {
  activate: { from: ['Inactive'], during: 'Activating', to: () => 'Active' },
  deactivate: { from: ['Active'], during: 'Deactivating', to: () => 'Inactive' },
  modify: { from: ['Active', 'Inactive'], during: 'Modifying', to: (current) => current },
  delete: { from: ['Active', 'Inactive'], during: 'Deleting', to: () => DELETED },
};

/** The tables a DescribeFlowLogs answer is made from: a write to any of them invalidates cached answers. */
export const DESCRIBE_TABLES = ['flow_logs', 'tags', 'log_projects', 'logstores', 'flow_log_delivery'];
const DESCRIBE_CACHE_ENTRIES = 5000;
/** Rendered JSON kept at most, in UTF-16 code units (a 50-item page is about 35k). */
const DESCRIBE_CACHE_CHARS = 32 * 1024 * 1024;

interface CachedPage {
  version: string;
  total: number;
  /** `{"FlowLog":[...]}`, rendered once per cached answer. */
  flowLogs: PreRendered;
}

export class FlowLogService {
  /**
   * Recent DescribeFlowLogs answers by (filter, page). Each is valid while the store's data version of
   * DESCRIBE_TABLES is unchanged, so the cache is exact, also with several nodes on one database.
   */
  readonly #pages = new Map<string, CachedPage>();
  #cachedChars = 0;
  /** TotalCount by filter, valid at `version` as the pages are. */
  readonly #totals = new Map<string, { version: string; total: number }>();

  constructor(
    private readonly store: Store,
    private readonly transitionMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async create(
    scope: Scope,
    input: CreateFlowLogInput,
  ): Promise<{ flowLogId: string; resourceGroupId: string }> {
    return this.store.transaction(async (repos) => {
      const vpcId = await repos.resources.vpcOf(scope, input.resourceType, input.resourceId);
      if (vpcId === undefined) throw new ApiError(FLOW_LOG_ERRORS.InvalidInstanceId);
      const logstore = await repos.logs.getLogstore(scope.regionId, input.projectName, input.logstoreName);
      const project = await repos.logs.getProject(scope.regionId, input.projectName);
      if (!project || project.account_id !== scope.accountId || !logstore) {
        throw new ApiError(FLOW_LOG_ERRORS.ProjectOrLogstoreNotExist);
      }
      const resourceGroupId = input.resourceGroupId ?? defaultResourceGroupId(scope.accountId);
      if (!(await repos.identity.getResourceGroup(scope.accountId, resourceGroupId))) {
        throw new ApiError(FLOW_LOG_ERRORS.ResourceGroupNotFound);
      }
      const duplicate = await repos.flowLogs.findDuplicate({
        account_id: scope.accountId,
        region_id: scope.regionId,
        resource_id: input.resourceId,
        traffic_type: input.trafficType,
        project_name: input.projectName,
        logstore_name: input.logstoreName,
      });
      if (duplicate) throw new ApiError(FLOW_LOG_ERRORS.FlowLogAlreadyExists);

      const now = this.now();
      const flowLogId = newFlowLogId(scope.regionId);
      const state = this.#enter('Activating', 'Active', now);
      await repos.flowLogs.insert({
        flow_log_id: flowLogId,
        account_id: scope.accountId,
        region_id: scope.regionId,
        name: input.name ?? '',
        description: input.description ?? '',
        resource_type: input.resourceType,
        resource_id: input.resourceId,
        vpc_id: vpcId,
        traffic_type: input.trafficType,
        project_name: input.projectName,
        logstore_name: input.logstoreName,
        status: state.status,
        pending_status: state.pending,
        settles_at: state.settlesAt,
        aggregation_interval: input.aggregationInterval,
        traffic_path: JSON.stringify(input.trafficPath.length > 0 ? dedupe(input.trafficPath) : ['all']),
        ip_version: input.ipVersion ?? 'IPv4',
        log_format: input.logFormat ?? '',
        resource_group_id: resourceGroupId,
        business_status: 'Normal',
        service_type: '',
        created_at: now,
      });
      for (const tag of lastValuePerKey(input.tags)) {
        await repos.tags.put(scope, 'FLOWLOG', flowLogId, tag.Key, tag.Value);
      }
      return { flowLogId, resourceGroupId };
    });
  }

  async describe(
    filter: FlowLogFilter,
    pageNumber: number,
    pageSize: number,
  ): Promise<{ total: number; flowLogs: PreRendered }> {
    await this.store.settleDue();
    const filterKey = JSON.stringify(filter);
    const key = `${filterKey}|${pageNumber}|${pageSize}`;
    const version = await this.store.db.dataVersion(DESCRIBE_TABLES);
    const cached = this.#pages.get(key);
    if (cached?.version === version) return cached;
    // Another page of a filter already counted at this version: the same TotalCount, without counting
    // every match again (what paging through a large listing would otherwise cost on each page).
    const counted = this.#totals.get(filterKey);
    const { total, rows } = await this.store.repos.flowLogs.page(
      filter,
      pageSize,
      (pageNumber - 1) * pageSize,
      counted?.version === version ? counted.total : undefined,
    );
    this.#totals.delete(filterKey);
    this.#totals.set(filterKey, { version, total });
    if (this.#totals.size > DESCRIBE_CACHE_ENTRIES) this.#totals.delete(this.#totals.keys().next().value!);
    const tags = await this.store.repos.tags.forResources(rows.map((r) => r.flow_log_id));
    const items = rows.map((row) => toWire(row, tags.get(row.flow_log_id) ?? []));
    const page = { version, total, flowLogs: new PreRendered({ FlowLog: items }) };
    this.#forget(key);
    this.#pages.set(key, page);
    this.#cachedChars += page.flowLogs.json.length;
    // Oldest first out, until both bounds hold.
    while (this.#pages.size > DESCRIBE_CACHE_ENTRIES || this.#cachedChars > DESCRIBE_CACHE_CHARS) {
      this.#forget(this.#pages.keys().next().value!);
    }
    return page;
  }

  #forget(key: string): void {
    const old = this.#pages.get(key);
    if (!old) return;
    this.#cachedChars -= old.flowLogs.json.length;
    this.#pages.delete(key);
  }

  /**
   * The filters of DescribeFlowLogs that must name existing things (the error codes of
   * https://www.alibabacloud.com/help/en/vpc/developer-reference/api-vpc-2016-04-28-describeflowlogs).
   */
  async checkDescribeFilter(filter: FlowLogFilter): Promise<void> {
    const scope = { accountId: filter.accountId, regionId: filter.regionId };
    const repos = this.store.repos;
    if (filter.resourceId !== undefined) {
      const exists = filter.resourceType
        ? await repos.resources.exists(scope, filter.resourceType as 'VPC', filter.resourceId)
        : await repos.resources.anyNetworkResourceExists(scope, filter.resourceId);
      if (!exists) throw new ApiError(FLOW_LOG_ERRORS.InvalidInstanceId);
    }
    if (filter.vpcId !== undefined && !(await repos.resources.exists(scope, 'VPC', filter.vpcId))) {
      throw new ApiError(FLOW_LOG_ERRORS.InvalidInstanceId);
    }
    if (filter.projectName !== undefined) {
      const project = await repos.logs.getProject(scope.regionId, filter.projectName);
      if (!project || project.account_id !== scope.accountId)
        throw new ApiError(FLOW_LOG_ERRORS.SourceProjectNotExist);
      if (
        filter.logstoreName !== undefined &&
        !(await repos.logs.getLogstore(scope.regionId, filter.projectName, filter.logstoreName))
      ) {
        throw new ApiError(FLOW_LOG_ERRORS.ProjectOrLogstoreNotExist);
      }
    } else if (filter.logstoreName !== undefined) {
      const projects = await repos.logs.listProjects(scope.accountId, scope.regionId);
      let found = false;
      for (const p of projects) {
        if (await repos.logs.getLogstore(scope.regionId, p.project_name, filter.logstoreName)) found = true;
      }
      if (!found) throw new ApiError(FLOW_LOG_ERRORS.ProjectOrLogstoreNotExist);
    }
  }

  modify(scope: Scope, flowLogId: string, changes: ModifyFlowLogInput): Promise<void> {
    return this.#change(scope, flowLogId, 'modify', {
      name: changes.name,
      description: changes.description,
      aggregation_interval: changes.aggregationInterval,
      ip_version: changes.ipVersion,
      log_format: changes.logFormat,
    });
  }

  activate(scope: Scope, flowLogId: string): Promise<void> {
    return this.#change(scope, flowLogId, 'activate');
  }

  deactivate(scope: Scope, flowLogId: string): Promise<void> {
    return this.#change(scope, flowLogId, 'deactivate');
  }

  delete(scope: Scope, flowLogId: string): Promise<void> {
    return this.#change(scope, flowLogId, 'delete');
  }

  async #change(
    scope: Scope,
    flowLogId: string,
    action: Action,
    changes: Parameters<Repos['flowLogs']['transition']>[3] = {},
  ): Promise<void> {
    // Store.transaction has applied due changes, so `row.status` is current.
    await this.store.transaction(async (repos) => {
      const row = await repos.flowLogs.get(scope.accountId, scope.regionId, flowLogId);
      if (!row) throw new ApiError(FLOW_LOG_ERRORS.InvalidInstanceId);
      const rule = TRANSITIONS[action];
      if (row.pending_status !== null || !rule.from.includes(row.status)) {
        throw new ApiError(FLOW_LOG_ERRORS.InvalidStatus);
      }
      const target = rule.to(row.status);
      if (target === DELETED && this.transitionMs === 0) {
        await repos.flowLogs.delete(flowLogId);
        return;
      }
      const next = this.#enter(rule.during, target, this.now());
      if (!(await repos.flowLogs.transition(flowLogId, row.status, next, changes))) {
        throw new ApiError(FLOW_LOG_ERRORS.InvalidStatus);
      }
    });
  }

  /** The stored state for entering `during` on the way to `target`. */
  #enter(
    during: string,
    target: string,
    now: number,
  ): { status: string; pending: string | null; settlesAt: number | null } {
    if (this.transitionMs === 0) return { status: target, pending: null, settlesAt: null };
    return { status: during, pending: target, settlesAt: now + this.transitionMs };
  }
}

/**
 * `fl-` + the region's 3-character prefix + 18 lower-case alphanumerics: the shape of the example IDs in the
 * VPC API reference (`fl-bp1f6qqhsrc2c12ta****`, `fl-m5e8vhz2t21sel1nq****`); the length is inferred from
 * those masked examples.
 */
export function newFlowLogId(regionId: string): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  let suffix = '';
  for (let i = 0; i < 18; i++) suffix += alphabet[randomInt(alphabet.length)];
  return `fl-${findRegion(regionId)?.idPrefix ?? 'xx1'}${suffix}`;
}

/**
 * One FlowLog item as DescribeFlowLogs returns it (key order of the reference sample:
 * https://www.alibabacloud.com/help/en/vpc/developer-reference/api-vpc-2016-04-28-describeflowlogs).
 */
export function toWire(row: FlowLogView, tags: { Key: string; Value: string }[]): Record<string, unknown> {
  // A missing target is FAILED at once; a present one is SUCCESS unless the data plane's last delivery
  // failed (it stays FAILED until a delivery succeeds again).
  const delivery =
    row.project_exists === 0
      ? { status: 'FAILED', message: 'ProjectNotExist' }
      : row.logstore_exists === 0
        ? { status: 'FAILED', message: 'UnavaliableTarget' }
        : row.delivery_status === 'FAILED'
          ? { status: 'FAILED', message: row.delivery_error ?? 'UnknownError' }
          : { status: 'SUCCESS', message: '' };
  return {
    Status: row.status,
    CreationTime: isoSeconds(Number(row.created_at)),
    FlowLogName: row.name,
    TrafficType: row.traffic_type,
    ResourceType: row.resource_type,
    Description: row.description,
    ProjectName: row.project_name,
    LogStoreName: row.logstore_name,
    ResourceId: row.resource_id,
    RegionId: row.region_id,
    FlowLogId: row.flow_log_id,
    BusinessStatus: row.business_status,
    AggregationInterval: Number(row.aggregation_interval),
    TrafficPath: { TrafficPathList: JSON.parse(row.traffic_path) as string[] },
    ServiceType: row.service_type,
    ResourceGroupId: row.resource_group_id,
    Tags: { Tag: tags },
    FlowLogDeliverStatus: delivery.status,
    FlowLogDeliverErrorMessage: delivery.message,
    IpVersion: row.ip_version,
    LogFormat: row.log_format,
  };
}

function dedupe(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/** Tag pairs with the last value winning for a repeated key. */
export function lastValuePerKey(
  tags: readonly { Key?: string | undefined; Value?: string | undefined }[],
): { Key: string; Value: string }[] {
  const byKey = new Map<string, string>();
  for (const t of tags) if (t.Key !== undefined) byKey.set(t.Key, t.Value ?? '');
  return [...byKey].map(([Key, Value]) => ({ Key, Value }));
}

export type { FlowLogRow };
