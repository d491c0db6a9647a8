/**
 * Wires one vpcflow instance: store, services, the RPC gateway and the HTTP server. Used by the CLI,
 * the tests and the benchmarks alike, so all three run exactly the same code.
 */
import type { ServerConfig } from './config.js';
import { createLogger, type Logger } from './logger.js';
import { buildRegistry } from './products/operations.js';
import { IdentityService } from './products/identity/identity-service.js';
import { regionExists } from './products/regions/region-catalog.js';
import type { Services } from './products/services.js';
import { Gateway } from './protocol/gateway.js';
import { NonceCache } from './protocol/nonce-cache.js';
import { SharedNonces } from './products/identity/shared-nonces.js';
import { DEFAULT_LIMITS } from './protocol/request.js';
import { startHttpServer, type RunningServer } from './server/http-server.js';
import { openStore, type Store } from './store/store.js';
import { loadSeedFiles } from './seed/seed.js';
import { FlowLogService } from './products/vpc/flow-logs/flow-log-service.js';
import { TagService } from './products/vpc/tags/tag-service.js';
import { DataPlane } from './dataplane/pipeline/data-plane.js';
import { parseListenAddress } from './dataplane/pipeline/listen-address.js';
import type { ListenAddress } from './dataplane/collector/index.js';
import { createSlsHandler, startTtlSweeper, type TtlSweeper } from './products/sls/api/index.js';

const FIFTEEN_MINUTES = 15 * 60 * 1000;

export interface App {
  readonly config: ServerConfig;
  readonly store: Store;
  readonly services: Services;
  readonly gateway: Gateway<Services>;
  readonly logger: Logger;
  /** The flow collector and pipeline, when `--collector` is set. */
  readonly dataplane: DataPlane | undefined;
  /** Set once `listen` has run. */
  server: RunningServer | undefined;
  listen(): Promise<RunningServer>;
  /** Stops accepting, lets in-flight requests finish, closes the store. */
  close(): Promise<void>;
}

export async function createApp(
  config: ServerConfig,
  logger: Logger = createLogger(config.logLevel),
): Promise<App> {
  const store = await openStore({
    dataDir: config.dataDir,
    inMemory: config.inMemory,
    databaseUrl: config.databaseUrl,
    poolSize: config.databasePoolSize,
    onIdleError: (err) => logger.warn('database connection lost', { error: err.message }),
  });
  const identity = new IdentityService(store);
  const flowLogs = new FlowLogService(store, config.transitionMs);
  const services: Services = { store, identity, config, flowLogs, tags: new TagService(store) };
  let dataplane: DataPlane | undefined;
  try {
    await identity.bootstrap(config.identity);
    await loadSeedFiles(config.seedFiles, services);
    // State changes cut short by a stop or crash complete now if they are due.
    await store.settleDue();
    if (config.collectors.length > 0) {
      dataplane = new DataPlane({
        store,
        listen: config.collectors.map((c) => parseListenAddress(c) as ListenAddress),
        flushGraceMs: config.flushGraceMs,
        logger,
      });
      await dataplane.start();
    }
  } catch (err) {
    // A failed start (bad seed file, collector port taken) must not leave the database open.
    await dataplane?.stop().catch(() => undefined);
    await store.close();
    throw err;
  }
  const gateway = new Gateway<Services>({
    registry: buildRegistry(),
    services,
    auth: {
      lookupAccessKey: (id) => identity.lookupAccessKey(id),
      // One process remembers nonces in memory; nodes sharing PostgreSQL remember them there.
      nonces:
        store.kind === 'postgres'
          ? new SharedNonces(store.repos.nonces)
          : new NonceCache(FIFTEEN_MINUTES, 200_000),
      skewMs: FIFTEEN_MINUTES,
      now: Date.now,
    },
    limits: DEFAULT_LIMITS,
    regionExists,
    defaultHost: 'vpc.aliyuncs.com',
    logger,
  });
  // The SLS endpoint (same port, recognised by request shape) and the logstore TTL sweeper.
  const sls = createSlsHandler({ store, lookupAccessKey: (id) => identity.lookupAccessKey(id), logger });
  let ttlSweeper: TtlSweeper | undefined;
  const app: App = {
    config,
    store,
    services,
    gateway,
    logger,
    dataplane,
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
      });
      ttlSweeper ??= startTtlSweeper(store, { logger });
      return app.server;
    },
    async close() {
      if (app.server) await app.server.close();
      await ttlSweeper?.stop();
      await dataplane?.stop();
      await store.close();
    },
  };
  return app;
}
