/**
 * Decoder templates survive restarts: exporters resend templates only every few packets or minutes,
 * and without them the first data after a restart would be template misses. Saved periodically and on
 * stop; on load, rows older than the template TTL are deleted (they have expired) and the rest keep
 * their original receive time, so the decoder's TTL still applies.
 *
 * A save writes only the templates that changed (new, redefined, removed; a mere refresh at most every
 * half TTL) and at most `maxRowsPerSave` of them; the rest wait for the next save. A template flood
 * thus costs a bounded number of row writes per save interval instead of a rewrite of the whole set.
 */
import type { FlowDecoder, SerializedTemplate } from '../collector/index.js';
import type { TemplateRow } from '../../store/repos/template-repo.js';
import { reposOver, type Store } from '../../store/store.js';

/** Rows one periodic save writes at most. */
export const TEMPLATE_ROWS_PER_SAVE = 1_000;

export class TemplatePersistence {
  /** Rows written so far (upserts and deletes), for tests and metrics. */
  rowsWritten = 0;

  constructor(
    private readonly store: Store,
    private readonly decoder: FlowDecoder,
    private readonly maxRowsPerSave: number = TEMPLATE_ROWS_PER_SAVE,
  ) {}

  /** Imports stored, unexpired templates into the decoder; returns how many were imported. */
  async load(now: number = Date.now()): Promise<number> {
    const rows = await this.store.repos.templates.load(now - this.decoder.templateTtlMs);
    const list: SerializedTemplate[] = [];
    for (const row of rows) {
      try {
        list.push(JSON.parse(row.body) as SerializedTemplate);
      } catch {
        // a damaged row is skipped; the exporter will resend the template
      }
    }
    return this.decoder.importTemplates(list, now);
  }

  /**
   * Writes the templates changed since the last save, at most `limit` rows (default: the per-save bound;
   * `Infinity` on stop, so nothing is left behind).
   */
  async save(limit: number = this.maxRowsPerSave): Promise<number> {
    const changes = this.decoder.takeTemplateChanges(limit);
    if (changes.upserts.length === 0 && changes.deletes.length === 0) return 0;
    const rows: TemplateRow[] = changes.upserts.map((t) => ({
      template_key: `${t.netflowVersion}|${t.exporterAddress}|${t.exporterPort}|${t.observationDomainId}|${t.templateId}`,
      body: JSON.stringify(t),
      received_at: t.receivedAtMs,
    }));
    await this.store.db.transaction(async (tx) => {
      const repo = reposOver(tx).templates;
      await repo.upsert(rows);
      await repo.deleteKeys(changes.deletes);
    });
    const written = rows.length + changes.deletes.length;
    this.rowsWritten += written;
    return written;
  }
}
