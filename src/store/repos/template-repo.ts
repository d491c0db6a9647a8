/** Flow-decoder templates persisted across restarts (JSON bodies; the decoder validates them on import). */
import type { SqlExecutor } from '../sql-db.js';

export interface TemplateRow {
  template_key: string;
  body: string;
  received_at: number;
}

export class TemplateRepo {
  constructor(private readonly db: SqlExecutor) {}

  /** Templates received at or after `since` (Unix ms); older ones are deleted: they have expired. */
  async load(since: number): Promise<TemplateRow[]> {
    await this.db.run('DELETE FROM collector_templates WHERE received_at < ?', [since]);
    return this.db.all<TemplateRow>('SELECT * FROM collector_templates');
  }

  /** Writes (inserts or replaces) these rows (call inside a transaction). */
  async upsert(rows: readonly TemplateRow[]): Promise<void> {
    for (const r of rows) {
      await this.db.run(
        `INSERT INTO collector_templates (template_key, body, received_at) VALUES (?, ?, ?)
         ON CONFLICT (template_key) DO UPDATE SET body = excluded.body, received_at = excluded.received_at`,
        [r.template_key, r.body, r.received_at],
      );
    }
  }

  /** Deletes the rows with these keys (call inside a transaction). */
  async deleteKeys(keys: readonly string[]): Promise<void> {
    for (const key of keys)
      await this.db.run('DELETE FROM collector_templates WHERE template_key = ?', [key]);
  }
}
