/**
 * Decoder templates survive restarts: exporters resend templates only every few packets or minutes,
 * and without them the first data after a restart would be template misses. Saved periodically and on
 * stop; on load, rows older than the template TTL are deleted (they have expired) and the rest keep
 * their original receive time, so the decoder's TTL still applies.
 */
import type { FlowDecoder, SerializedTemplate } from '../collector/index.js';
import { TemplateRepo, type TemplateRow } from '../../store/repos/template-repo.js';
import type { Store } from '../../store/store.js';

export class TemplatePersistence {
  private lastSaved = '';

  constructor(
    private readonly store: Store,
    private readonly decoder: FlowDecoder,
  ) {}

  /** Imports stored, unexpired templates into the decoder; returns how many were imported. */
  async load(now: number = Date.now()): Promise<number> {
    const rows = await new TemplateRepo(this.store.db).load(now - this.decoder.templateTtlMs);
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

  /** Stores the decoder's live templates if they changed since the last save. */
  async save(): Promise<void> {
    const rows: TemplateRow[] = this.decoder.exportTemplates().map((t) => ({
      template_key: `${t.netflowVersion}|${t.exporterAddress}|${t.exporterPort}|${t.observationDomainId}|${t.templateId}`,
      body: JSON.stringify(t),
      received_at: t.receivedAtMs,
    }));
    const snapshot = JSON.stringify(rows);
    if (snapshot === this.lastSaved) return;
    await this.store.db.transaction((tx) => new TemplateRepo(tx).replaceAll(rows));
    this.lastSaved = snapshot;
  }
}
