// Compiled templates: the wire field list turned, once on arrival, into per-field (slot, kind, length,
// fixed offset) so that data records decode without any per-record lookups or allocations.
import { bindField, K_SKIP, NO_SLOT, VARIABLE_LENGTH } from './information-elements.js';
import type { SerializedTemplate, TemplateFieldSpec } from './types.js';

export interface CompiledField {
  id: number;
  /** Private Enterprise Number when the enterprise bit was set, else undefined (IANA element). */
  enterpriseId: number | undefined;
  length: number; // VARIABLE_LENGTH for variable-length fields
  slot: number;
  kind: number;
}

export interface CompiledTemplate {
  netflowVersion: 9 | 10;
  templateId: number;
  isOptions: boolean;
  scopeFieldCount: number;
  fields: CompiledField[];
  /** Bytes of one record when every field is fixed-length, else -1. */
  fixedLength: number;
  /** Smallest possible record (variable-length fields count their 1-byte length prefix). Always > 0. */
  minLength: number;
  receivedAtMs: number;
}

/** Maximum fields per template: a 65535-byte message can hold at most ~16 k 4-byte specifiers. */
const MAX_FIELDS = 16384;

/**
 * Compile a field list; returns undefined for templates we refuse (no fields, or a zero minimum record
 * length, which would make "records in a set" unbounded).
 */
export function compileTemplate(
  netflowVersion: 9 | 10,
  templateId: number,
  specs: readonly TemplateFieldSpec[],
  isOptions: boolean,
  scopeFieldCount: number,
  receivedAtMs: number,
): CompiledTemplate | undefined {
  if (specs.length === 0 || specs.length > MAX_FIELDS || scopeFieldCount > specs.length) return undefined;
  const fields: CompiledField[] = [];
  let fixed = 0;
  let min = 0;
  let variable = false;
  for (let i = 0; i < specs.length; i++) {
    const s = specs[i];
    if (s === undefined) return undefined;
    const enterpriseId = s.enterpriseId;
    // v9 scope field types (1 System, 2 Interface, ...) collide with IE numbers, and IPFIX scope fields
    // identify the reporting entity rather than describe a flow: decode neither into slots.
    const isScope = i < scopeFieldCount;
    const binding = isScope
      ? { slot: NO_SLOT, kind: K_SKIP }
      : bindField(s.id, s.length, enterpriseId !== undefined);
    fields.push({ id: s.id, enterpriseId, length: s.length, slot: binding.slot, kind: binding.kind });
    if (s.length === VARIABLE_LENGTH) {
      if (netflowVersion === 9) return undefined; // v9 has no variable-length encoding
      variable = true;
      min += 1;
    } else {
      fixed += s.length;
      min += s.length;
    }
  }
  if (min === 0) return undefined;
  return {
    netflowVersion,
    templateId,
    isOptions,
    scopeFieldCount,
    fields,
    fixedLength: variable ? -1 : fixed,
    minLength: min,
    receivedAtMs,
  };
}

/** Field list back in wire form (for persistence). */
export function templateFieldSpecs(t: CompiledTemplate): TemplateFieldSpec[] {
  return t.fields.map((f) =>
    f.enterpriseId === undefined
      ? { id: f.id, length: f.length }
      : { id: f.id, length: f.length, enterpriseId: f.enterpriseId },
  );
}

export function serializeTemplate(
  t: CompiledTemplate,
  exporterAddress: string,
  exporterPort: number,
  observationDomainId: number,
): SerializedTemplate {
  return {
    netflowVersion: t.netflowVersion,
    exporterAddress,
    exporterPort,
    observationDomainId,
    templateId: t.templateId,
    isOptions: t.isOptions,
    scopeFieldCount: t.scopeFieldCount,
    fields: templateFieldSpecs(t),
    receivedAtMs: t.receivedAtMs,
  };
}
