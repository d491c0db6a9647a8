/**
 * `?` placeholders (the repositories' portable form) to PostgreSQL's `$1, $2, ...`. Question marks
 * inside string literals, quoted identifiers, dollar-quoted bodies and comments are left alone.
 * Statements already written with `$n` (the SLS query compiler's PostgreSQL output) have no bare `?`
 * and pass through unchanged. Results are cached: repositories reuse a small set of statements.
 */
const cache = new Map<string, string>();
const CACHE_LIMIT = 2_000;

export function toPostgresPlaceholders(sql: string): string {
  if (!sql.includes('?')) return sql;
  const hit = cache.get(sql);
  if (hit !== undefined) return hit;
  const out = translate(sql);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(sql, out);
  return out;
}

function translate(sql: string): string {
  let out = '';
  let n = 0;
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    const skipTo = (end: string, from: number): number => {
      const at = sql.indexOf(end, from);
      return at < 0 ? sql.length : at + end.length;
    };
    let next = i + 1;
    if (c === "'") next = endOfQuoted(sql, i, "'");
    else if (c === '"') next = endOfQuoted(sql, i, '"');
    else if (c === '-' && sql[i + 1] === '-') next = skipTo('\n', i);
    else if (c === '/' && sql[i + 1] === '*') next = skipTo('*/', i + 2);
    else if (c === '$' && sql[i + 1] === '$') next = skipTo('$$', i + 2);
    else if (c === '?') {
      out += `$${++n}`;
      i = next;
      continue;
    }
    out += sql.slice(i, next);
    i = next;
  }
  return out;
}

/** The index after a quoted token starting at `start`; a doubled quote is an escaped quote. */
function endOfQuoted(sql: string, start: number, quote: string): number {
  let i = start + 1;
  while (i < sql.length) {
    if (sql[i] === quote) {
      if (sql[i + 1] === quote) i += 2;
      else return i + 1;
    } else i++;
  }
  return sql.length;
}
