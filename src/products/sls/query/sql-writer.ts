/**
 * Dialect-aware bound-parameter sink shared by the search and SQL compilers.
 *
 * Every user-supplied value goes through here, never into the SQL text. Placeholders:
 * - sqlite: positional `?`, so values are recorded in the order their placeholders appear in the text
 *   (callers must render strictly left to right);
 * - postgres, duckdb: numbered `$n` starting after `base` (the caller's own parameters, e.g. the base
 *   filter's `$1..$k`), with an explicit cast so the engine never has to guess a parameter's type.
 */
export type Dialect = 'sqlite' | 'postgres' | 'duckdb';

/** Dialects with numbered `$n` placeholders (the caller's source parameters come first). */
export function numbered(dialect: Dialect): boolean {
  return dialect !== 'sqlite';
}

export class ParamSink {
  readonly values: unknown[] = [];

  constructor(
    readonly dialect: Dialect,
    private readonly base = 0,
  ) {}

  text(value: string): string {
    this.values.push(value);
    return this.dialect === 'sqlite' ? '?' : `$${this.base + this.values.length}::text`;
  }

  /** `double` forces a floating-point literal (`2.0` in SQL is a double even though it is integral). */
  number(value: number, double = false): string {
    const integer = !double && Number.isSafeInteger(value);
    if (this.dialect === 'sqlite') {
      // better-sqlite3 binds every JS number as REAL; integers go in as BigInt so SQLite keeps INTEGER
      // semantics (integer division, like Presto's bigint arithmetic in real SLS).
      this.values.push(integer ? BigInt(value) : value);
      return '?';
    }
    this.values.push(value);
    const cast = integer ? 'bigint' : 'double precision';
    return `$${this.base + this.values.length}::${cast}`;
  }

  /** SQLite only: record parameters of a caller-supplied SQL fragment spliced at the current position. */
  splice(params: readonly unknown[]): void {
    if (this.dialect !== 'sqlite') throw new Error('splice() is only meaningful for positional placeholders');
    this.values.push(...params);
  }
}

/** Double-quoted identifier (valid in both SQLite and PostgreSQL); embedded quotes are doubled. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
