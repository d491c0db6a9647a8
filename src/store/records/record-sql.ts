/**
 * The record reads every engine shares, written per dialect: the base filter of a logstore and time
 * range (the `source` the query compiler selects from) and a page of search results. SQLite takes `?`
 * placeholders in text order; PostgreSQL takes numbered `$n`, with the base filter's parameters
 * first, which is the order the query compiler's `where` / `analytic` output assumes
 * (src/products/sls/query/compile-query.ts). DuckDB gets the base filter's values as literals (see
 * Params.add), so its filter has no parameters and the compiler's own are numbered from `$1`.
 */
import type { LogstoreRef, RecordDialect, RecordFilter } from './record-store.js';

export const RECORD_TABLE = 'log_records';

class Params {
  readonly values: unknown[] = [];
  constructor(private readonly dialect: RecordDialect) {}
  /** `cast` is the column type, so PostgreSQL compares like with like and its indexes still apply. */
  add(value: unknown, cast: 'text' | 'bigint'): string {
    // DuckDB skips row groups by their min/max (zone maps) only for comparisons with constants: a
    // prepared statement's parameter is not folded into the scan's filters, so every row group is read.
    // Measured over 10 M records (bench/getlogs.ts data, one thread): one hour of top talkers 73-89 ms
    // with parameters, 13-16 ms with literals; a week 3.4 s against 1.1-2.2 s. The base filter's values
    // are the logstore's names and validated integers, written as literals (strings quoted, quotes doubled).
    if (this.dialect === 'duckdb') {
      if (typeof value === 'string') return `'${value.replaceAll("'", "''")}'`;
      if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
    }
    this.values.push(value);
    return this.dialect === 'sqlite' ? '?' : `$${this.values.length}::${cast}`;
  }
}

/**
 * The base condition of a read, over the bare record columns. `key` is the logstore's
 * `logstore_key` where the engine numbers logstores (RecordStore.logstoreKey: DuckDB), one integer
 * to test instead of three names.
 */
export function recordFilter(
  dialect: RecordDialect,
  store: LogstoreRef,
  filter: RecordFilter,
  key?: number,
): { sql: string; params: unknown[] } {
  const p = new Params(dialect);
  const logstore =
    key === undefined
      ? `region_id = ${p.add(store.regionId, 'text')} AND project_name = ${p.add(store.projectName, 'text')}` +
        ` AND logstore_name = ${p.add(store.logstoreName, 'text')}`
      : `logstore_key = ${p.add(key, 'bigint')}`;
  let sql = `${logstore} AND time >= ${p.add(filter.from, 'bigint')} AND time < ${p.add(filter.to, 'bigint')}`;
  if (filter.eniIds && filter.eniIds.length > 0) {
    sql += ` AND eni_id IN (${filter.eniIds.map((id) => p.add(id, 'text')).join(', ')})`;
  }
  if (filter.topic) sql += ` AND topic = ${p.add(filter.topic, 'text')}`;
  return { sql, params: p.values };
}

/** The `source` subquery for the query compiler's analytic statements: the filtered records. */
export function filteredRecordSource(
  dialect: RecordDialect,
  store: LogstoreRef,
  filter: RecordFilter,
  key?: number,
): { source: string; params: unknown[] } {
  const base = recordFilter(dialect, store, filter, key);
  return { source: `(SELECT * FROM ${RECORD_TABLE} WHERE ${base.sql})`, params: base.params };
}

/**
 * One page of search results: the logstore's records matching `filter` and the compiled search
 * condition `where` (bare record columns, placeholders numbered after the base filter's), in time order
 * (`reverse`: newest first). `rowid` (insertion order in every engine: SQLite's and DuckDB's own, a
 * sequence-filled column on PostgreSQL, migration 23) breaks ties so that paging with `offset` never
 * repeats or skips a record, and every engine returns the same page.
 */
export function searchSql(
  dialect: RecordDialect,
  store: LogstoreRef,
  filter: RecordFilter,
  where: { sql: string; params: readonly unknown[] },
  page: { offset: number; limit: number; reverse: boolean },
  key?: number,
): { sql: string; params: unknown[] } {
  const base = recordFilter(dialect, store, filter, key);
  const dir = page.reverse ? 'DESC' : 'ASC';
  // SQLite (no statistics) with an ENI filter still walks `log_records_time` to avoid a sort and reads
  // every record of the range; `+` makes the ORDER BY terms non-indexable so `log_records_eni` seeks the
  // few records of that ENI and sorts them (0.8 ms instead of 20-50 ms over 2 M records).
  const plus = dialect === 'sqlite' && filter.eniIds?.length ? '+' : '';
  const order = `${plus}time ${dir}, ${plus}rowid ${dir}`;
  // limit and offset are validated integers (GetLogs `line` / `offset`), written as literals.
  const limit = `LIMIT ${Math.trunc(page.limit)} OFFSET ${Math.trunc(page.offset)}`;
  return {
    sql: `SELECT * FROM ${RECORD_TABLE} WHERE ${base.sql} AND (${where.sql}) ORDER BY ${order} ${limit}`,
    params: [...base.params, ...where.params],
  };
}
