/**
 * Exporter bindings: which VPC an exporter (address, port, observation domain) watches. Private IPs
 * repeat across VPCs and accounts, so a bound exporter's flows are attributed only inside its VPC.
 * `port` / `observation_domain_id` -1 = any.
 */
import type { SqlExecutor } from '../sql-db.js';

export const ANY = -1;

export interface ExporterBindingRow {
  address: string;
  port: number;
  observation_domain_id: number;
  account_id: string;
  region_id: string;
  vpc_id: string;
  created_at: number;
}

export class ExporterBindingRepo {
  constructor(private readonly db: SqlExecutor) {}

  async list(): Promise<ExporterBindingRow[]> {
    const rows = await this.db.all<ExporterBindingRow>(
      'SELECT * FROM exporter_bindings ORDER BY address, port, observation_domain_id',
    );
    return rows.map((r) => ({
      ...r,
      port: Number(r.port),
      observation_domain_id: Number(r.observation_domain_id),
      created_at: Number(r.created_at),
    }));
  }

  /** Creates or replaces the binding of (address, port, domain). */
  async put(row: ExporterBindingRow): Promise<void> {
    await this.db.run(
      `INSERT INTO exporter_bindings (address, port, observation_domain_id, account_id, region_id, vpc_id, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (address, port, observation_domain_id)
       DO UPDATE SET account_id = excluded.account_id, region_id = excluded.region_id, vpc_id = excluded.vpc_id`,
      [
        row.address,
        row.port,
        row.observation_domain_id,
        row.account_id,
        row.region_id,
        row.vpc_id,
        row.created_at,
      ],
    );
  }

  async delete(address: string, port: number, observationDomainId: number): Promise<boolean> {
    const res = await this.db.run(
      'DELETE FROM exporter_bindings WHERE address = ? AND port = ? AND observation_domain_id = ?',
      [address, port, observationDomainId],
    );
    return res.changes > 0;
  }
}
