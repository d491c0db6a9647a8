/**
 * Empties every table of the world (accounts, keys, RAM users, policies, roles, groups and STS sessions,
 * network, projects, flow logs, tags, records, deliveries, exporter bindings, ClientToken answers) for POST /_vpcflow/reset; run inside the reset's transaction, which then
 * bootstraps and loads the seed files again, so a failed reload rolls back to the world as it was.
 * Kept: the schema version and the collector's templates (exporter state, not world state: exporters do
 * not resend templates on demand).
 */
import type { SqlExecutor } from './sql-db.js';

/** Children before parents. */
const WORLD_TABLES = [
  'client_tokens',
  'sts_sessions',
  'ram_group_members',
  'ram_groups',
  'ram_attachments',
  'ram_policy_versions',
  'ram_policies',
  'ram_roles',
  'ram_users',
  'log_records',
  'flow_log_delivery',
  'tags',
  'flow_logs',
  'exporter_bindings',
  'network_interfaces',
  'security_groups',
  'vswitches',
  'vpcs',
  'logstores',
  'log_projects',
  'account_services',
  'resource_groups',
  'access_keys',
  'accounts',
] as const;

export async function clearWorld(tx: SqlExecutor): Promise<void> {
  for (const table of WORLD_TABLES) await tx.run(`DELETE FROM ${table}`, []);
}
