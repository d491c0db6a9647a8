/**
 * A stored record as SLS returns it: a map of strings with `__time__`, `__topic__`, `__source__` first,
 * then every flow-log field under its SLS name (`eni-id`, `log-status`, ...;
 * https://www.alibabacloud.com/help/en/sls/vpc).
 */
import { FLOW_LOG_FIELDS, formatValue } from '../query/index.js';

const META = ['__time__', '__topic__', '__source__'];
const ORDERED = [
  ...META.map((name) => FLOW_LOG_FIELDS.find((f) => f.name === name)),
  ...FLOW_LOG_FIELDS.filter((f) => !META.includes(f.name)),
].filter((f) => f !== undefined);

/** Field names in the order records are rendered (the CLI table uses the same order). */
export const RECORD_FIELD_NAMES: readonly string[] = ORDERED.map((f) => f.name);

/**
 * NULL columns print as `-`: the writer leaves fields that do not apply empty (a NODATA record has no
 * addresses or ports), and `-` is what flow-log formats put there (AWS does; Alibaba's field page,
 * https://www.alibabacloud.com/help/en/sls/vpc, defines NODATA but not what its other fields hold).
 */
export function recordToSls(row: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of ORDERED) {
    const v = row[f.column];
    out[f.name] = v === null || v === undefined ? '-' : formatValue(v);
  }
  return out;
}
