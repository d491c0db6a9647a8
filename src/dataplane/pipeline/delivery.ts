/**
 * Delivery into logstores. One transaction per batch: for each flow log, check that its project (of
 * the flow log's account) and logstore exist, insert its records, and record the outcome as the flow
 * log's delivery state (`FlowLogDeliverStatus`). Records for a missing target are not stored (best
 * effort, as Alibaba's delivery) and counted; the state becomes FAILED with `ProjectNotExist` or
 * `UnavaliableTarget` (sic, the SDK's spelling) until a later delivery succeeds.
 */
import { DeliveryRepo } from '../../store/repos/delivery-repo.js';
import { LogRepo } from '../../store/repos/log-repo.js';
import { RecordRepo, type RecordRow } from '../../store/repos/record-repo.js';
import type { Store } from '../../store/store.js';
import type { FlowLogInfo } from './topology.js';

export interface DeliveryCounters {
  /** Records stored. */
  recordsDelivered: number;
  /** Records not stored: missing target or a storage error. */
  recordsFailed: number;
  /** Failed deliveries (one per flow log per batch). */
  deliveryFailures: number;
}

export interface DeliveryBatch {
  flowLog: FlowLogInfo;
  rows: RecordRow[];
}

type State = { status: 'SUCCESS' | 'FAILED'; message: string };

export class Delivery {
  readonly counters: DeliveryCounters = { recordsDelivered: 0, recordsFailed: 0, deliveryFailures: 0 };
  /** Last known state per flow log, to write the state table only when it changes. */
  private readonly states = new Map<string, string>();

  constructor(
    private readonly store: Store,
    private readonly now: () => number,
  ) {}

  async deliver(batches: readonly DeliveryBatch[]): Promise<void> {
    if (batches.length === 0) return;
    const outcomes: { flowLog: FlowLogInfo; state: State; rows: number }[] = [];
    try {
      await this.store.db.transaction(async (tx) => {
        outcomes.length = 0;
        const logs = new LogRepo(tx);
        const records = new RecordRepo(tx);
        const delivery = new DeliveryRepo(tx);
        for (const { flowLog: f, rows } of batches) {
          const project = await logs.getProject(f.regionId, f.projectName);
          let state: State;
          if (project === undefined || project.account_id !== f.accountId) {
            state = { status: 'FAILED', message: 'ProjectNotExist' };
          } else if ((await logs.getLogstore(f.regionId, f.projectName, f.logstoreName)) === undefined) {
            state = { status: 'FAILED', message: 'UnavaliableTarget' };
          } else {
            await records.insertBatch(rows);
            state = { status: 'SUCCESS', message: '' };
          }
          outcomes.push({ flowLog: f, state, rows: rows.length });
          const stateKey = `${state.status}|${state.message}`;
          if (this.states.get(f.flowLogId) !== stateKey) {
            await delivery.setStatus(f.flowLogId, state.status, state.message, this.now());
          }
        }
      });
    } catch (err) {
      // A storage error: nothing of this batch was stored.
      for (const { flowLog, rows } of batches) {
        this.counters.recordsFailed += rows.length;
        this.counters.deliveryFailures++;
        this.states.delete(flowLog.flowLogId);
      }
      await this.markUnknown(batches).catch(() => undefined);
      throw err;
    }
    for (const { flowLog, state, rows } of outcomes) {
      this.states.set(flowLog.flowLogId, `${state.status}|${state.message}`);
      if (state.status === 'SUCCESS') this.counters.recordsDelivered += rows;
      else {
        this.counters.recordsFailed += rows;
        this.counters.deliveryFailures++;
      }
    }
  }

  /** Forgets the remembered state of flow logs for which `keep` is false (they no longer exist). */
  forget(keep: (flowLogId: string) => boolean): void {
    for (const id of this.states.keys()) if (!keep(id)) this.states.delete(id);
  }

  private async markUnknown(batches: readonly DeliveryBatch[]): Promise<void> {
    const repo = new DeliveryRepo(this.store.db);
    for (const { flowLog } of batches)
      await repo.setStatus(flowLog.flowLogId, 'FAILED', 'UnknownError', this.now());
  }
}
