/**
 * The storage interface every backend implements: a small async SQL executor. Repositories
 * (src/store/repos) are written once in the portable SQL subset both SQLite and PostgreSQL accept,
 * with `?` placeholders; a backend translates placeholders and value types. It is async from day
 * one because PostgreSQL is.
 */
export type Row = Record<string, unknown>;

export interface SqlExecutor {
  all<T = Row>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  get<T = Row>(sql: string, params?: readonly unknown[]): Promise<T | undefined>;
  /** Runs a statement; `changes` is the number of rows it inserted, updated or deleted. */
  run(sql: string, params?: readonly unknown[]): Promise<{ changes: number }>;
}

export interface SqlDb extends SqlExecutor {
  readonly dialect: 'sqlite' | 'postgres';
  /** Where the data lives, for the health endpoint (`:memory:`, a file path, a server). */
  readonly location: string;
  /**
   * Runs `fn` in one transaction: all of it or none of it. Other callers wait for it to finish, so the
   * checks `fn` makes still hold when it writes. Called again from inside `fn` (the same async
   * context), it joins the transaction already open instead of waiting for it; statements run on the
   * SqlDb itself from inside `fn` also run in that transaction.
   */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /**
   * A token that changes whenever any of `tables` may have changed (here or, for a shared database,
   * on another node). Read caches compare it to decide whether they are still valid.
   */
  dataVersion(tables: readonly string[]): Promise<string>;
  close(): Promise<void>;
}

export interface Migration {
  version: number;
  name: string;
  /** Statements in the portable subset, run in order inside one transaction. */
  statements: string[];
}

/** `?, ?, ?` for an IN list or VALUES row of `n` parameters. */
export function placeholders(n: number): string {
  return Array.from({ length: n }, () => '?').join(', ');
}
