/**
 * The record append journal (migration 15): for each delivery batch on its way into the record store,
 * the SKIPDATA records that stand for it should the process die before the append commits. Entries
 * carry their node (`owner`, migration 22; '' for the single SQLite node): nodes sharing a database see
 * only their own, so one node never settles another's delivery that may still be in flight.
 */
import type { RecordRow } from '../records/record-store.js';
import type { SqlExecutor } from '../sql-db.js';

export interface JournalEntry {
  batchId: string;
  skipped: RecordRow[];
}

export class RecordJournalRepo {
  constructor(
    private readonly db: SqlExecutor,
    private readonly owner = '',
  ) {}

  async add(batchId: string, skipped: readonly RecordRow[], now: number): Promise<void> {
    await this.db.run(
      'INSERT INTO record_journal (batch_id, skipped, created_at, owner) VALUES (?, ?, ?, ?)',
      [batchId, JSON.stringify(skipped), now, this.owner],
    );
  }

  async remove(batchId: string): Promise<void> {
    await this.db.run('DELETE FROM record_journal WHERE batch_id = ?', [batchId]);
  }

  async all(): Promise<JournalEntry[]> {
    const rows = await this.db.all<{ batch_id: string; skipped: string }>(
      'SELECT batch_id, skipped FROM record_journal WHERE owner = ? ORDER BY created_at, batch_id',
      [this.owner],
    );
    return rows.map((r) => ({ batchId: r.batch_id, skipped: JSON.parse(r.skipped) as RecordRow[] }));
  }
}
