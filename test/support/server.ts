/**
 * Starts a real vpcflow server on a free port for a test, with the same wiring as `vpcflow serve`, on
 * the store the run selects (test-store.ts: SQLite, or a database of its own on PostgreSQL).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type App } from '../../src/app.js';
import { resolveConfig, type ServerConfig } from '../../src/config.js';
import { createLogger, type Logger } from '../../src/logger.js';
import { onPostgres, testDatabase } from './test-store.js';

export interface TestServer {
  app: App;
  url: string;
  /** `127.0.0.1:PORT`, the form the Tea clients take as `endpoint`. */
  endpoint: string;
  port: number;
  close(): Promise<void>;
}

export function testConfig(overrides: Partial<ServerConfig> = {}): ServerConfig {
  const base = resolveConfig({}, {});
  return {
    ...base,
    // With a database URL records live there too, as `--database-url` makes them (unless overridden).
    ...(overrides.databaseUrl ? { recordStore: 'postgres' as const } : {}),
    port: 0,
    inMemory: true,
    logLevel: 'silent',
    logFormat: 'json',
    transitionMs: 0,
    dataDir: tempDir(),
    ...overrides,
  };
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'vpcflow-test-'));
}

/** `logger` captures the server's log (silent by default). */
export async function startTestServer(
  overrides: Partial<ServerConfig> = {},
  logger: Logger = createLogger('silent'),
): Promise<TestServer> {
  const config = testConfig(overrides);
  const database = onPostgres && !config.databaseUrl ? await testDatabase(config) : undefined;
  if (database) {
    config.databaseUrl = database.url;
    config.recordStore = overrides.recordStore ?? 'postgres';
  }
  let app: App;
  try {
    app = await createApp(config, logger);
  } catch (err) {
    await database?.release();
    throw err;
  }
  const server = await app.listen();
  return {
    app,
    url: server.url,
    endpoint: `127.0.0.1:${server.port}`,
    port: server.port,
    close: async () => {
      await app.close();
      await database?.release();
    },
  };
}
