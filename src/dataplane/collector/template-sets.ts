// Template / options-template set parsing (IPFIX set ids 2 and 3, NetFlow v9 flowset ids 0 and 1).
// Each template record is self-delimiting, so records before a bad one are kept; parsing of the set stops
// at the first bad record and the caller counts the datagram as malformed.
import type { DomainState, ExporterRegistry } from './exporter-registry.js';
import { compileTemplate } from './template.js';
import type { TemplateFieldSpec } from './types.js';

export const IPFIX_TEMPLATE_SET = 2;
export const IPFIX_OPTIONS_TEMPLATE_SET = 3;
export const V9_TEMPLATE_FLOWSET = 0;
export const V9_OPTIONS_TEMPLATE_FLOWSET = 1;

function allZero(buf: Buffer, pos: number, end: number): boolean {
  for (let i = pos; i < end; i++) if (buf.readUInt8(i) !== 0) return false;
  return true;
}

/**
 * IPFIX field specifiers (RFC 7011 §3.2): IE id (top bit = enterprise bit), length, then a 4-byte PEN
 * when the enterprise bit is set. Returns the end offset, or -1 when they run past `end`.
 */
function readIpfixFields(
  buf: Buffer,
  pos: number,
  end: number,
  count: number,
  out: TemplateFieldSpec[],
): number {
  for (let i = 0; i < count; i++) {
    if (pos + 4 > end) return -1;
    const raw = buf.readUInt16BE(pos);
    const length = buf.readUInt16BE(pos + 2);
    pos += 4;
    if (raw & 0x8000) {
      if (pos + 4 > end) return -1;
      out.push({ id: raw & 0x7fff, length, enterpriseId: buf.readUInt32BE(pos) });
      pos += 4;
    } else {
      out.push({ id: raw, length });
    }
  }
  return pos;
}

/** IPFIX template set (2) or options template set (3) body in [pos, end). Returns false if malformed. */
export function parseIpfixTemplateSet(
  buf: Buffer,
  pos: number,
  end: number,
  options: boolean,
  registry: ExporterRegistry,
  domain: DomainState,
  nowMs: number,
): boolean {
  const setId = options ? IPFIX_OPTIONS_TEMPLATE_SET : IPFIX_TEMPLATE_SET;
  while (end - pos >= 4) {
    const templateId = buf.readUInt16BE(pos);
    const fieldCount = buf.readUInt16BE(pos + 2);
    if (fieldCount === 0) {
      // Withdrawal (RFC 7011 §8.1); template id == set id withdraws all templates of that kind. A record
      // of zeros can only be padding (id 0 is never valid), so stop there.
      if (templateId === 0 && allZero(buf, pos, end)) return true;
      if (templateId !== setId && templateId < 256) return false;
      registry.withdraw(domain, templateId, templateId === setId, options);
      pos += 4;
      continue;
    }
    if (templateId < 256) return allZero(buf, pos, end);
    let scopeCount = 0;
    let p = pos + 4;
    if (options) {
      if (p + 2 > end) return false;
      scopeCount = buf.readUInt16BE(p);
      p += 2;
      // "The Scope Field Count MUST NOT be zero" (RFC 7011 §3.4.2.2).
      if (scopeCount === 0 || scopeCount > fieldCount) return false;
    }
    const specs: TemplateFieldSpec[] = [];
    p = readIpfixFields(buf, p, end, fieldCount, specs);
    if (p < 0) return false;
    const tpl = compileTemplate(10, templateId, specs, options, scopeCount, nowMs);
    if (tpl === undefined) return false;
    registry.setTemplate(domain, tpl);
    pos = p;
  }
  return true; // fewer than 4 bytes left: padding
}

/** NetFlow v9 template flowset (0) body (RFC 3954 §5.2). Returns false if malformed. */
export function parseV9TemplateFlowset(
  buf: Buffer,
  pos: number,
  end: number,
  registry: ExporterRegistry,
  domain: DomainState,
  nowMs: number,
): boolean {
  while (end - pos >= 4) {
    const templateId = buf.readUInt16BE(pos);
    const fieldCount = buf.readUInt16BE(pos + 2);
    if (templateId < 256) return allZero(buf, pos, end);
    pos += 4;
    if (fieldCount === 0) {
      registry.withdraw(domain, templateId, false, false); // not in RFC 3954; treated like IPFIX
      continue;
    }
    if (pos + fieldCount * 4 > end) return false;
    const specs: TemplateFieldSpec[] = [];
    for (let i = 0; i < fieldCount; i++, pos += 4) {
      specs.push({ id: buf.readUInt16BE(pos), length: buf.readUInt16BE(pos + 2) });
    }
    const tpl = compileTemplate(9, templateId, specs, false, 0, nowMs);
    if (tpl === undefined) return false;
    registry.setTemplate(domain, tpl);
  }
  return true;
}

/**
 * NetFlow v9 options template flowset (1) body (RFC 3954 §6.1): template id, option scope length and
 * option length in bytes, then scope fields and option fields (4 bytes each). Returns false if malformed.
 */
export function parseV9OptionsTemplateFlowset(
  buf: Buffer,
  pos: number,
  end: number,
  registry: ExporterRegistry,
  domain: DomainState,
  nowMs: number,
): boolean {
  while (end - pos >= 6) {
    const templateId = buf.readUInt16BE(pos);
    const scopeLen = buf.readUInt16BE(pos + 2);
    const optionLen = buf.readUInt16BE(pos + 4);
    if (templateId < 256) return allZero(buf, pos, end);
    pos += 6;
    if (scopeLen % 4 !== 0 || optionLen % 4 !== 0 || pos + scopeLen + optionLen > end) return false;
    const specs: TemplateFieldSpec[] = [];
    const count = (scopeLen + optionLen) / 4;
    for (let i = 0; i < count; i++, pos += 4) {
      specs.push({ id: buf.readUInt16BE(pos), length: buf.readUInt16BE(pos + 2) });
    }
    const tpl = compileTemplate(9, templateId, specs, true, scopeLen / 4, nowMs);
    if (tpl === undefined) return false;
    registry.setTemplate(domain, tpl);
  }
  return allZero(buf, pos, end);
}
