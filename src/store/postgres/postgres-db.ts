/**
 * PostgreSQL backend on node-postgres (`pg`), for several vpcflow nodes on one database.
 *
 * - A pool of connections; statements outside transactions run on any of them (autocommit).
 * - Transactions are SERIALIZABLE and run side by side: when PostgreSQL reports a conflict
 *   (40001 serialization failure, 40P01 deadlock) the whole transaction runs again after a short,
 *   growing, random pause. The outcome is as if transactions ran one after another, which is what the
 *   repositories' check-then-write code assumes, without a lock in the process or across nodes.
 * - `?` placeholders become `$n`; BIGINT (Unix ms, counts) and NUMERIC (sums) come back as numbers.
 * - A lost or refused connection becomes StoreUnavailableError (503 on the wire). The pool opens new
 *   connections on demand, so requests succeed again as soon as the server is back.
 * - Migrations run under an advisory lock: nodes that start together migrate once.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { runMigrations } from '../migrate.js';
import {
  POSTGRES_DIALECT,
  StoreUnavailableError,
  type Migration,
  type SqlDb,
  type SqlExecutor,
} from '../sql-db.js';
import { toPostgresPlaceholders } from './placeholders.js';

export interface PostgresOptions {
  /** `postgres://USER[:PASSWORD]@HOST[:PORT]/DB[?options]` (libpq URL form). */
  url: string;
  migrations: Migration[];
  /** Connections per node. */
  poolSize?: number | undefined;
  /** Called when a pooled connection fails while idle (the server restarted): logged, never fatal. */
  onIdleError?: ((err: Error) => void) | undefined;
}

/** Arbitrary constant: the advisory lock every node takes to migrate (pg_advisory_lock is per database). */
const MIGRATION_LOCK = 7_346_102_011;
/** How long a transaction keeps retrying conflicts before giving up with a temporary failure. */
const RETRY_BUDGET_MS = 10_000;
/** How long to wait for a connection before the request fails as unavailable. */
const CONNECT_TIMEOUT_MS = 5_000;
/** A statement running longer than this is cancelled (no request should hold a connection for long). */
const STATEMENT_TIMEOUT_MS = 60_000;
/** data_changes rows per table above which they are folded into one. */
const FOLD_ABOVE = 256;
/**
 * How often each node folds every table's data_changes, also those no reader asks about (the data
 * plane writes delivery state all day; only DescribeFlowLogs reads its version).
 */
const FOLD_EVERY_MS = 60_000;

const INT8_OID = 20;
const NUMERIC_OID = 1700;

/** Integers as numbers, like better-sqlite3: Unix ms and counts are far below 2^53. */
function numberParser(text: string): number | string {
  const n = Number(text);
  return Number.isSafeInteger(n) || !/^-?\d+$/.test(text) ? n : text;
}

const TYPES = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === INT8_OID || oid === NUMERIC_OID
      ? numberParser
      : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

export async function openPostgres(opts: PostgresOptions): Promise<SqlDb> {
  const pool = new pg.Pool({
    connectionString: opts.url,
    max: opts.poolSize ?? 10,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    idleTimeoutMillis: 30_000,
    statement_timeout: STATEMENT_TIMEOUT_MS,
    application_name: 'vpcflow',
    types: TYPES,
  });
  // An idle connection that dies (server restart) is dropped from the pool; without a listener the
  // 'error' event would crash the process.
  pool.on('error', (err) => opts.onIdleError?.(err));
  const db = new PostgresDb(pool, describeUrl(opts.url));
  try {
    await db.withSessionLock(MIGRATION_LOCK, () => runMigrations(db, opts.migrations));
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw err;
  }
  return db;
}

/** The URL without its password, for logs and the health endpoint. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    u.password = '';
    return u.toString();
  } catch {
    return 'postgres';
  }
}

type Queryable = Pick<pg.PoolClient, 'query'>;

class PostgresExecutor implements SqlExecutor {
  readonly dialect = POSTGRES_DIALECT;
  constructor(protected readonly target: Queryable) {}

  protected async query(sql: string, params: readonly unknown[]): Promise<pg.QueryResult> {
    try {
      return await this.target.query({ text: toPostgresPlaceholders(sql), values: params.map(toPostgres) });
    } catch (err) {
      throw asStoreError(err);
    }
  }

  /** `query` for the database's own statements run inside this transaction. */
  queryIn(sql: string, params: readonly unknown[]): Promise<pg.QueryResult> {
    return this.query(sql, params);
  }

  async all<T>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    return (await this.query(sql, params)).rows as T[];
  }
  async get<T>(sql: string, params: readonly unknown[] = []): Promise<T | undefined> {
    return (await this.query(sql, params)).rows[0] as T | undefined;
  }
  async run(sql: string, params: readonly unknown[] = []): Promise<{ changes: number }> {
    return { changes: (await this.query(sql, params)).rowCount ?? 0 };
  }
}

/** The transaction an async context runs in; `open` turns false when it ends (timers may outlive it). */
interface Ambient {
  readonly tx: PostgresExecutor;
  open: boolean;
}

class PostgresDb extends PostgresExecutor implements SqlDb {
  readonly #ambient = new AsyncLocalStorage<Ambient>();
  #closed = false;
  readonly #folder: NodeJS.Timeout;

  constructor(
    private readonly pool: pg.Pool,
    readonly location: string,
  ) {
    super(pool);
    this.#folder = setInterval(() => void this.#foldAll(), FOLD_EVERY_MS);
    this.#folder.unref();
  }

  /**
   * Statements on the database itself from inside a transaction's callback run in that transaction,
   * as on SQLite (a repository built over the SqlDb, called from a handler inside the ClientToken unit).
   */
  protected override async query(sql: string, params: readonly unknown[]): Promise<pg.QueryResult> {
    const ambient = this.#ambient.getStore();
    return ambient?.open ? ambient.tx.queryIn(sql, params) : super.query(sql, params);
  }

  async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    // Opened inside another transaction's callback: join it (its conflicts retry the outer one whole).
    const outer = this.#ambient.getStore();
    if (outer?.open) return fn(outer.tx);
    const started = Date.now();
    for (let attempt = 1; ; attempt++) {
      const client = await this.#connect();
      let broken: Error | undefined;
      const ambient: Ambient = { tx: new PostgresExecutor(client), open: true };
      try {
        await client.query('BEGIN ISOLATION LEVEL SERIALIZABLE');
        const result = await this.#ambient.run(ambient, () => fn(ambient.tx));
        ambient.open = false;
        await client.query('COMMIT');
        return result;
      } catch (err) {
        ambient.open = false;
        if (isConnectionError(err) || err instanceof StoreUnavailableError) {
          // Whether a COMMIT sent on a lost connection took effect is unknown: never run fn again.
          broken = err instanceof Error ? err : new Error(String(err));
          throw asStoreError(err);
        }
        await client.query('ROLLBACK').catch((e: unknown) => {
          broken = e instanceof Error ? e : new Error(String(e));
        });
        if (!isConflict(err)) throw err;
        if (Date.now() - started > RETRY_BUDGET_MS) throw new StoreUnavailableError(err);
      } finally {
        releaseClient(client, broken);
      }
      // Full jitter, growing to 50 ms: conflicting transactions spread out instead of colliding again.
      await sleep(Math.random() * Math.min(50, 2 ** attempt));
    }
  }

  /** Runs `fn` while this node holds a session-level advisory lock (other nodes wait for it). */
  async withSessionLock<T>(key: number, fn: () => Promise<T>): Promise<T> {
    const client = await this.#connect();
    let broken: Error | undefined;
    try {
      await client.query('SELECT pg_advisory_lock($1)', [key]);
      try {
        return await fn();
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [key]).catch((e: unknown) => {
          broken = e instanceof Error ? e : new Error(String(e));
        });
      }
    } catch (err) {
      throw asStoreError(err);
    } finally {
      releaseClient(client, broken);
    }
  }

  /**
   * The sums of data_changes per table (migration 20): they grow with every committed write that
   * changed rows, and are read in one snapshot. Folding keeps few rows per table; a fold deletes rows
   * and inserts their sum in one statement, so the sum never moves backwards.
   */
  async dataVersion(tables: readonly string[]): Promise<string> {
    const rows = await this.all<{ table_name: string; total: number; parts: number }>(
      `SELECT table_name, SUM(n) AS total, COUNT(*) AS parts FROM data_changes
       WHERE table_name = ANY(?::text[]) GROUP BY table_name`,
      [tables],
    );
    const byTable = new Map(rows.map((r) => [r.table_name, r]));
    for (const r of rows) if (r.parts > FOLD_ABOVE) void this.#fold(r.table_name);
    return tables.map((t) => byTable.get(t)?.total ?? 0).join(':');
  }

  async #foldAll(): Promise<void> {
    const crowded = await this.all<{ table_name: string }>(
      'SELECT table_name FROM data_changes GROUP BY table_name HAVING COUNT(*) > ?',
      [FOLD_ABOVE],
    ).catch(() => []);
    for (const { table_name } of crowded) await this.#fold(table_name);
  }

  async #fold(table: string): Promise<void> {
    await this.run(
      `WITH gone AS (DELETE FROM data_changes WHERE table_name = ? RETURNING n)
       INSERT INTO data_changes (table_name, n) SELECT ?, SUM(n) FROM gone HAVING COUNT(*) > 0`,
      [table, table],
    ).catch(() => undefined);
  }

  async ping(): Promise<boolean> {
    if (this.#closed) return false;
    try {
      await this.pool.query('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }

  async #connect(): Promise<pg.PoolClient> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (err) {
      throw new StoreUnavailableError(err);
    }
    // A checked-out client whose connection drops emits 'error'; the running query fails on its own.
    client.on('error', ignore);
    return client;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#folder);
    await this.pool.end();
  }
}

function ignore(): void {}

function releaseClient(client: pg.PoolClient, broken: Error | undefined): void {
  client.off('error', ignore);
  // A broken connection is destroyed instead of going back to the pool.
  client.release(broken ?? false);
}

/** SQLSTATEs after which the same transaction may simply run again. */
function isConflict(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '40001' || code === '40P01';
}

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, shutting down)
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '53300', // too_many_connections
]);

export function isConnectionError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && CONNECTION_CODES.has(code)) return true;
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|not queryable/i.test(
    err.message,
  );
}

export function asStoreError(err: unknown): unknown {
  if (err instanceof StoreUnavailableError) return err;
  return isConnectionError(err) ? new StoreUnavailableError(err) : err;
}

/** Booleans become 0/1 (the schema stores flags as INTEGER, as on SQLite). */
function toPostgres(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value;
}
