/** Starts a real vpcflow server on a free port for a test, with the same wiring as `vpcflow serve`. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type App } from '../../src/app.js';
import { resolveConfig, type ServerConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';

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

export async function startTestServer(overrides: Partial<ServerConfig> = {}): Promise<TestServer> {
  const app = await createApp(testConfig(overrides), createLogger('silent'));
  const server = await app.listen();
  return {
    app,
    url: server.url,
    endpoint: `127.0.0.1:${server.port}`,
    port: server.port,
    close: () => app.close(),
  };
}
