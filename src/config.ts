/**
 * Server configuration from command-line flags and environment variables; a flag wins over its
 * variable, which wins over the default. Bad values stop start-up with a message naming the setting.
 */
import { parseListenAddress } from './dataplane/pipeline/listen-address.js';
import { isLogLevel, type LogLevel } from './logger.js';
import {
  DEFAULT_RECORDS_MEMORY_LIMIT,
  defaultRecordsThreads,
  type RecordEngine,
} from './store/records/record-store.js';
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
  /** Where flow-log records live: DuckDB (default) or the SQLite rows of earlier versions. */
  recordStore: RecordEngine;
  /** DuckDB `memory_limit` for record queries and appends, e.g. `1GB`. */
  recordsMemoryLimit: string;
  /** DuckDB `threads`: how many cores one record query may use. */
  recordsThreads: number;
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
  'record-store'?: string | undefined;
  'records-memory-limit'?: string | undefined;
  'records-threads'?: string | undefined;
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
  const recordStore = pick(flags['record-store'], 'VPCFLOW_RECORD_STORE') ?? 'duckdb';
  if (recordStore !== 'duckdb' && recordStore !== 'sqlite') {
    throw new ConfigError(
      `--record-store / VPCFLOW_RECORD_STORE must be duckdb or sqlite, got "${recordStore}"`,
    );
  }
  const recordsMemoryLimit =
    pick(flags['records-memory-limit'], 'VPCFLOW_RECORDS_MEMORY_LIMIT') ?? DEFAULT_RECORDS_MEMORY_LIMIT;
  if (!/^\d{1,6}(\.\d{1,3})?\s?(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i.test(recordsMemoryLimit)) {
    throw new ConfigError(
      `--records-memory-limit / VPCFLOW_RECORDS_MEMORY_LIMIT must be a size such as 512MB or 2GB, got "${recordsMemoryLimit}"`,
    );
  }
  const recordsThreads = parseIntSetting(
    pick(flags['records-threads'], 'VPCFLOW_RECORDS_THREADS') ?? String(defaultRecordsThreads()),
    '--records-threads / VPCFLOW_RECORDS_THREADS',
    1,
    256,
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
    recordStore,
    recordsMemoryLimit,
    recordsThreads,
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
