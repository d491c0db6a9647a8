/**
 * The store: typed repositories over one SqlDb. `transaction` hands the callback a Store whose
 * repositories all run inside that transaction.
 */
import { join } from 'node:path';
import { MIGRATIONS } from './migrations.js';
import { ExporterBindingRepo } from './repos/exporter-binding-repo.js';
import { FlowLogRepo } from './repos/flow-log-repo.js';
import { IdentityRepo } from './repos/identity-repo.js';
import { LogRepo } from './repos/log-repo.js';
import { NetworkRepo } from './repos/network-repo.js';
import { NonceRepo } from './repos/nonce-repo.js';
import { RecordRepo } from './repos/record-repo.js';
import { ResourceRepo } from './repos/resource-repo.js';
import { TagRepo } from './repos/tag-repo.js';
import type { SqlDb, SqlExecutor } from './sql-db.js';
import { openSqlite } from './sqlite/sqlite-db.js';

export interface Repos {
  readonly identity: IdentityRepo;
  readonly network: NetworkRepo;
  readonly logs: LogRepo;
  readonly tags: TagRepo;
  readonly flowLogs: FlowLogRepo;
  readonly resources: ResourceRepo;
  readonly records: RecordRepo;
  readonly exporters: ExporterBindingRepo;
  readonly nonces: NonceRepo;
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
    records: new RecordRepo(db),
    exporters: new ExporterBindingRepo(db),
    nonces: new NonceRepo(db),
  };
}

export class Store {
  readonly repos: Repos;

  constructor(readonly db: SqlDb) {
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

  /** Applies due flow-log state changes now, as every transaction does first; cheap when none are due. */
  async settleDue(): Promise<void> {
    if (await this.repos.flowLogs.hasDue(Date.now())) await this.transaction(async () => undefined);
  }

  close(): Promise<void> {
    return this.db.close();
  }
}

export interface StoreConfig {
  /** Directory for the SQLite file; ignored when inMemory or with a database URL. */
  dataDir: string;
  inMemory: boolean;
  /** A PostgreSQL URL: the shared store of several nodes, instead of the embedded SQLite file. */
  databaseUrl?: string | undefined;
  /** PostgreSQL connections per node. */
  poolSize?: number | undefined;
  /** A pooled PostgreSQL connection failed while idle (logged; the pool reconnects on demand). */
  onIdleError?: ((err: Error) => void) | undefined;
}

export async function openStore(config: StoreConfig): Promise<Store> {
  if (config.databaseUrl) {
    // Loaded only when used: the embedded store's start-up does not pay for the driver.
    const { openPostgres } = await import('./postgres/postgres-db.js');
    return new Store(
      await openPostgres({
        url: config.databaseUrl,
        migrations: MIGRATIONS,
        poolSize: config.poolSize,
        onIdleError: config.onIdleError,
      }),
    );
  }
  const path = config.inMemory ? ':memory:' : join(config.dataDir, 'vpcflow.sqlite');
  return new Store(await openSqlite({ path, migrations: MIGRATIONS }));
}
