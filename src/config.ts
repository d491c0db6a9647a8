/**
 * Server configuration from command-line flags and environment variables; a flag wins over its
 * variable, which wins over the default. Bad values stop start-up with a message naming the setting.
 */
import { parseListenAddress } from './dataplane/pipeline/listen-address.js';
import { isLogLevel, type LogLevel } from './logger.js';
import {
  DEV_ACCESS_KEY_ID,
  DEV_ACCESS_KEY_SECRET,
  DEV_ACCOUNT_ID,
  type BootstrapIdentity,
} from './products/identity/identity-service.js';

export interface ServerConfig {
  host: string;
  port: number;
  dataDir: string;
  inMemory: boolean;
  logLevel: LogLevel;
  /** How long an asynchronous flow-log state change takes; 0 completes it before the reply. */
  transitionMs: number;
  seedFiles: string[];
  identity: BootstrapIdentity;
  /** UDP flow collectors (`HOST:PORT`; usually 4739 for IPFIX, 2055 for NetFlow); none = no data plane. */
  collectors: string[];
  /** How long a capture window stays open after its end for late exports. */
  flushGraceMs: number;
  /** A PostgreSQL URL: the shared store for several nodes; undefined = the embedded SQLite store. */
  databaseUrl: string | undefined;
  /** PostgreSQL connections per node. */
  databasePoolSize: number;
}

export class ConfigError extends Error {}

export interface RawOptions {
  host?: string | undefined;
  port?: string | undefined;
  data?: string | undefined;
  'in-memory'?: boolean | undefined;
  'log-level'?: string | undefined;
  'transition-ms'?: string | undefined;
  seed?: string[] | undefined;
  collector?: string[] | undefined;
  'flush-grace-ms'?: string | undefined;
  'database-url'?: string | undefined;
  'database-pool-size'?: string | undefined;
}

export function resolveConfig(flags: RawOptions, env: NodeJS.ProcessEnv): ServerConfig {
  const pick = (flag: string | undefined, name: string): string | undefined =>
    flag ?? (env[name] || undefined);
  const port = parseIntSetting(pick(flags.port, 'VPCFLOW_PORT') ?? '8080', '--port / VPCFLOW_PORT', 0, 65535);
  const inMemory = flags['in-memory'] ?? parseBool(env['VPCFLOW_IN_MEMORY'], 'VPCFLOW_IN_MEMORY');
  const logLevel = pick(flags['log-level'], 'VPCFLOW_LOG_LEVEL') ?? 'info';
  if (!isLogLevel(logLevel)) {
    throw new ConfigError(
      `--log-level / VPCFLOW_LOG_LEVEL must be debug, info, warn, error or silent, got "${logLevel}"`,
    );
  }
  const transitionMs = parseIntSetting(
    pick(flags['transition-ms'], 'VPCFLOW_TRANSITION_MS') ?? '1000',
    '--transition-ms / VPCFLOW_TRANSITION_MS',
    0,
    3_600_000,
  );
  const seedFiles = flags.seed?.length ? flags.seed : splitList(env['VPCFLOW_SEED']);
  const collectors = flags.collector?.length ? flags.collector : splitList(env['VPCFLOW_COLLECTOR']);
  for (const c of collectors) {
    const parsed = parseListenAddress(c);
    if (typeof parsed === 'string') throw new ConfigError(`--collector / VPCFLOW_COLLECTOR: ${parsed}`);
  }
  const flushGraceMs = parseIntSetting(
    pick(flags['flush-grace-ms'], 'VPCFLOW_FLUSH_GRACE_MS') ?? '60000',
    '--flush-grace-ms / VPCFLOW_FLUSH_GRACE_MS',
    0,
    3_600_000,
  );
  // DATABASE_URL is what PaaS platforms and most tools set; VPCFLOW_DATABASE_URL wins when both are.
  const databaseUrl =
    pick(flags['database-url'], 'VPCFLOW_DATABASE_URL') ?? (env['DATABASE_URL'] || undefined);
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\/[^\s]+$/.test(databaseUrl)) {
    throw new ConfigError(
      '--database-url / VPCFLOW_DATABASE_URL / DATABASE_URL must be postgres://USER[:PASSWORD]@HOST[:PORT]/DB',
    );
  }
  const databasePoolSize = parseIntSetting(
    pick(flags['database-pool-size'], 'VPCFLOW_DATABASE_POOL_SIZE') ?? '10',
    '--database-pool-size / VPCFLOW_DATABASE_POOL_SIZE',
    1,
    1000,
  );
  const accountId = env['VPCFLOW_ACCOUNT_ID'] || DEV_ACCOUNT_ID;
  if (!/^\d{16}$/.test(accountId)) throw new ConfigError('VPCFLOW_ACCOUNT_ID must be 16 digits');
  const accessKeyId = env['VPCFLOW_ACCESS_KEY_ID'] || DEV_ACCESS_KEY_ID;
  const accessKeySecret = env['VPCFLOW_ACCESS_KEY_SECRET'] || DEV_ACCESS_KEY_SECRET;
  if (!/^[A-Za-z0-9._-]{8,128}$/.test(accessKeyId)) {
    throw new ConfigError('VPCFLOW_ACCESS_KEY_ID must be 8 to 128 letters, digits, ".", "_" or "-"');
  }
  if (accessKeySecret.length < 8)
    throw new ConfigError('VPCFLOW_ACCESS_KEY_SECRET must be at least 8 characters');
  return {
    host: pick(flags.host, 'VPCFLOW_HOST') ?? '127.0.0.1',
    port,
    dataDir: pick(flags.data, 'VPCFLOW_DATA') ?? './.vpcflow',
    inMemory,
    logLevel,
    transitionMs,
    seedFiles,
    identity: { accountId, accessKeyId, accessKeySecret },
    collectors,
    flushGraceMs,
    databaseUrl,
    databasePoolSize,
  };
}

function parseIntSetting(value: string, name: string, min: number, max: number): number {
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got "${value}"`);
  }
  return Number(value);
}

function parseBool(value: string | undefined, name: string): boolean {
  if (value === undefined || value === '') return false;
  if (/^(1|true|yes|on)$/i.test(value)) return true;
  if (/^(0|false|no|off)$/i.test(value)) return false;
  throw new ConfigError(`${name} must be true or false, got "${value}"`);
}

function splitList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
