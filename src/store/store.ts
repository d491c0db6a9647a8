/**
 * The store: typed repositories over one SqlDb (the control plane, SQLite or PostgreSQL), and the record
 * store where flow-log records live (DuckDB by default, PostgreSQL with a database URL;
 * src/store/records). `transaction` hands the callback repositories that all run inside that
 * transaction; records are not part of it.
 */
import { join } from 'node:path';
import { MIGRATIONS } from './migrations.js';
import { ClientTokenRepo } from './repos/client-token-repo.js';
import { DeliveryRepo } from './repos/delivery-repo.js';
import { LeaseRepo } from './repos/lease-repo.js';
import { TemplateRepo } from './repos/template-repo.js';
import { WindowMarkRepo } from './repos/window-mark-repo.js';
import { ExporterBindingRepo } from './repos/exporter-binding-repo.js';
import { FlowLogRepo } from './repos/flow-log-repo.js';
import { IdentityRepo } from './repos/identity-repo.js';
import { LogRepo } from './repos/log-repo.js';
import { NetworkRepo } from './repos/network-repo.js';
import { RamRepo } from './repos/ram-repo.js';
import { NonceRepo } from './repos/nonce-repo.js';
import { ResourceRepo } from './repos/resource-repo.js';
import { TagRepo } from './repos/tag-repo.js';
import type { SqlDb, SqlExecutor } from './sql-db.js';
import { openSqlite } from './sqlite/sqlite-db.js';
import { clearWorld } from './world-reset.js';
import type { DuckDbRecordStore } from './records/duckdb-records.js';
import type { ImportResult } from './records/record-migration.js';
import {
  DEFAULT_RECORDS_MEMORY_LIMIT,
  defaultRecordsThreads,
  type RecordEngine,
  type RecordStoreKind,
  type RecordStore,
} from './records/record-store.js';
import { SqliteRecordStore } from './records/sqlite-records.js';

export interface Repos {
  readonly identity: IdentityRepo;
  readonly network: NetworkRepo;
  readonly logs: LogRepo;
  readonly tags: TagRepo;
  readonly flowLogs: FlowLogRepo;
  readonly resources: ResourceRepo;
  readonly exporters: ExporterBindingRepo;
  readonly clientTokens: ClientTokenRepo;
  readonly ram: RamRepo;
  readonly nonces: NonceRepo;
  /** Data plane: delivery progress per flow log, exporter templates, background leases, window marks. */
  readonly deliveries: DeliveryRepo;
  readonly templates: TemplateRepo;
  readonly leases: LeaseRepo;
  readonly windowMarks: WindowMarkRepo;
}

/** Repositories over one executor (the database, or a transaction). */
export function reposOver(db: SqlExecutor): Repos {
  return {
    identity: new IdentityRepo(db),
    network: new NetworkRepo(db),
    logs: new LogRepo(db),
    tags: new TagRepo(db),
    flowLogs: new FlowLogRepo(db),
    resources: new ResourceRepo(db),
    exporters: new ExporterBindingRepo(db),
    clientTokens: new ClientTokenRepo(db),
    ram: new RamRepo(db),
    nonces: new NonceRepo(db),
    deliveries: new DeliveryRepo(db),
    templates: new TemplateRepo(db),
    leases: new LeaseRepo(db),
    windowMarks: new WindowMarkRepo(db),
  };
}

export class Store {
  readonly repos: Repos;

  constructor(
    readonly db: SqlDb,
    /** Flow-log records (append, query, delete by logstore / TTL). */
    readonly records: RecordStore = new SqliteRecordStore(db),
  ) {
    this.repos = reposOver(db);
  }

  get kind(): SqlDb['dialect']['name'] {
    return this.db.dialect.name;
  }

  /**
   * Runs `fn` in one transaction. Flow-log state changes that have come due are applied first (one
   * indexed probe when none are), so no check inside a transaction sees a state whose time has passed.
   */
  transaction<T>(fn: (repos: Repos) => Promise<T>): Promise<T> {
    return this.db.transaction(async (tx) => {
      const repos = reposOver(tx);
      await repos.flowLogs.settle(Date.now());
      return fn(repos);
    });
  }

  /**
   * Empties the world and runs `fn` (bootstrap and seed loading) in the same transaction: all of it or,
   * when `fn` throws, none of it (POST /_vpcflow/reset).
   */
  async resetWorld<T>(fn: (repos: Repos) => Promise<T>): Promise<T> {
    const result = await this.db.transaction(async (tx) => {
      await clearWorld(tx);
      return fn(reposOver(tx));
    });
    // The records of the world that is gone; only after the reload committed, so a failed one keeps them.
    await this.records.clear();
    return result;
  }

  /** Applies due flow-log state changes now, as every transaction does first; cheap when none are due. */
  async settleDue(): Promise<void> {
    if (await this.repos.flowLogs.hasDue(Date.now())) await this.transaction(async () => undefined);
  }

  async close(): Promise<void> {
    try {
      await this.records.close();
    } finally {
      await this.db.close();
    }
  }
}

export interface StoreConfig {
  /** Directory for the SQLite and DuckDB files; ignored when inMemory. */
  dataDir: string;
  inMemory: boolean;
  /**
   * Where records live: default duckdb, or postgres with `databaseUrl` (shared by every node); `sqlite`
   * keeps them as rows of the SQLite file, as before; `duckdb` with `databaseUrl` keeps them per node.
   */
  recordStore?: RecordStoreKind;
  /** DuckDB `memory_limit` (default 1GB). */
  recordsMemoryLimit?: string;
  /** DuckDB `threads` (default: all cores but one). */
  recordsThreads?: number;
  /** Called once when records of an earlier version were moved from SQLite into DuckDB at open. */
  onImport?: (result: ImportResult) => void;
  /** Called once when a DuckDB record file of an earlier schema version was rewritten at open. */
  onRecordUpgrade?: (result: { fromVersion: number; records: number }) => void;
  /**
   * A PostgreSQL URL: the shared control plane of several nodes, instead of the embedded SQLite file,
   * and by default their shared record store (src/store/records/postgres-records.ts).
   */
  databaseUrl?: string | undefined;
  /** PostgreSQL connections per node. */
  poolSize?: number | undefined;
  /** A pooled PostgreSQL connection failed while idle (logged; the pool reconnects on demand). */
  onIdleError?: ((err: Error) => void) | undefined;
}

export const SQLITE_FILE = 'vpcflow.sqlite';
export { DEFAULT_RECORDS_MEMORY_LIMIT, defaultRecordsThreads, type RecordEngine, type RecordStoreKind };
export const DUCKDB_FILE = 'vpcflow-records.duckdb';

export async function openStore(config: StoreConfig): Promise<Store> {
  if (!config.databaseUrl && config.recordStore === 'postgres') {
    throw new Error('--record-store postgres keeps records in the --database-url database: give one');
  }
  let db: SqlDb;
  if (config.databaseUrl) {
    if (config.recordStore === 'sqlite') {
      throw new Error('--record-store sqlite keeps records in the SQLite file: not with --database-url');
    }
    // Loaded only when used: the embedded store's start-up does not pay for the driver.
    const { openPostgres } = await import('./postgres/postgres-db.js');
    db = await openPostgres({
      url: config.databaseUrl,
      migrations: MIGRATIONS,
      poolSize: config.poolSize,
      onIdleError: config.onIdleError,
    });
  } else {
    const path = config.inMemory ? ':memory:' : join(config.dataDir, SQLITE_FILE);
    db = await openSqlite({ path, migrations: MIGRATIONS });
    if (config.recordStore === 'sqlite') return new Store(db);
  }
  if (config.databaseUrl && config.recordStore !== 'duckdb') {
    // One record store every node shares, in the same database (migration 23), on a pool of its own.
    try {
      const { PostgresRecordStore } = await import('./records/postgres-records.js');
      const records = await PostgresRecordStore.open({
        url: config.databaseUrl,
        poolSize: config.poolSize,
        onIdleError: config.onIdleError,
      });
      return new Store(db, records);
    } catch (err) {
      await db.close();
      throw err;
    }
  }
  let records: DuckDbRecordStore | undefined;
  try {
    // Loaded on demand: the native DuckDB library is large, and commands that never open records (the
    // `logs` client) or keep them in SQLite should not pay for it.
    const { DuckDbRecordStore } = await import('./records/duckdb-records.js');
    const { importSqliteRecords } = await import('./records/record-migration.js');
    records = await DuckDbRecordStore.open({
      path: config.inMemory ? ':memory:' : join(config.dataDir, DUCKDB_FILE),
      memoryLimit: config.recordsMemoryLimit ?? DEFAULT_RECORDS_MEMORY_LIMIT,
      threads: config.recordsThreads ?? defaultRecordsThreads(),
      ...(config.onRecordUpgrade ? { onUpgrade: config.onRecordUpgrade } : {}),
    });
    // Records of an earlier version (SQLite rows) move into DuckDB once; PostgreSQL never held any.
    if (db.dialect.name === 'sqlite') {
      const imported = await importSqliteRecords(db, records);
      if (imported.records > 0 || imported.resumed) config.onImport?.(imported);
    }
  } catch (err) {
    await records?.close().catch(() => undefined);
    await db.close();
    throw err;
  }
  return new Store(db, records);
}
