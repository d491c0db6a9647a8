/**
 * Looks up resources of any kind by ID within an account and region: what flow logs watch, what
 * tags and resource groups apply to. The kinds map to their tables here, in one place.
 */
import type { SqlExecutor } from '../sql-db.js';

export type ResourceKind = 'VPC' | 'VSwitch' | 'NetworkInterface' | 'FlowLog';

const TABLES: Record<ResourceKind, { table: string; id: string }> = {
  VPC: { table: 'vpcs', id: 'vpc_id' },
  VSwitch: { table: 'vswitches', id: 'vswitch_id' },
  NetworkInterface: { table: 'network_interfaces', id: 'network_interface_id' },
  FlowLog: { table: 'flow_logs', id: 'flow_log_id' },
};

export interface Scope {
  accountId: string;
  regionId: string;
}

export class ResourceRepo {
  constructor(private readonly db: SqlExecutor) {}

  /** The VPC the resource belongs to (itself for a VPC), or undefined if it does not exist in the scope. */
  async vpcOf(scope: Scope, kind: ResourceKind, id: string): Promise<string | undefined> {
    const t = TABLES[kind];
    const row = await this.db.get<{ vpc_id: string }>(
      `SELECT vpc_id FROM ${t.table} WHERE ${t.id} = ? AND account_id = ? AND region_id = ?`,
      [id, scope.accountId, scope.regionId],
    );
    return row?.vpc_id;
  }

  async exists(scope: Scope, kind: ResourceKind, id: string): Promise<boolean> {
    return (await this.vpcOf(scope, kind, id)) !== undefined;
  }

  /** Whether a VPC, vSwitch or ENI with this ID exists in the scope. */
  async anyNetworkResourceExists(scope: Scope, id: string): Promise<boolean> {
    for (const kind of ['VPC', 'VSwitch', 'NetworkInterface'] as const) {
      if (await this.exists(scope, kind, id)) return true;
    }
    return false;
  }

  async setResourceGroup(kind: 'VPC' | 'FlowLog', id: string, resourceGroupId: string): Promise<void> {
    const t = TABLES[kind];
    await this.db.run(`UPDATE ${t.table} SET resource_group_id = ? WHERE ${t.id} = ?`, [resourceGroupId, id]);
  }
}
