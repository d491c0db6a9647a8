/**
 * Server configuration from command-line flags and environment variables; a flag wins over its
 * variable, which wins over the default. Bad values stop start-up with a message naming the setting.
 */
import { DEFAULT_LEASE_MS } from './cluster/leadership.js';
import { parseListenAddress } from './dataplane/pipeline/listen-address.js';
import { isLogFormat, isLogLevel, type LogFormat, type LogLevel } from './logger.js';
import {
  DEFAULT_RECORDS_MEMORY_LIMIT,
  defaultRecordsThreads,
  type RecordStoreKind,
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
  /** json, text, or auto (text when stderr is a terminal). */
  logFormat: LogFormat;
  /** How long an asynchronous flow-log state change takes; 0 completes it before the reply. */
  transitionMs: number;
  seedFiles: string[];
  identity: BootstrapIdentity;
  /** UDP flow collectors (`HOST:PORT`; usually 4739 for IPFIX, 2055 for NetFlow); none = no data plane. */
  collectors: string[];
  /** How long a capture window stays open after its end for late exports. */
  flushGraceMs: number;
  /** How long a ClientToken's first answer is kept (retries inside it answer like the first time). */
  clientTokenTtlMs: number;
  /** `Bearer` token the `/_vpcflow/*` operator endpoints require; undefined = loopback peers only. */
  adminToken: string | undefined;
  /** Per account and action (RPC) or operation (SLS), requests a second; 0 disables throttling. */
  throttleRps: number;
  /** Signature nonces remembered per AccessKey during the 15-minute replay window. */
  noncesPerKey: number;
  /** HTTP: all request headers must have arrived within this many ms of the first byte. */
  headersTimeoutMs: number;
  /** HTTP: the whole request (headers and body) must have arrived within this many ms. */
  requestTimeoutMs: number;
  /** HTTP: an idle keep-alive connection is closed after this many ms. */
  keepAliveTimeoutMs: number;
  /** HTTP: a keep-alive connection is closed after serving this many requests. */
  maxRequestsPerSocket: number;
  /** HTTP: open connections one client address may hold; more are refused. */
  maxConnectionsPerIp: number;
  /** Collector: templates held in total / per exporter address, field specifiers over all templates. */
  maxTemplates: number;
  maxTemplatesPerExporter: number;
  maxTemplateFields: number;
  /** Collector: exporter/domain states in total / observation domains per exporter address. */
  maxDomains: number;
  maxDomainsPerExporter: number;
  /**
   * The key sealing AccessKey secrets at rest (`VPCFLOW_SECRET_KEY`, 64 hex characters or base64 of
   * 32 bytes); unset = `secret.key` in the data directory, created on first start.
   */
  secretKey?: string | undefined;
  /**
   * Where flow-log records live: DuckDB (default), the SQLite rows of earlier versions, or PostgreSQL
   * (the default with a database URL: shared by every node).
   */
  recordStore: RecordStoreKind;
  /** DuckDB `memory_limit` for record queries and appends, e.g. `1GB`. */
  recordsMemoryLimit: string;
  /** DuckDB `threads`: how many cores one record query may use. */
  recordsThreads: number;
  /** GetLogs: a query running longer is interrupted and answered with `RequestTimeout`. */
  queryTimeoutMs: number;
  /** GetLogs: analytic statements (`search | select`) / searches running at once per project. */
  queryConcurrency: number;
  searchConcurrency: number;
  /** GetLogs: bytes of rows one answer may hold; past it the answer is marked incomplete. */
  queryMaxResponseBytes: number;
  /** GetLogs query cost: search conditions, LIKE scans, result columns, literal bytes. */
  queryMaxTerms: number;
  queryMaxLikes: number;
  queryMaxColumns: number;
  queryMaxLiteralBytes: number;
  /** A PostgreSQL URL: the shared store for several nodes; undefined = the embedded SQLite store. */
  databaseUrl: string | undefined;
  /** PostgreSQL connections per node. */
  databasePoolSize: number;
  /** Nodes on one database: how long a background lease (TTL sweep, NODATA) lasts without renewal. */
  leaderLeaseMs: number;
}

export class ConfigError extends Error {}

export interface RawOptions {
  host?: string | undefined;
  port?: string | undefined;
  data?: string | undefined;
  'in-memory'?: boolean | undefined;
  'log-level'?: string | undefined;
  'log-format'?: string | undefined;
  'transition-ms'?: string | undefined;
  seed?: string[] | undefined;
  collector?: string[] | undefined;
  'flush-grace-ms'?: string | undefined;
  'client-token-ttl-ms'?: string | undefined;
  'admin-token'?: string | undefined;
  'throttle-rps'?: string | undefined;
  'nonces-per-key'?: string | undefined;
  'headers-timeout-ms'?: string | undefined;
  'request-timeout-ms'?: string | undefined;
  'keep-alive-timeout-ms'?: string | undefined;
  'max-requests-per-socket'?: string | undefined;
  'max-connections-per-ip'?: string | undefined;
  'max-templates'?: string | undefined;
  'max-templates-per-exporter'?: string | undefined;
  'max-template-fields'?: string | undefined;
  'max-domains'?: string | undefined;
  'max-domains-per-exporter'?: string | undefined;
  'record-store'?: string | undefined;
  'records-memory-limit'?: string | undefined;
  'records-threads'?: string | undefined;
  'query-timeout-ms'?: string | undefined;
  'query-concurrency'?: string | undefined;
  'search-concurrency'?: string | undefined;
  'query-max-response-bytes'?: string | undefined;
  'query-max-terms'?: string | undefined;
  'query-max-likes'?: string | undefined;
  'query-max-columns'?: string | undefined;
  'query-max-literal-bytes'?: string | undefined;
  'database-url'?: string | undefined;
  'database-pool-size'?: string | undefined;
  'leader-lease-ms'?: string | undefined;
}

/** Safety limits: flag, variable, default and allowed range (README "Security"). */
const LIMIT_SETTINGS = {
  throttleRps: ['throttle-rps', 'VPCFLOW_THROTTLE_RPS', 200, 0, 1_000_000],
  noncesPerKey: ['nonces-per-key', 'VPCFLOW_NONCES_PER_KEY', 200_000, 10, 10_000_000],
  headersTimeoutMs: ['headers-timeout-ms', 'VPCFLOW_HEADERS_TIMEOUT_MS', 10_000, 1_000, 600_000],
  requestTimeoutMs: ['request-timeout-ms', 'VPCFLOW_REQUEST_TIMEOUT_MS', 30_000, 1_000, 3_600_000],
  keepAliveTimeoutMs: ['keep-alive-timeout-ms', 'VPCFLOW_KEEP_ALIVE_TIMEOUT_MS', 5_000, 1_000, 600_000],
  maxRequestsPerSocket: ['max-requests-per-socket', 'VPCFLOW_MAX_REQUESTS_PER_SOCKET', 1_000, 1, 1_000_000],
  maxConnectionsPerIp: ['max-connections-per-ip', 'VPCFLOW_MAX_CONNECTIONS_PER_IP', 256, 1, 1_000_000],
  maxTemplates: ['max-templates', 'VPCFLOW_MAX_TEMPLATES', 10_000, 1, 10_000_000],
  maxTemplatesPerExporter: [
    'max-templates-per-exporter',
    'VPCFLOW_MAX_TEMPLATES_PER_EXPORTER',
    1_000,
    1,
    10_000_000,
  ],
  maxTemplateFields: ['max-template-fields', 'VPCFLOW_MAX_TEMPLATE_FIELDS', 500_000, 100, 100_000_000],
  maxDomains: ['max-domains', 'VPCFLOW_MAX_DOMAINS', 10_000, 1, 10_000_000],
  maxDomainsPerExporter: ['max-domains-per-exporter', 'VPCFLOW_MAX_DOMAINS_PER_EXPORTER', 64, 1, 1_000_000],
  // GetLogs query budget (README "Security"; SLS's own figures in products/sls/query/sls-limits.ts).
  queryTimeoutMs: ['query-timeout-ms', 'VPCFLOW_QUERY_TIMEOUT_MS', 55_000, 100, 3_600_000],
  queryConcurrency: ['query-concurrency', 'VPCFLOW_QUERY_CONCURRENCY', 15, 1, 10_000],
  searchConcurrency: ['search-concurrency', 'VPCFLOW_SEARCH_CONCURRENCY', 100, 1, 10_000],
  queryMaxResponseBytes: [
    'query-max-response-bytes',
    'VPCFLOW_QUERY_MAX_RESPONSE_BYTES',
    10 * 1024 * 1024,
    64 * 1024,
    1024 * 1024 * 1024,
  ],
  queryMaxTerms: ['query-max-terms', 'VPCFLOW_QUERY_MAX_TERMS', 30, 1, 100_000],
  queryMaxLikes: ['query-max-likes', 'VPCFLOW_QUERY_MAX_LIKES', 256, 1, 100_000],
  queryMaxColumns: ['query-max-columns', 'VPCFLOW_QUERY_MAX_COLUMNS', 1_000, 1, 100_000],
  queryMaxLiteralBytes: [
    'query-max-literal-bytes',
    'VPCFLOW_QUERY_MAX_LITERAL_BYTES',
    16 * 1024,
    64,
    1024 * 1024,
  ],
} as const satisfies Record<string, readonly [keyof RawOptions, string, number, number, number]>;

type LimitName = keyof typeof LIMIT_SETTINGS;

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
  const logFormat = pick(flags['log-format'], 'VPCFLOW_LOG_FORMAT') ?? 'auto';
  if (!isLogFormat(logFormat)) {
    throw new ConfigError(`--log-format / VPCFLOW_LOG_FORMAT must be json, text or auto, got "${logFormat}"`);
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
  // One minute to 30 days; a day by default (the Alibaba docs give no window).
  const clientTokenTtlMs = parseIntSetting(
    pick(flags['client-token-ttl-ms'], 'VPCFLOW_CLIENT_TOKEN_TTL_MS') ?? '86400000',
    '--client-token-ttl-ms / VPCFLOW_CLIENT_TOKEN_TTL_MS',
    60_000,
    30 * 86_400_000,
  );
  const limits = {} as Record<LimitName, number>;
  for (const [name, [flag, variable, fallback, min, max]] of Object.entries(LIMIT_SETTINGS)) {
    limits[name as LimitName] = parseIntSetting(
      pick(flags[flag] as string | undefined, variable) ?? String(fallback),
      `--${flag} / ${variable}`,
      min,
      max,
    );
  }
  if (limits.headersTimeoutMs > limits.requestTimeoutMs) {
    throw new ConfigError('--headers-timeout-ms must not be larger than --request-timeout-ms');
  }
  const adminToken = pick(flags['admin-token'], 'VPCFLOW_ADMIN_TOKEN');
  if (adminToken !== undefined && !/^[\x21-\x7e]{16,512}$/.test(adminToken)) {
    throw new ConfigError(
      '--admin-token / VPCFLOW_ADMIN_TOKEN must be 16 to 512 printable characters without spaces',
    );
  }
  const recordStoreSetting = pick(flags['record-store'], 'VPCFLOW_RECORD_STORE');
  if (
    recordStoreSetting !== undefined &&
    recordStoreSetting !== 'duckdb' &&
    recordStoreSetting !== 'sqlite' &&
    recordStoreSetting !== 'postgres'
  ) {
    throw new ConfigError(
      `--record-store / VPCFLOW_RECORD_STORE must be duckdb, sqlite or postgres, got "${recordStoreSetting}"`,
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
  // DATABASE_URL is what PaaS platforms and most tools set; VPCFLOW_DATABASE_URL wins when both are.
  const databaseUrl =
    pick(flags['database-url'], 'VPCFLOW_DATABASE_URL') ?? (env['DATABASE_URL'] || undefined);
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\/[^\s]+$/.test(databaseUrl)) {
    throw new ConfigError(
      '--database-url / VPCFLOW_DATABASE_URL / DATABASE_URL must be postgres://USER[:PASSWORD]@HOST[:PORT]/DB',
    );
  }
  // With a database URL records are shared in it by default; `duckdb` keeps them per node.
  const recordStore: RecordStoreKind =
    recordStoreSetting ?? (databaseUrl !== undefined ? 'postgres' : 'duckdb');
  if (databaseUrl !== undefined && recordStore === 'sqlite') {
    // The SQLite record store lives in the SQLite file, which a PostgreSQL control plane has not.
    throw new ConfigError(
      '--record-store sqlite cannot be used with --database-url (use postgres, the default there, or duckdb)',
    );
  }
  if (databaseUrl === undefined && recordStore === 'postgres') {
    throw new ConfigError('--record-store postgres needs --database-url (the database the records live in)');
  }
  const databasePoolSize = parseIntSetting(
    pick(flags['database-pool-size'], 'VPCFLOW_DATABASE_POOL_SIZE') ?? '10',
    '--database-pool-size / VPCFLOW_DATABASE_POOL_SIZE',
    1,
    1000,
  );
  const leaderLeaseMs = parseIntSetting(
    pick(flags['leader-lease-ms'], 'VPCFLOW_LEADER_LEASE_MS') ?? String(DEFAULT_LEASE_MS),
    '--leader-lease-ms / VPCFLOW_LEADER_LEASE_MS',
    1_000,
    600_000,
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
    logFormat,
    transitionMs,
    seedFiles,
    identity: { accountId, accessKeyId, accessKeySecret },
    collectors,
    flushGraceMs,
    clientTokenTtlMs,
    adminToken,
    ...limits,
    secretKey: env['VPCFLOW_SECRET_KEY'] || undefined,
    recordStore,
    recordsMemoryLimit,
    recordsThreads,
    databaseUrl,
    databasePoolSize,
    leaderLeaseMs,
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
