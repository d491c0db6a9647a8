/**
 * The store: typed repositories over one SqlDb. `transaction` hands the callback a Store whose
 * repositories all run inside that transaction.
 */
import { join } from 'node:path';
import { MIGRATIONS } from './migrations.js';
import { ClientTokenRepo } from './repos/client-token-repo.js';
import { ExporterBindingRepo } from './repos/exporter-binding-repo.js';
import { FlowLogRepo } from './repos/flow-log-repo.js';
import { IdentityRepo } from './repos/identity-repo.js';
import { LogRepo } from './repos/log-repo.js';
import { NetworkRepo } from './repos/network-repo.js';
import { RamRepo } from './repos/ram-repo.js';
import { RecordRepo } from './repos/record-repo.js';
import { ResourceRepo } from './repos/resource-repo.js';
import { TagRepo } from './repos/tag-repo.js';
import type { SqlDb, SqlExecutor } from './sql-db.js';
import { openSqlite } from './sqlite/sqlite-db.js';
import { clearWorld } from './world-reset.js';

export interface Repos {
  readonly identity: IdentityRepo;
  readonly network: NetworkRepo;
  readonly logs: LogRepo;
  readonly tags: TagRepo;
  readonly flowLogs: FlowLogRepo;
  readonly resources: ResourceRepo;
  readonly records: RecordRepo;
  readonly exporters: ExporterBindingRepo;
  readonly clientTokens: ClientTokenRepo;
  readonly ram: RamRepo;
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
    clientTokens: new ClientTokenRepo(db),
    ram: new RamRepo(db),
  };
}

export class Store {
  readonly repos: Repos;

  constructor(readonly db: SqlDb) {
    this.repos = reposOver(db);
  }

  get kind(): SqlDb['dialect'] {
    return this.db.dialect;
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
  resetWorld<T>(fn: (repos: Repos) => Promise<T>): Promise<T> {
    return this.db.transaction(async (tx) => {
      await clearWorld(tx);
      return fn(reposOver(tx));
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
  /** Directory for the SQLite file; ignored when inMemory. */
  dataDir: string;
  inMemory: boolean;
}

export async function openStore(config: StoreConfig): Promise<Store> {
  const path = config.inMemory ? ':memory:' : join(config.dataDir, 'vpcflow.sqlite');
  return new Store(await openSqlite({ path, migrations: MIGRATIONS }));
}
