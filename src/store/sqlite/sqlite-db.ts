/**
 * SQLite backend on better-sqlite3 (synchronous, in-process). WAL mode so readers never wait for the
 * writer and a `kill -9` loses nothing committed; `synchronous = NORMAL` is durable against process
 * crashes (only an OS crash can lose the last transactions), and much faster than FULL.
 *
 * better-sqlite3 runs each statement synchronously, but a transaction's callback is async: other
 * requests could run statements in the middle of it. A promise-chain lock makes them wait until the
 * transaction ends.
 *
 * A transaction started inside another's callback (same async context) joins it: the outer caller
 * (the gateway, for ClientToken and DryRun) can make a handler's own transaction part of a larger
 * one, and statements run on the database itself from inside the callback go straight through
 * instead of waiting for the lock their own transaction holds.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { SQLITE_DIALECT, type Migration, type SqlDb, type SqlExecutor } from '../sql-db.js';
import { runMigrations } from '../migrate.js';

type Statement = Database.Statement<unknown[]>;

export interface SqliteOptions {
  /** A file path, or `:memory:`. */
  path: string;
  migrations: Migration[];
}

export async function openSqlite(opts: SqliteOptions): Promise<SqlDb> {
  if (opts.path !== ':memory:') mkdirSync(dirname(opts.path), { recursive: true });
  const db = new Database(opts.path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // Reads straight from the file's pages in memory instead of a read() per page into SQLite's own 2 MiB
  // cache (https://www.sqlite.org/mmap.html): at a million flow logs a DescribeFlowLogs page touches
  // index ranges far larger than that cache, and spent more time copying pages than reading them.
  db.pragma('mmap_size = 1073741824');
  const sqlite = new SqliteDb(db, opts.path);
  await runMigrations(sqlite, opts.migrations);
  return sqlite;
}

/** Writes per table, counted by the executors, for `dataVersion`. */
type WriteCounters = Map<string, number>;

const WRITE_TARGET = /^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?/i;

/** Prepared statements and their write targets, shared by the database and its transactions. */
interface StatementCache {
  statements: Map<string, Statement>;
  targets: Map<string, string | null>;
}

class SqliteExecutor implements SqlExecutor {
  readonly dialect = SQLITE_DIALECT;
  readonly #cache: Map<string, Statement>;
  readonly #targets: Map<string, string | null>;
  constructor(
    protected readonly db: Database.Database,
    protected readonly writes: WriteCounters,
    // One connection, so a transaction can reuse every statement the database has prepared.
    protected readonly statements: StatementCache = { statements: new Map(), targets: new Map() },
  ) {
    this.#cache = statements.statements;
    this.#targets = statements.targets;
  }

  protected prepare(sql: string): Statement {
    let stmt = this.#cache.get(sql);
    if (!stmt) {
      stmt = this.db.prepare(sql);
      if (this.#cache.size > 500) this.#cache.clear();
      this.#cache.set(sql, stmt);
    }
    return stmt;
  }

  allSync<T>(sql: string, params: readonly unknown[]): T[] {
    return this.prepare(sql).all(...params.map(toSqlite)) as T[];
  }
  getSync<T>(sql: string, params: readonly unknown[]): T | undefined {
    return this.prepare(sql).get(...params.map(toSqlite)) as T | undefined;
  }
  runSync(sql: string, params: readonly unknown[]): { changes: number } {
    const changes = this.prepare(sql).run(...params.map(toSqlite)).changes;
    if (changes > 0) this.#countWrite(sql);
    return { changes };
  }

  #countWrite(sql: string): void {
    let table = this.#targets.get(sql);
    if (table === undefined) {
      table = WRITE_TARGET.exec(sql)?.[1]?.toLowerCase() ?? null;
      this.#targets.set(sql, table);
    }
    // Statements whose target is not recognised count against every table.
    const key = table ?? '*';
    this.writes.set(key, (this.writes.get(key) ?? 0) + 1);
  }

  async all<T>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    return this.allSync<T>(sql, params);
  }
  async get<T>(sql: string, params: readonly unknown[] = []): Promise<T | undefined> {
    return this.getSync<T>(sql, params);
  }
  async run(sql: string, params: readonly unknown[] = []): Promise<{ changes: number }> {
    return this.runSync(sql, params);
  }
}

/** The transaction an async context runs in; `open` turns false when it ends (timers may outlive it). */
interface Ambient {
  readonly tx: SqliteExecutor;
  open: boolean;
}

class SqliteDb extends SqliteExecutor implements SqlDb {
  readonly #ambient = new AsyncLocalStorage<Ambient>();
  #lock: Promise<void> = Promise.resolve();
  #dataVersion: Database.Statement | undefined;
  #locked = false;

  constructor(
    db: Database.Database,
    readonly location: string,
  ) {
    super(db, new Map());
  }

  async dataVersion(tables: readonly string[]): Promise<string> {
    // data_version moves when another connection (another process on the same file) commits.
    this.#dataVersion ??= this.db.prepare('PRAGMA data_version').pluck();
    const external = this.#dataVersion.get() as number;
    let local = this.writes.get('*') ?? 0;
    for (const t of tables) local += this.writes.get(t) ?? 0;
    return `${external}:${local}`;
  }

  override async all<T>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    if (this.#locked && !this.#inOpenTransaction()) await this.#waitTurn();
    return this.allSync<T>(sql, params);
  }
  override async get<T>(sql: string, params: readonly unknown[] = []): Promise<T | undefined> {
    if (this.#locked && !this.#inOpenTransaction()) await this.#waitTurn();
    return this.getSync<T>(sql, params);
  }
  override async run(sql: string, params: readonly unknown[] = []): Promise<{ changes: number }> {
    if (this.#locked && !this.#inOpenTransaction()) await this.#waitTurn();
    return this.runSync(sql, params);
  }

  async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    const outer = this.#ambient.getStore();
    if (outer?.open) return fn(outer.tx);
    const previous = this.#lock;
    let release!: () => void;
    this.#lock = new Promise<void>((resolve) => (release = resolve));
    await previous;
    this.#locked = true;
    const tx = new SqliteExecutor(this.db, this.writes, this.statements);
    const ambient: Ambient = { tx, open: true };
    try {
      this.db.exec('BEGIN IMMEDIATE');
      try {
        const result = await this.#ambient.run(ambient, () => fn(tx));
        this.db.exec('COMMIT');
        return result;
      } catch (err) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw err;
      }
    } finally {
      ambient.open = false;
      this.#locked = false;
      release();
    }
  }

  #inOpenTransaction(): boolean {
    return this.#ambient.getStore()?.open === true;
  }

  /** Waits until no transaction holds the connection. */
  async #waitTurn(): Promise<void> {
    while (this.#locked) await this.#lock;
  }

  /** An open SQLite file always answers. */
  async ping(): Promise<boolean> {
    return this.db.open;
  }

  async close(): Promise<void> {
    await this.#waitTurn();
    if (this.db.open) this.db.close();
  }
}

/** better-sqlite3 binds numbers, strings, bigints, buffers and null; booleans become 0/1. */
function toSqlite(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value;
}
