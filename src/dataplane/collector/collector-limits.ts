/**
 * Bounds of the collector's per-exporter state, so that no exporter (or anyone able to send it UDP) can
 * grow the process without limit: the issue's flood of 150 templates of 100 fields per datagram under
 * ever-new observation domains took 84,600 templates and 1.4 GB before these existed.
 *
 * An "exporter" here is a source address: one device may use several ports and observation domains.
 * Over a limit the least recently used entry is evicted (counted in `templatesEvicted` /
 * `domainsEvicted`); a template with more fields than the whole field budget is refused
 * (`templatesRefused`). The per-exporter limits keep one noisy exporter from evicting the others'
 * state; the totals bound memory whatever the number of sources.
 */
export interface CollectorLimits {
  /** Templates held in total. */
  maxTemplates: number;
  /** Templates one exporter address may hold, over all its ports and domains. */
  maxTemplatesPerExporter: number;
  /** Field specifiers held over all templates (memory is about proportional to it). */
  maxTemplateFields: number;
  /** Exporter/domain states (sequence tracking, templates) held in total. */
  maxDomains: number;
  /** Observation domains (ports × domain ids × versions) one exporter address may hold. */
  maxDomainsPerExporter: number;
}

export const DEFAULT_COLLECTOR_LIMITS: CollectorLimits = {
  maxTemplates: 10_000,
  maxTemplatesPerExporter: 1_000,
  maxTemplateFields: 500_000,
  maxDomains: 10_000,
  maxDomainsPerExporter: 64,
};
