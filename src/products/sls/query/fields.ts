/**
 * Field catalog: the SLS field names a logstore exposes, the typed SQL column each one is stored in,
 * and its SLS index type. `long` fields compare numerically; `text` fields compare as strings.
 */
export type FieldType = 'text' | 'long';

export interface FieldDef {
  /** SLS field name as clients write it, e.g. `eni-id`, `__time__`. */
  name: string;
  /** SQL column name in the record table, e.g. `eni_id`, `time`. */
  column: string;
  type: FieldType;
}

/**
 * The VPC flow-log fields (https://www.alibabacloud.com/help/en/sls/vpc),
 * stored one typed column per field.
 */
export const FLOW_LOG_FIELDS: readonly FieldDef[] = Object.freeze([
  { name: 'version', column: 'version', type: 'long' },
  { name: 'vswitch-id', column: 'vswitch_id', type: 'text' },
  { name: 'vm-id', column: 'vm_id', type: 'text' },
  { name: 'vpc-id', column: 'vpc_id', type: 'text' },
  { name: 'account-id', column: 'account_id', type: 'text' },
  { name: 'eni-id', column: 'eni_id', type: 'text' },
  { name: 'region', column: 'region', type: 'text' },
  { name: 'srcaddr', column: 'srcaddr', type: 'text' },
  { name: 'srcport', column: 'srcport', type: 'long' },
  { name: 'dstaddr', column: 'dstaddr', type: 'text' },
  { name: 'dstport', column: 'dstport', type: 'long' },
  { name: 'protocol', column: 'protocol', type: 'long' },
  { name: 'direction', column: 'direction', type: 'text' },
  { name: 'packets', column: 'packets', type: 'long' },
  { name: 'bytes', column: 'bytes', type: 'long' },
  { name: 'start', column: 'start', type: 'long' },
  { name: 'end', column: 'end', type: 'long' },
  { name: 'log-status', column: 'log_status', type: 'text' },
  { name: 'action', column: 'action', type: 'text' },
  { name: 'tcp-flags', column: 'tcp_flags', type: 'long' },
  { name: '__topic__', column: 'topic', type: 'text' },
  { name: '__source__', column: 'source', type: 'text' },
  { name: '__time__', column: 'time', type: 'long' },
]);

/** Lookup structure built once per catalog (cached by array identity). */
export interface FieldCatalog {
  readonly fields: readonly FieldDef[];
  readonly byName: ReadonlyMap<string, FieldDef>;
  readonly textFields: readonly FieldDef[];
  readonly longFields: readonly FieldDef[];
}

const catalogCache = new WeakMap<readonly FieldDef[], FieldCatalog>();

export function fieldCatalog(fields: readonly FieldDef[]): FieldCatalog {
  let catalog = catalogCache.get(fields);
  if (!catalog) {
    const byName = new Map<string, FieldDef>();
    for (const f of fields) byName.set(f.name, f);
    catalog = {
      fields,
      byName,
      textFields: fields.filter((f) => f.type === 'text'),
      longFields: fields.filter((f) => f.type === 'long'),
    };
    catalogCache.set(fields, catalog);
  }
  return catalog;
}
