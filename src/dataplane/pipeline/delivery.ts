/**
 * Delivery into logstores. For each flow log of a batch, check that its project (of the flow log's
 * account) and logstore exist, append its records to the record store, and record the outcome as the
 * flow log's delivery state (`FlowLogDeliverStatus`). Records for a missing target are not stored (best
 * effort, as Alibaba's delivery) and counted; the state becomes FAILED with `ProjectNotExist` or
 * `UnavaliableTarget` (sic, the SDK's spelling) until a later delivery succeeds.
 *
 * The record store (DuckDB) is not part of the control plane's SQLite transactions, so a batch goes in
 * three steps: (1) one SQLite transaction checks the targets and journals the batch as the SKIPDATA
 * records that stand for it; (2) one record-store commit appends the records, noting the batch id;
 * (3) one SQLite transaction clears the journal entry and records SUCCESS. A process killed between (1)
 * and (3) leaves the entry; at the next start `recoverInterruptedAppends` asks the record store whether
 * the batch committed, and if it did not, stores the SKIPDATA records instead: a crash mid-append loses
 * at most the records not yet acknowledged, and says so in the logstore.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '../../logger.js';
import type { RecordRow } from '../../store/records/record-store.js';
import { LogRepo } from '../../store/repos/log-repo.js';
import { RecordJournalRepo } from '../../store/repos/record-journal-repo.js';
import { reposOver, type Store } from '../../store/store.js';
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
    /** This node's journal entries (src/cluster/node-identity.ts); '' on a single node. */
    private readonly journalOwner = '',
  ) {}

  async deliver(batches: readonly DeliveryBatch[]): Promise<void> {
    if (batches.length === 0) return;
    const outcomes: { flowLog: FlowLogInfo; state: State; rows: number }[] = [];
    const accepted: RecordRow[] = [];
    const batchId = randomUUID();
    try {
      // (1) check targets, write FAILED states, journal what is about to be appended
      await this.store.db.transaction(async (tx) => {
        outcomes.length = 0;
        accepted.length = 0;
        const logs = new LogRepo(tx);
        const delivery = reposOver(tx).deliveries;
        for (const { flowLog: f, rows } of batches) {
          const project = await logs.getProject(f.regionId, f.projectName);
          let state: State;
          if (project === undefined || project.account_id !== f.accountId) {
            state = { status: 'FAILED', message: 'ProjectNotExist' };
          } else if ((await logs.getLogstore(f.regionId, f.projectName, f.logstoreName)) === undefined) {
            state = { status: 'FAILED', message: 'UnavaliableTarget' };
          } else {
            for (const row of rows) accepted.push(row);
            state = { status: 'SUCCESS', message: '' };
          }
          outcomes.push({ flowLog: f, state, rows: rows.length });
          if (state.status === 'FAILED' && this.changed(f, state)) {
            await delivery.setStatus(f.flowLogId, state.status, state.message, this.now());
          }
        }
        if (accepted.length > 0)
          await new RecordJournalRepo(tx, this.journalOwner).add(batchId, skipRecords(accepted), this.now());
      });
      // (2) the append: durable when it resolves
      if (accepted.length > 0) await this.store.records.append(accepted, batchId);
      // (3) acknowledged: clear the journal, record SUCCESS
      await this.store.db.transaction(async (tx) => {
        if (accepted.length > 0) await new RecordJournalRepo(tx, this.journalOwner).remove(batchId);
        const delivery = reposOver(tx).deliveries;
        for (const { flowLog: f, state } of outcomes) {
          if (state.status === 'SUCCESS' && this.changed(f, state)) {
            await delivery.setStatus(f.flowLogId, state.status, state.message, this.now());
          }
        }
      });
    } catch (err) {
      // A storage error: nothing of this batch was acknowledged. A journal entry left behind becomes
      // SKIPDATA records at the next start unless the append did commit.
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

  private changed(f: FlowLogInfo, state: State): boolean {
    return this.states.get(f.flowLogId) !== `${state.status}|${state.message}`;
  }

  private async markUnknown(batches: readonly DeliveryBatch[]): Promise<void> {
    const repo = this.store.repos.deliveries;
    for (const { flowLog } of batches)
      await repo.setStatus(flowLog.flowLogId, 'FAILED', 'UnknownError', this.now());
  }
}

/**
 * The SKIPDATA records that stand for a batch lost in a crash: one per (flow log, ENI), spanning its
 * records' `start`..`end`, with the packets and bytes they carried (the SLS VPC flow-log field page,
 * https://www.alibabacloud.com/help/en/sls/vpc: SKIPDATA = records
 * skipped during the capture window, for an internal error).
 */
export function skipRecords(rows: readonly RecordRow[]): RecordRow[] {
  const byEni = new Map<string, RecordRow>();
  for (const r of rows) {
    if (r.log_status === 'NODATA') continue;
    const key = `${r.flow_log_id}|${r.eni_id}`;
    const s = byEni.get(key);
    if (s === undefined) {
      byEni.set(key, {
        ...r,
        time: r.start,
        srcaddr: '-',
        srcport: null,
        dstaddr: '-',
        dstport: null,
        protocol: null,
        direction: '-',
        action: '-',
        tcp_flags: null,
        log_status: 'SKIPDATA',
      });
      continue;
    }
    s.start = Math.min(s.start, r.start);
    s.time = s.start;
    s.end = Math.max(s.end, r.end);
    s.packets = sumOrNull(s.packets, r.packets);
    s.bytes = sumOrNull(s.bytes, r.bytes);
  }
  return [...byEni.values()];
}

function sumOrNull(a: number | null, b: number | null): number | null {
  return a === null || b === null ? (a ?? b) : a + b;
}

/**
 * At start, before the data plane runs: settles the journal entries of deliveries a crash interrupted.
 * A batch whose append committed is simply acknowledged; any other is replaced by its SKIPDATA records.
 * Returns the number of batches replaced.
 */
export async function recoverInterruptedAppends(
  store: Store,
  logger?: Logger,
  /** This node's entries only (src/cluster/node-identity.ts); '' on a single node. */
  journalOwner = '',
): Promise<number> {
  const journal = new RecordJournalRepo(store.db, journalOwner);
  const entries = await journal.all();
  if (entries.length === 0) return 0;
  // A replacement is appended as `<batch>:skipdata`, so a crash during recovery does not store it twice.
  const ids = entries.flatMap((e) => [e.batchId, `${e.batchId}:skipdata`]);
  const committed = await store.records.committedBatches(ids);
  let replaced = 0;
  let skipped = 0;
  for (const e of entries) {
    if (!committed.has(e.batchId) && !committed.has(`${e.batchId}:skipdata`)) {
      await store.records.append(e.skipped, `${e.batchId}:skipdata`);
      replaced++;
      skipped += e.skipped.length;
    }
    await journal.remove(e.batchId);
  }
  if (replaced > 0) {
    logger?.warn('deliveries interrupted by a crash stored as SKIPDATA records', {
      batches: replaced,
      skipdataRecords: skipped,
    });
  }
  return replaced;
}
