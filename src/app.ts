/**
 * Wires one vpcflow instance: store, services, the RPC gateway and the HTTP server. Used by the CLI,
 * the tests and the benchmarks alike, so all three run exactly the same code.
 */
import { CompileWorker } from './products/sls/query/compile-off-thread.js';
import type { ServerConfig } from './config.js';
import { createLogger, type Logger } from './logger.js';
import { buildRegistry } from './products/operations.js';
import { IdentityService } from './products/identity/identity-service.js';
import { RamAuthorizer } from './products/identity/ram-authorizer.js';
import { SecretBox } from './products/identity/secret-box.js';
import { RamService } from './products/ram/ram-service.js';
import { StsService } from './products/sts/sts-service.js';
import { regionExists } from './products/regions/region-catalog.js';
import type { Services } from './products/services.js';
import { Gateway } from './protocol/gateway.js';
import { NonceCache } from './protocol/nonce-cache.js';
import { Throttle } from './protocol/throttle.js';
import { SharedNonces } from './products/identity/shared-nonces.js';
import { DEFAULT_LIMITS } from './protocol/request.js';
import { startHttpServer, type RunningServer } from './server/http-server.js';
import { openStore, type Store } from './store/store.js';
import { loadSeedFiles } from './seed/seed.js';
import { resetWorld } from './seed/reset.js';
import { FlowLogService } from './products/vpc/flow-logs/flow-log-service.js';
import { TagService } from './products/vpc/tags/tag-service.js';
import { DataPlane } from './dataplane/pipeline/data-plane.js';
import { recoverInterruptedAppends } from './dataplane/pipeline/delivery.js';
import { parseListenAddress } from './dataplane/pipeline/listen-address.js';
import type { ListenAddress } from './dataplane/collector/index.js';
import { createSlsHandler, startTtlSweeper, type TtlSweeper } from './products/sls/api/index.js';
import { DEFAULT_QUERY_BUDGET, QueryGate, type QueryBudget } from './products/sls/api/query-budget.js';
import { leadershipFor, SOLE_NODE, type Leadership } from './cluster/leadership.js';
import { journalOwner } from './cluster/node-identity.js';

const FIFTEEN_MINUTES = 15 * 60 * 1000;

export interface App {
  readonly config: ServerConfig;
  readonly store: Store;
  readonly services: Services;
  readonly gateway: Gateway<Services>;
  readonly logger: Logger;
  /** The flow collector and pipeline, when `--collector` is set. */
  readonly dataplane: DataPlane | undefined;
  /** GetLogs statements running per project (`--query-concurrency`, `--search-concurrency`). */
  readonly queryGate: QueryGate;
  /** Set once `listen` has run. */
  server: RunningServer | undefined;
  listen(): Promise<RunningServer>;
  /** Stops accepting, lets in-flight requests finish, closes the store. */
  close(): Promise<void>;
}

export async function createApp(
  config: ServerConfig,
  logger: Logger = createLogger(config.logLevel, undefined, config.logFormat),
): Promise<App> {
  const store = await openStore({
    dataDir: config.dataDir,
    inMemory: config.inMemory,
    recordStore: config.recordStore,
    recordsMemoryLimit: config.recordsMemoryLimit,
    recordsThreads: config.recordsThreads,
    onImport: ({ records, resumed }) =>
      logger.info('records of an earlier version moved from SQLite to DuckDB', { records, resumed }),
    onRecordUpgrade: ({ fromVersion, records }) =>
      logger.info('record file upgraded to the current schema', { fromVersion, records }),
    databaseUrl: config.databaseUrl,
    poolSize: config.databasePoolSize,
    onIdleError: (err) => logger.warn('database connection lost', { error: err.message }),
  });
  let dataplane: DataPlane | undefined;
  // Which node writes NODATA / SKIPDATA when several share the database (src/cluster/leadership.ts).
  let statusLease: Leadership = SOLE_NODE;
  let services: Services;
  try {
    const secrets = SecretBox.open({
      envKey: config.secretKey,
      dataDir: config.dataDir,
      inMemory: config.inMemory,
    });
    const identity = new IdentityService(store, secrets);
    const flowLogs = new FlowLogService(store, config.transitionMs);
    services = {
      store,
      identity,
      config,
      flowLogs,
      tags: new TagService(store),
      ram: new RamService(store, secrets),
      sts: new StsService(store, identity),
    };
    await identity.checkSecretKey();
    await identity.bootstrap(config.identity);
    await loadSeedFiles(config.seedFiles, services);
    await identity.sealLegacySecrets();
    // State changes cut short by a stop or crash complete now if they are due.
    await store.settleDue();
    // Deliveries a crash cut short between journal and acknowledgement: stored, or SKIPDATA.
    // With several nodes on one database, each settles only its own journal entries.
    const owner = journalOwner(store, config);
    await recoverInterruptedAppends(store, logger, owner);
    if (config.collectors.length > 0) {
      statusLease = await leadershipFor(store, 'status-records', { leaseMs: config.leaderLeaseMs, logger });
      dataplane = new DataPlane({
        store,
        listen: config.collectors.map((c) => parseListenAddress(c) as ListenAddress),
        flushGraceMs: config.flushGraceMs,
        logger,
        collectorLimits: {
          maxTemplates: config.maxTemplates,
          maxTemplatesPerExporter: config.maxTemplatesPerExporter,
          maxTemplateFields: config.maxTemplateFields,
          maxDomains: config.maxDomains,
          maxDomainsPerExporter: config.maxDomainsPerExporter,
        },
        ...(store.kind === 'postgres' ? { shared: { leadership: statusLease } } : {}),
        journalOwner: owner,
      });
      await dataplane.start();
    }
  } catch (err) {
    // A failed start (bad seed file, collector port taken) must not leave the database open.
    await dataplane?.stop().catch(() => undefined);
    await statusLease.stop();
    await store.close();
    throw err;
  }
  const identity = services.identity;
  const authorizer = new RamAuthorizer(identity, services.ram);
  const gateway = new Gateway<Services>({
    registry: buildRegistry(),
    services,
    authorizer,
    auth: {
      lookupAccessKey: (id) => identity.lookupAccessKey(id),
      // One process remembers nonces in memory; nodes sharing PostgreSQL remember them there.
      nonces:
        store.kind === 'postgres'
          ? new SharedNonces(store.repos.nonces, config.noncesPerKey)
          : new NonceCache(FIFTEEN_MINUTES, config.noncesPerKey),
      skewMs: FIFTEEN_MINUTES,
      now: Date.now,
    },
    limits: DEFAULT_LIMITS,
    regionExists,
    defaultHost: 'vpc.aliyuncs.com',
    logger,
    // ClientToken answers are kept in the store, in the same transaction as the handler's writes.
    clientTokens: { atomically: (work) => store.transaction((repos) => work(repos.clientTokens)) },
    clientTokenTtlMs: config.clientTokenTtlMs,
    throttle: new Throttle(config.throttleRps),
  });
  const queryBudget = queryBudgetOf(config);
  const queryGate = new QueryGate(queryBudget);
  // GetLogs analytic statements are parsed on this worker thread (compile-off-thread.ts).
  const compiler = new CompileWorker();
  // The SLS endpoint (same port, recognised by request shape) and the logstore TTL sweeper.
  const sls = createSlsHandler({
    store,
    lookupAccessKey: (id) => identity.lookupAccessKey(id),
    authorizer,
    logger,
    throttle: new Throttle(config.throttleRps),
    queryBudget,
    queryGate,
    compiler,
  });
  let ttlSweeper: TtlSweeper | undefined;
  let ttlLease: Leadership | undefined;
  const app: App = {
    config,
    store,
    services,
    gateway,
    logger,
    dataplane,
    queryGate,
    server: undefined,
    async listen() {
      app.server = await startHttpServer({
        host: config.host,
        port: config.port,
        gateway,
        logger,
        store,
        sls,
        dataplane,
        reload: async () => {
          // Open aggregates are emitted first, so none lands after the reset in a world that changed.
          await dataplane?.flush();
          const result = await resetWorld(services, config);
          dataplane?.invalidate();
          logger.info('world reset', { seedFiles: result.seedFiles });
          return result;
        },
        adminToken: config.adminToken,
        limits: config,
        identity,
      });
      // Nodes sharing one record store sweep it one at a time; records kept per node, each its own.
      ttlLease ??= await leadershipFor(store, 'ttl-sweep', {
        leaseMs: config.leaderLeaseMs,
        logger,
        shared: store.records.dialect === 'postgres',
      });
      ttlSweeper ??= startTtlSweeper(store, { logger, leadership: ttlLease });
      compiler.warm();
      return app.server;
    },
    async close() {
      if (app.server) await app.server.close();
      await compiler.close();
      await ttlSweeper?.stop();
      await ttlLease?.stop();
      await dataplane?.stop();
      await statusLease.stop();
      await store.close();
    },
  };
  return app;
}

/** The GetLogs query budget from the `--query-*` / `--search-concurrency` settings. */
function queryBudgetOf(config: ServerConfig): QueryBudget {
  return {
    ...DEFAULT_QUERY_BUDGET,
    timeoutMs: config.queryTimeoutMs,
    analyticConcurrency: config.queryConcurrency,
    searchConcurrency: config.searchConcurrency,
    maxResponseBytes: config.queryMaxResponseBytes,
    cost: {
      terms: config.queryMaxTerms,
      likes: config.queryMaxLikes,
      columns: config.queryMaxColumns,
      literalBytes: config.queryMaxLiteralBytes,
    },
  };
}
