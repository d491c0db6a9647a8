/**
 * VPCs, vSwitches, security groups and network interfaces (ENIs). Every read is scoped by account and
 * region: a resource of another tenant or region is simply not found. Portable SQL only (`?`
 * placeholders, LIMIT/OFFSET, `||`), as it also runs on PostgreSQL.
 */
import { ScopedTable } from './scoped-table.js';
import { placeholders, type SqlExecutor } from '../sql-db.js';

export interface VpcRow {
  vpc_id: string;
  account_id: string;
  region_id: string;
  name: string;
  description: string;
  cidr_block: string;
  status: string;
  resource_group_id: string;
  is_default: number;
  created_at: number;
}

export interface VswitchRow {
  vswitch_id: string;
  account_id: string;
  region_id: string;
  vpc_id: string;
  zone_id: string;
  cidr_block: string;
  name: string;
  description: string;
  status: string;
  resource_group_id: string;
  created_at: number;
}

export interface SecurityGroupRow {
  security_group_id: string;
  account_id: string;
  region_id: string;
  vpc_id: string;
  name: string;
  description: string;
  resource_group_id: string;
  created_at: number;
}

export interface NetworkInterfaceRow {
  network_interface_id: string;
  account_id: string;
  region_id: string;
  vpc_id: string;
  vswitch_id: string;
  zone_id: string;
  /** Comma-separated security group IDs, in the order given. */
  security_group_ids: string;
  primary_ip: string;
  mac_address: string;
  name: string;
  description: string;
  status: string;
  type: string;
  instance_id: string;
  resource_group_id: string;
  created_at: number;
}

export interface TagFilter {
  Key: string;
  Value?: string | undefined;
}

export interface VpcFilter {
  vpcIds?: readonly string[] | undefined;
  name?: string | undefined;
  resourceGroupId?: string | undefined;
  isDefault?: boolean | undefined;
  tags?: readonly TagFilter[] | undefined;
}

export interface VswitchFilter {
  vpcId?: string | undefined;
  vswitchIds?: readonly string[] | undefined;
  zoneId?: string | undefined;
  name?: string | undefined;
  resourceGroupId?: string | undefined;
  tags?: readonly TagFilter[] | undefined;
}

export interface SecurityGroupFilter {
  ids?: readonly string[] | undefined;
  vpcId?: string | undefined;
  name?: string | undefined;
  resourceGroupId?: string | undefined;
  tags?: readonly TagFilter[] | undefined;
}

export interface NetworkInterfaceFilter {
  ids?: readonly string[] | undefined;
  vpcId?: string | undefined;
  vswitchId?: string | undefined;
  primaryIp?: string | undefined;
  name?: string | undefined;
  securityGroupId?: string | undefined;
  resourceGroupId?: string | undefined;
  status?: string | undefined;
  type?: string | undefined;
  instanceId?: string | undefined;
  tags?: readonly TagFilter[] | undefined;
}

export interface Page {
  offset: number;
  limit: number;
}

export interface PageOf<T> {
  rows: T[];
  total: number;
}

export interface Scope {
  accountId: string;
  regionId: string;
}

/** WHERE clauses and their parameters, built up filter by filter. */
class Where {
  readonly clauses: string[] = [];
  readonly params: unknown[] = [];

  constructor(scope: Scope) {
    this.add('account_id = ?', scope.accountId);
    this.add('region_id = ?', scope.regionId);
  }

  add(clause: string, ...params: unknown[]): void {
    this.clauses.push(clause);
    this.params.push(...params);
  }

  eq(column: string, value: string | number | undefined): void {
    if (value !== undefined) this.add(`${column} = ?`, value);
  }

  in(column: string, values: readonly string[] | undefined): void {
    if (values === undefined) return;
    // An empty list matches nothing (the caller filtered by IDs that do not exist).
    if (values.length === 0) this.add('1 = 0');
    else this.add(`${column} IN (${placeholders(values.length)})`, ...values);
  }

  tags(idColumn: string, resourceTags: readonly TagFilter[] | undefined): void {
    for (const tag of resourceTags ?? []) {
      if (tag.Value === undefined) {
        this.add(`${idColumn} IN (SELECT resource_id FROM tags WHERE tag_key = ?)`, tag.Key);
      } else {
        this.add(
          `${idColumn} IN (SELECT resource_id FROM tags WHERE tag_key = ? AND tag_value = ?)`,
          tag.Key,
          tag.Value,
        );
      }
    }
  }

  get sql(): string {
    return this.clauses.join(' AND ');
  }
}

export class NetworkRepo {
  private readonly vpcs: ScopedTable<VpcRow>;
  private readonly vswitches: ScopedTable<VswitchRow>;
  private readonly securityGroups: ScopedTable<SecurityGroupRow>;
  private readonly networkInterfaces: ScopedTable<NetworkInterfaceRow>;

  constructor(protected readonly db: SqlExecutor) {
    this.vpcs = new ScopedTable<VpcRow>(db, 'vpcs', 'vpc_id', [
      'vpc_id',
      'account_id',
      'region_id',
      'name',
      'description',
      'cidr_block',
      'status',
      'resource_group_id',
      'is_default',
      'created_at',
    ]);
    this.vswitches = new ScopedTable<VswitchRow>(db, 'vswitches', 'vswitch_id', [
      'vswitch_id',
      'account_id',
      'region_id',
      'vpc_id',
      'zone_id',
      'cidr_block',
      'name',
      'description',
      'status',
      'resource_group_id',
      'created_at',
    ]);
    this.securityGroups = new ScopedTable<SecurityGroupRow>(db, 'security_groups', 'security_group_id', [
      'security_group_id',
      'account_id',
      'region_id',
      'vpc_id',
      'name',
      'description',
      'resource_group_id',
      'created_at',
    ]);
    this.networkInterfaces = new ScopedTable<NetworkInterfaceRow>(
      db,
      'network_interfaces',
      'network_interface_id',
      [
        'network_interface_id',
        'account_id',
        'region_id',
        'vpc_id',
        'vswitch_id',
        'zone_id',
        'security_group_ids',
        'primary_ip',
        'mac_address',
        'name',
        'description',
        'status',
        'type',
        'instance_id',
        'resource_group_id',
        'created_at',
      ],
    );
  }

  // ---- VPCs

  insertVpc(row: VpcRow): Promise<void> {
    return this.vpcs.insert(row);
  }

  getVpc(accountId: string, regionId: string, vpcId: string): Promise<VpcRow | undefined> {
    return this.vpcs.get(accountId, regionId, vpcId);
  }

  /** VPCs of a scope, newest first (ties broken by ID, so paging is stable). */
  async listVpcs(scope: Scope, filter: VpcFilter, page: Page): Promise<PageOf<VpcRow>> {
    const where = new Where(scope);
    where.in('vpc_id', filter.vpcIds);
    where.eq('name', filter.name);
    where.eq('resource_group_id', filter.resourceGroupId);
    if (filter.isDefault !== undefined) where.eq('is_default', filter.isDefault ? 1 : 0);
    where.tags('vpc_id', filter.tags);
    return this.#page<VpcRow>('vpcs', where, 'created_at DESC, vpc_id DESC', page);
  }

  /** The scope's VPCs with this name, oldest first (the seed loader matches unnamed-ID entries by name). */
  async vpcsNamed(scope: Scope, name: string): Promise<VpcRow[]> {
    return this.db.all<VpcRow>(
      'SELECT * FROM vpcs WHERE account_id = ? AND region_id = ? AND name = ? ORDER BY created_at, vpc_id',
      [scope.accountId, scope.regionId, name],
    );
  }

  deleteVpc(accountId: string, regionId: string, vpcId: string): Promise<boolean> {
    return this.vpcs.delete(accountId, regionId, vpcId);
  }

  // ---- vSwitches

  insertVswitch(row: VswitchRow): Promise<void> {
    return this.vswitches.insert(row);
  }

  getVswitch(accountId: string, regionId: string, vswitchId: string): Promise<VswitchRow | undefined> {
    return this.vswitches.get(accountId, regionId, vswitchId);
  }

  async listVswitches(scope: Scope, filter: VswitchFilter, page: Page): Promise<PageOf<VswitchRow>> {
    const where = new Where(scope);
    where.eq('vpc_id', filter.vpcId);
    where.in('vswitch_id', filter.vswitchIds);
    where.eq('zone_id', filter.zoneId);
    where.eq('name', filter.name);
    where.eq('resource_group_id', filter.resourceGroupId);
    where.tags('vswitch_id', filter.tags);
    return this.#page<VswitchRow>('vswitches', where, 'created_at DESC, vswitch_id DESC', page);
  }

  /** All vSwitches of a VPC, oldest first (CIDR overlap checks, VSwitchIds of DescribeVpcs). */
  async vswitchesOfVpc(vpcId: string): Promise<VswitchRow[]> {
    return this.db.all<VswitchRow>(
      'SELECT * FROM vswitches WHERE vpc_id = ? ORDER BY created_at, vswitch_id',
      [vpcId],
    );
  }

  /** vSwitch IDs by VPC ID, for a page of VPCs. */
  async vswitchIdsByVpc(vpcIds: readonly string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    if (vpcIds.length === 0) return out;
    const rows = await this.db.all<{ vpc_id: string; vswitch_id: string }>(
      `SELECT vpc_id, vswitch_id FROM vswitches WHERE vpc_id IN (${placeholders(vpcIds.length)})
       ORDER BY created_at, vswitch_id`,
      vpcIds,
    );
    for (const row of rows) {
      let list = out.get(row.vpc_id);
      if (!list) out.set(row.vpc_id, (list = []));
      list.push(row.vswitch_id);
    }
    return out;
  }

  async countVswitchesInVpc(vpcId: string): Promise<number> {
    return this.#count('SELECT COUNT(*) AS n FROM vswitches WHERE vpc_id = ?', [vpcId]);
  }

  deleteVswitch(accountId: string, regionId: string, vswitchId: string): Promise<boolean> {
    return this.vswitches.delete(accountId, regionId, vswitchId);
  }

  // ---- security groups

  insertSecurityGroup(row: SecurityGroupRow): Promise<void> {
    return this.securityGroups.insert(row);
  }

  getSecurityGroup(
    accountId: string,
    regionId: string,
    securityGroupId: string,
  ): Promise<SecurityGroupRow | undefined> {
    return this.securityGroups.get(accountId, regionId, securityGroupId);
  }

  async listSecurityGroups(
    scope: Scope,
    filter: SecurityGroupFilter,
    page: Page,
  ): Promise<PageOf<SecurityGroupRow>> {
    const where = new Where(scope);
    where.in('security_group_id', filter.ids);
    where.eq('vpc_id', filter.vpcId);
    where.eq('name', filter.name);
    where.eq('resource_group_id', filter.resourceGroupId);
    where.tags('security_group_id', filter.tags);
    return this.#page<SecurityGroupRow>(
      'security_groups',
      where,
      'created_at DESC, security_group_id DESC',
      page,
    );
  }

  async securityGroupsNamed(scope: Scope, vpcId: string, name: string): Promise<SecurityGroupRow[]> {
    return this.db.all<SecurityGroupRow>(
      `SELECT * FROM security_groups WHERE account_id = ? AND region_id = ? AND vpc_id = ? AND name = ?
       ORDER BY created_at, security_group_id`,
      [scope.accountId, scope.regionId, vpcId, name],
    );
  }

  async countSecurityGroupsInVpc(vpcId: string): Promise<number> {
    return this.#count('SELECT COUNT(*) AS n FROM security_groups WHERE vpc_id = ?', [vpcId]);
  }

  deleteSecurityGroup(accountId: string, regionId: string, securityGroupId: string): Promise<boolean> {
    return this.securityGroups.delete(accountId, regionId, securityGroupId);
  }

  // ---- network interfaces

  insertNetworkInterface(row: NetworkInterfaceRow): Promise<void> {
    return this.networkInterfaces.insert(row);
  }

  getNetworkInterface(
    accountId: string,
    regionId: string,
    eniId: string,
  ): Promise<NetworkInterfaceRow | undefined> {
    return this.networkInterfaces.get(accountId, regionId, eniId);
  }

  async listNetworkInterfaces(
    scope: Scope,
    filter: NetworkInterfaceFilter,
    page: Page,
  ): Promise<PageOf<NetworkInterfaceRow>> {
    const where = new Where(scope);
    where.in('network_interface_id', filter.ids);
    where.eq('vpc_id', filter.vpcId);
    where.eq('vswitch_id', filter.vswitchId);
    where.eq('primary_ip', filter.primaryIp);
    where.eq('name', filter.name);
    where.eq('resource_group_id', filter.resourceGroupId);
    where.eq('status', filter.status);
    where.eq('type', filter.type);
    where.eq('instance_id', filter.instanceId);
    where.tags('network_interface_id', filter.tags);
    if (filter.securityGroupId !== undefined) {
      where.add(
        `(',' || security_group_ids || ',') LIKE ? ESCAPE '\\'`,
        `%,${escapeLike(filter.securityGroupId)},%`,
      );
    }
    return this.#page<NetworkInterfaceRow>(
      'network_interfaces',
      where,
      'created_at DESC, network_interface_id DESC',
      page,
    );
  }

  /** Every ENI's address and place, in every account and region (the data plane's network view). */
  async allNetworkInterfaceAddresses(): Promise<
    Pick<
      NetworkInterfaceRow,
      | 'network_interface_id'
      | 'account_id'
      | 'region_id'
      | 'vpc_id'
      | 'vswitch_id'
      | 'primary_ip'
      | 'instance_id'
    >[]
  > {
    return this.db.all(
      'SELECT network_interface_id, account_id, region_id, vpc_id, vswitch_id, primary_ip, instance_id FROM network_interfaces',
    );
  }

  /** The ENI using an address in a VPC, if any (addresses are unique per VPC). */
  async networkInterfaceWithIp(vpcId: string, ip: string): Promise<NetworkInterfaceRow | undefined> {
    return this.db.get<NetworkInterfaceRow>(
      'SELECT * FROM network_interfaces WHERE vpc_id = ? AND primary_ip = ?',
      [vpcId, ip],
    );
  }

  /** Primary addresses in use in a vSwitch. */
  async usedIpsInVswitch(vswitchId: string): Promise<string[]> {
    const rows = await this.db.all<{ primary_ip: string }>(
      'SELECT primary_ip FROM network_interfaces WHERE vswitch_id = ?',
      [vswitchId],
    );
    return rows.map((r) => r.primary_ip);
  }

  async countNetworkInterfacesInVswitch(vswitchId: string): Promise<number> {
    return this.#count('SELECT COUNT(*) AS n FROM network_interfaces WHERE vswitch_id = ?', [vswitchId]);
  }

  /** ENI counts by vSwitch, for AvailableIpAddressCount on a page of vSwitches. */
  async networkInterfaceCountsByVswitch(vswitchIds: readonly string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    if (vswitchIds.length === 0) return out;
    const rows = await this.db.all<{ vswitch_id: string; n: number }>(
      `SELECT vswitch_id, COUNT(*) AS n FROM network_interfaces WHERE vswitch_id IN (${placeholders(vswitchIds.length)})
       GROUP BY vswitch_id`,
      vswitchIds,
    );
    for (const row of rows) out.set(row.vswitch_id, Number(row.n));
    return out;
  }

  /**
   * ENI counts by security group, for a page of groups: one query over the ENIs of the scope (and of the
   * given VPCs, when known: an ENI only joins groups of its own VPC), counted here, so no per-group
   * `LIKE` scan. Groups without ENIs are absent from the map.
   */
  async networkInterfaceCountsBySecurityGroup(
    scope: Scope,
    securityGroupIds: readonly string[],
    vpcIds?: readonly string[],
  ): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    if (securityGroupIds.length === 0) return out;
    const wanted = new Set(securityGroupIds);
    const where = new Where(scope);
    if (vpcIds !== undefined) where.in('vpc_id', [...new Set(vpcIds)]);
    const rows = await this.db.all<{ security_group_ids: string }>(
      `SELECT security_group_ids FROM network_interfaces WHERE ${where.sql}`,
      where.params,
    );
    for (const row of rows) {
      for (const id of new Set(row.security_group_ids.split(','))) {
        if (wanted.has(id)) out.set(id, (out.get(id) ?? 0) + 1);
      }
    }
    return out;
  }

  async countNetworkInterfacesInSecurityGroup(securityGroupId: string): Promise<number> {
    return this.#count(
      `SELECT COUNT(*) AS n FROM network_interfaces WHERE (',' || security_group_ids || ',') LIKE ? ESCAPE '\\'`,
      [`%,${escapeLike(securityGroupId)},%`],
    );
  }

  deleteNetworkInterface(accountId: string, regionId: string, eniId: string): Promise<boolean> {
    return this.networkInterfaces.delete(accountId, regionId, eniId);
  }

  // ---- cross-cutting

  /**
   * Flow logs (any status) whose resource is this VPC, vSwitch or ENI: such a resource cannot be deleted
   * until its flow logs are.
   */
  async countFlowLogsWatching(accountId: string, regionId: string, resourceId: string): Promise<number> {
    return this.#count(
      'SELECT COUNT(*) AS n FROM flow_logs WHERE resource_id = ? AND account_id = ? AND region_id = ?',
      [resourceId, accountId, regionId],
    );
  }

  /**
   * Who holds an ID, whatever the tenant: IDs are global primary keys, so the seed loader must refuse an
   * explicit ID that another account or region already uses.
   */
  async ownerOf(
    kind: 'vpc' | 'vswitch' | 'security_group' | 'network_interface',
    id: string,
  ): Promise<Scope | undefined> {
    const table = {
      vpc: 'vpcs',
      vswitch: 'vswitches',
      security_group: 'security_groups',
      network_interface: 'network_interfaces',
    }[kind];
    const row = await this.db.get<{ account_id: string; region_id: string }>(
      `SELECT account_id, region_id FROM ${table} WHERE ${kind}_id = ?`,
      [id],
    );
    return row ? { accountId: row.account_id, regionId: row.region_id } : undefined;
  }

  async #count(sql: string, params: readonly unknown[]): Promise<number> {
    const row = await this.db.get<{ n: number | string }>(sql, params);
    return Number(row?.n ?? 0);
  }

  async #page<T>(table: string, where: Where, order: string, page: Page): Promise<PageOf<T>> {
    const total = await this.#count(`SELECT COUNT(*) AS n FROM ${table} WHERE ${where.sql}`, where.params);
    const rows = await this.db.all<T>(
      `SELECT * FROM ${table} WHERE ${where.sql} ORDER BY ${order} LIMIT ? OFFSET ?`,
      [...where.params, page.limit, page.offset],
    );
    return { rows, total };
  }
}

/** Escapes LIKE wildcards (with `ESCAPE '\\'`): IDs never contain them, but a filter value is user input. */
function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}
