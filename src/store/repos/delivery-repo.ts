/**
 * Delivery state per flow log: the outcome of its last delivery (FlowLogDeliverStatus and message) and
 * `closed_through`, the end (Unix ms) of the last capture window whose status records were emitted, so
 * NODATA records are not repeated after a restart.
 */
import type { SqlExecutor } from '../sql-db.js';

/**
 * `NONE`: no delivery yet (the row only carries `closed_through`). DescribeFlowLogs then shows SUCCESS
 * only because the target exists, never because of this row.
 */
export const NO_DELIVERY = 'NONE';

export interface DeliveryRow {
  flow_log_id: string;
  status: 'SUCCESS' | 'FAILED' | typeof NO_DELIVERY;
  error_message: string;
  updated_at: number;
  closed_through: number;
}

export class DeliveryRepo {
  constructor(private readonly db: SqlExecutor) {}

  async all(): Promise<DeliveryRow[]> {
    const rows = await this.db.all<DeliveryRow>('SELECT * FROM flow_log_delivery');
    return rows.map((r) => ({
      ...r,
      updated_at: Number(r.updated_at),
      closed_through: Number(r.closed_through),
    }));
  }

  async get(flowLogId: string): Promise<DeliveryRow | undefined> {
    const row = await this.db.get<DeliveryRow>('SELECT * FROM flow_log_delivery WHERE flow_log_id = ?', [
      flowLogId,
    ]);
    return row && { ...row, updated_at: Number(row.updated_at), closed_through: Number(row.closed_through) };
  }

  async setStatus(
    flowLogId: string,
    status: DeliveryRow['status'],
    message: string,
    now: number,
  ): Promise<void> {
    await this.db.run(
      `INSERT INTO flow_log_delivery (flow_log_id, status, error_message, updated_at, closed_through)
       VALUES (?, ?, ?, ?, 0)
       ON CONFLICT (flow_log_id) DO UPDATE SET status = excluded.status, error_message = excluded.error_message,
         updated_at = excluded.updated_at`,
      [flowLogId, status, message, now],
    );
  }

  /**
   * Records how far status records were emitted; a new row gets the neutral status (no delivery yet).
   * Only ever forward: a node that stopped leading mid-pass (several nodes, src/cluster/leadership.ts)
   * cannot move it back behind what its successor has written since.
   */
  async setClosedThrough(flowLogId: string, closedThrough: number, now: number): Promise<void> {
    await this.db.run(
      `INSERT INTO flow_log_delivery (flow_log_id, status, error_message, updated_at, closed_through)
       VALUES (?, ?, '', ?, ?)
       ON CONFLICT (flow_log_id) DO UPDATE SET closed_through = excluded.closed_through
       WHERE excluded.closed_through > flow_log_delivery.closed_through`,
      [flowLogId, NO_DELIVERY, now, closedThrough],
    );
  }

  /** Forgets flow logs that no longer exist. */
  async prune(): Promise<number> {
    const res = await this.db.run(
      'DELETE FROM flow_log_delivery WHERE flow_log_id NOT IN (SELECT flow_log_id FROM flow_logs)',
    );
    return res.changes;
  }
}
