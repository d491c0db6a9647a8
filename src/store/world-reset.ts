/**
 * Empties every table of the world (accounts, keys, network, projects, flow logs, tags, records,
 * deliveries, exporter bindings) for POST /_vpcflow/reset; run inside the reset's transaction, which then
 * bootstraps and loads the seed files again, so a failed reload rolls back to the world as it was.
 * Kept: the schema version and the collector's templates (exporter state, not world state: exporters do
 * not resend templates on demand).
 */
import type { SqlExecutor } from './sql-db.js';

/** Children before parents. */
const WORLD_TABLES = [
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
