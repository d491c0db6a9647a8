/**
 * The storage interface every backend implements: a small async SQL executor. Repositories
 * (src/store/repos) are written once in the portable SQL subset both SQLite and PostgreSQL accept,
 * with `?` placeholders; a backend translates placeholders and value types. It is async from day
 * one because PostgreSQL is.
 */
export type Row = Record<string, unknown>;

/**
 * What truly differs between the backends, for the few statements that cannot be written once.
 * Everything else is the portable subset.
 */
export interface SqlDialect {
  readonly name: 'sqlite' | 'postgres';
  /**
   * `column` in a WHERE term, with a hint that the planner should not drive the query from its index
   * (SQLite's unary `+`; PostgreSQL plans from statistics and takes no hints, and `+` on text fails).
   */
  noIndex(column: string): string;
  /** The hidden row identity, for tie-breaks and chunked deletes: SQLite's `rowid`, PostgreSQL's `ctid`. */
  readonly rowId: string;
  /** The placeholder of the `n`-th parameter (1-based) in the backend's own syntax (`?` / `$n`). */
  placeholder(n: number): string;
}

export const SQLITE_DIALECT: SqlDialect = {
  name: 'sqlite',
  noIndex: (column) => `+${column}`,
  rowId: 'rowid',
  placeholder: () => '?',
};

export const POSTGRES_DIALECT: SqlDialect = {
  name: 'postgres',
  noIndex: (column) => column,
  rowId: 'ctid',
  placeholder: (n) => `$${n}`,
};

export interface SqlExecutor {
  readonly dialect: SqlDialect;
  all<T = Row>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  get<T = Row>(sql: string, params?: readonly unknown[]): Promise<T | undefined>;
  /** Runs a statement; `changes` is the number of rows it inserted, updated or deleted. */
  run(sql: string, params?: readonly unknown[]): Promise<{ changes: number }>;
}

export interface SqlDb extends SqlExecutor {
  /** Where the data lives, for the health endpoint (`:memory:`, a file path, a server). */
  readonly location: string;
  /**
   * Runs `fn` in one transaction: all of it or none of it, isolated as if transactions ran one after
   * another, so the checks `fn` makes still hold when it writes. SQLite makes other callers wait;
   * PostgreSQL runs transactions side by side (SERIALIZABLE) and runs `fn` again when the database
   * reports a conflict, so `fn` must do nothing outside `tx` that cannot be repeated.
   */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /**
   * A token that changes whenever any of `tables` may have changed (here or, for a shared database,
   * on another node). Read caches compare it to decide whether they are still valid.
   */
  dataVersion(tables: readonly string[]): Promise<string>;
  /** Whether the database answers now (the health endpoint); never throws. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * The database cannot be reached (connection refused or lost, server shutting down or starting up).
 * Requests fail with a 503 envelope (`temporary`) and the next one tries again: nothing is cached
 * about the outage, so service resumes by itself when the database is back.
 */
export class StoreUnavailableError extends Error {
  /** Read by the protocol layers (isTemporaryFailure) without importing the store. */
  readonly temporary = true;
  constructor(cause: unknown) {
    super(`database unavailable: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'StoreUnavailableError';
  }
}

export interface Migration {
  version: number;
  name: string;
  /** Statements in the portable subset, run in order inside one transaction. */
  statements: string[];
  /**
   * Statements only PostgreSQL runs, after the portable ones (triggers and functions, which have no
   * common syntax). SQLite records the version all the same, so both backends count migrations alike.
   */
  postgres?: string[];
}

/** `?, ?, ?` for an IN list or VALUES row of `n` parameters. */
export function placeholders(n: number): string {
  return Array.from({ length: n }, () => '?').join(', ');
}
