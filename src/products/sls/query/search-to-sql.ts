/**
 * Search AST -> boolean SQL expression over the typed record columns.
 *
 * Semantics chosen (SLS tokenises text with delimiters and matches tokens; we store one typed value per
 * field, so we match whole values instead — flow-log values are single tokens like `eni-…`, `ACCEPT`,
 * IP addresses, which makes the two agree in practice):
 * - text field `key: value`   -> whole value, case-insensitive (SLS text indexes are case-insensitive
 *   unless "case sensitive" is enabled): `lower(col) = ?` with the value lower-cased in JS.
 * - `key: pre*`, `key: a?c`   -> `lower(col) LIKE ? ESCAPE '\'`; `%`, `_` and `\` in the literal part
 *   are escaped, `*` -> `%`, `?` -> `_` (SLS fuzzy search).
 * - `key: *`                  -> the field is present: text `col IS NOT NULL AND col <> ''`,
 *   long `col IS NOT NULL`.
 * - long field `key: 10` / `key = 10` / `key > 10` / `key in [a b]` / `key: [a b]` -> numeric
 *   comparisons; a non-numeric value on a long field matches nothing (it cannot equal any number).
 * - numeric comparison or range on a text field -> ParameterInvalid `key (x) is not config as numberic
 *   column` (the message SLS returns when a field is not indexed as long/double).
 * - unknown key -> ParameterInvalid `key (x) is not config as key value config,...`: SLS rejects a
 *   `key: value` on a field without a key/value index with exactly this error; it does not match nothing.
 * - free text (no key)        -> OR over every text field with the same match rules; a numeric term
 *   also matches long fields numerically, since an SLS full-text index covers every value in the log.
 */
import { QueryError } from './errors.js';
import type { FieldCatalog, FieldDef } from './fields.js';
import type { CompareOp, PatternPart, SearchNode, SearchValue } from './search-parser.js';
import { parseNumber } from './search-parser.js';
import type { ParamSink } from './sql-writer.js';
import { quoteIdent } from './sql-writer.js';

const TRUE_SQL = '1=1';
const FALSE_SQL = '1=0';

export function unknownKeyError(key: string, pos?: number): QueryError {
  return new QueryError(
    `key (${key}) is not config as key value config,if symbol : is in your log,please wrap : with quotation mark "`,
    pos,
  );
}

function field(catalog: FieldCatalog, key: string, pos: number): FieldDef {
  const f = catalog.byName.get(key);
  if (!f) throw unknownKeyError(key, pos);
  return f;
}

function numericField(catalog: FieldCatalog, key: string, pos: number): FieldDef {
  const f = field(catalog, key, pos);
  if (f.type !== 'long') throw new QueryError(`key (${key}) is not config as numberic column`, pos);
  return f;
}

/** Escape LIKE metacharacters (with `\` as the ESCAPE character) and map SLS wildcards. */
export function likePattern(parts: readonly PatternPart[]): string {
  let out = '';
  for (const p of parts) {
    if (p.kind === 'star') out += '%';
    else if (p.kind === 'one') out += '_';
    else out += p.text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`);
  }
  return out;
}

function isExists(value: SearchValue): boolean {
  return value.wildcard && value.parts.every((p) => p.kind === 'star');
}

function textMatch(col: string, value: SearchValue, params: ParamSink): string {
  if (isExists(value)) return `(${col} IS NOT NULL AND ${col} <> '')`;
  if (!value.wildcard) return `lower(${col}) = ${params.text(value.text.toLowerCase())}`;
  return `lower(${col}) LIKE ${params.text(likePattern(value.parts))} ESCAPE '\\'`;
}

function longMatch(col: string, value: SearchValue, params: ParamSink): string {
  if (isExists(value)) return `${col} IS NOT NULL`;
  const n = value.wildcard ? null : parseNumber(value.text);
  if (n === null) return FALSE_SQL;
  return `${col} = ${params.number(n)}`;
}

function compare(col: string, op: CompareOp, n: number, params: ParamSink): string {
  return `${col} ${op} ${params.number(n)}`;
}

function joinOr(items: string[]): string {
  if (items.length === 0) return FALSE_SQL;
  return items.length === 1 ? (items[0] as string) : `(${items.join(' OR ')})`;
}

/**
 * Render `node` as a boolean SQL expression. `qualifier` (an already-quoted table alias) prefixes
 * every column, for use inside the analytic SELECT where output aliases could shadow input columns.
 */
export function searchToSql(
  node: SearchNode,
  catalog: FieldCatalog,
  params: ParamSink,
  qualifier?: string,
): string {
  const col = (f: FieldDef): string =>
    qualifier ? `${qualifier}.${quoteIdent(f.column)}` : quoteIdent(f.column);
  switch (node.kind) {
    case 'all':
      return TRUE_SQL;
    case 'and':
      return `(${node.items.map((n) => searchToSql(n, catalog, params, qualifier)).join(' AND ')})`;
    case 'or':
      return `(${node.items.map((n) => searchToSql(n, catalog, params, qualifier)).join(' OR ')})`;
    case 'not':
      // NULL-safe negation: a record without the field must satisfy `not key: x`.
      return `NOT COALESCE(${searchToSql(node.item, catalog, params, qualifier)}, FALSE)`;
    case 'match': {
      if (node.key === null) {
        if (isExists(node.value)) return TRUE_SQL;
        const parts = catalog.textFields.map((f) => textMatch(col(f), node.value, params));
        const n = node.value.wildcard ? null : parseNumber(node.value.text);
        if (n !== null) for (const f of catalog.longFields) parts.push(compare(col(f), '=', n, params));
        return joinOr(parts);
      }
      const f = field(catalog, node.key, node.pos);
      return f.type === 'text'
        ? textMatch(col(f), node.value, params)
        : longMatch(col(f), node.value, params);
    }
    case 'compare': {
      const f = numericField(catalog, node.key, node.pos);
      return compare(col(f), node.op, node.value, params);
    }
    case 'range': {
      const c = col(numericField(catalog, node.key, node.pos));
      const conds: string[] = [];
      if (node.lo) conds.push(compare(c, node.lo.inclusive ? '>=' : '>', node.lo.value, params));
      if (node.hi) conds.push(compare(c, node.hi.inclusive ? '<=' : '<', node.hi.value, params));
      if (conds.length === 0) return `${c} IS NOT NULL`;
      return conds.length === 1 ? (conds[0] as string) : `(${conds.join(' AND ')})`;
    }
  }
}
