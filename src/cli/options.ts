/**
 * Every command-line option in one table: name, environment variable, default and description. The
 * table drives both parsing (`node:util` parseArgs) and `--help`, so a new flag is one row here (plus its
 * reading in config.ts or the command).
 */
import { parseArgs } from 'node:util';
import { ConfigError } from '../config.js';

export interface OptionSpec {
  name: string;
  type: 'string' | 'boolean';
  /** Placeholder of the value in --help (`--port PORT`). */
  value?: string;
  multiple?: boolean;
  env?: string;
  default?: string;
  description: string;
}

export interface CommandSpec {
  /** `vpcflow serve`, `vpcflow logs query`. */
  usage: string;
  summary: string;
  options: OptionSpec[];
  /** Text after the options (formats, examples). */
  notes?: string;
  positionals?: boolean;
}

const HELP_OPTION: OptionSpec = { name: 'help', type: 'boolean', description: 'show this help (also -h)' };

export const SERVE: CommandSpec = {
  usage: 'vpcflow serve [options]',
  summary: 'Serves the Vpc/Ecs OpenAPI, the SLS API and, with --collector, the flow-log data plane.',
  options: [
    {
      name: 'host',
      type: 'string',
      value: 'HOST',
      env: 'VPCFLOW_HOST',
      default: '127.0.0.1',
      description: 'address to listen on (0.0.0.0 exposes the API to your network: only with real secrets)',
    },
    {
      name: 'port',
      type: 'string',
      value: 'PORT',
      env: 'VPCFLOW_PORT',
      default: '8080',
      description: 'port; 0 picks a free one (printed in the ready line)',
    },
    {
      name: 'data',
      type: 'string',
      value: 'DIR',
      env: 'VPCFLOW_DATA',
      default: './.vpcflow',
      description: 'directory of the SQLite database',
    },
    {
      name: 'in-memory',
      type: 'boolean',
      env: 'VPCFLOW_IN_MEMORY',
      default: 'false',
      description: 'keep nothing on disk',
    },
    {
      name: 'seed',
      type: 'string',
      value: 'FILE',
      multiple: true,
      env: 'VPCFLOW_SEED',
      description:
        'JSON or YAML world loaded at start and by POST /_vpcflow/reset; repeatable (variable: comma-separated)',
    },
    {
      name: 'transition-ms',
      type: 'string',
      value: 'MS',
      env: 'VPCFLOW_TRANSITION_MS',
      default: '1000',
      description: 'time an asynchronous flow-log state change takes; 0 completes it before the reply',
    },
    {
      name: 'log-level',
      type: 'string',
      value: 'LEVEL',
      env: 'VPCFLOW_LOG_LEVEL',
      default: 'info',
      description: 'debug, info, warn, error or silent',
    },
    {
      name: 'log-format',
      type: 'string',
      value: 'FORMAT',
      env: 'VPCFLOW_LOG_FORMAT',
      default: 'auto',
      description: 'json (one object per line), text (readable) or auto (text when stderr is a terminal)',
    },
    {
      name: 'collector',
      type: 'string',
      value: 'HOST:PORT',
      multiple: true,
      env: 'VPCFLOW_COLLECTOR',
      description:
        'UDP flow collector (IPFIX, NetFlow v9, v5), repeatable (variable: comma-separated); usual ports 4739 IPFIX, 2055 NetFlow',
    },
    {
      name: 'flush-grace-ms',
      type: 'string',
      value: 'MS',
      env: 'VPCFLOW_FLUSH_GRACE_MS',
      default: '60000',
      description: 'how long a capture window stays open after its end for late exports',
    },
    {
      name: 'record-store',
      type: 'string',
      value: 'ENGINE',
      env: 'VPCFLOW_RECORD_STORE',
      default: 'duckdb (postgres with --database-url)',
      description:
        'where flow-log records live: duckdb (columnar, its own file in --data), sqlite (rows in the SQLite file, as earlier versions) or postgres (the --database-url database, shared by every node)',
    },
    {
      name: 'records-memory-limit',
      type: 'string',
      value: 'SIZE',
      env: 'VPCFLOW_RECORDS_MEMORY_LIMIT',
      default: '1GB',
      description: 'DuckDB memory limit for record queries and appends; a query over it fails alone',
    },
    {
      name: 'records-threads',
      type: 'string',
      value: 'N',
      env: 'VPCFLOW_RECORDS_THREADS',
      default: 'cores - 1',
      description: 'DuckDB threads one record query may use',
    },
    {
      name: 'database-url',
      type: 'string',
      value: 'URL',
      env: 'VPCFLOW_DATABASE_URL',
      default: 'SQLite in --data',
      description:
        'store the control plane in PostgreSQL (postgres://USER[:PASSWORD]@HOST[:PORT]/DB) so several nodes share it; DATABASE_URL is read too',
    },
    {
      name: 'database-pool-size',
      type: 'string',
      value: 'N',
      env: 'VPCFLOW_DATABASE_POOL_SIZE',
      default: '10',
      description: 'PostgreSQL connections per node',
    },
    {
      name: 'leader-lease-ms',
      type: 'string',
      value: 'MS',
      env: 'VPCFLOW_LEADER_LEASE_MS',
      default: '15000',
      description:
        'nodes on one --database-url: how long the node running TTL sweeps / NODATA keeps the lease unrenewed; another takes over within it after a crash (1000 to 600000)',
    },
    {
      name: 'client-token-ttl-ms',
      type: 'string',
      value: 'MS',
      env: 'VPCFLOW_CLIENT_TOKEN_TTL_MS',
      default: '86400000',
      description:
        "how long a ClientToken's first answer is kept; a retry with the token inside it answers like the first time",
    },
    {
      name: 'admin-token',
      type: 'string',
      value: 'TOKEN',
      env: 'VPCFLOW_ADMIN_TOKEN',
      description:
        '/_vpcflow/* (but health and metrics) then need "Authorization: Bearer TOKEN"; unset: loopback clients only',
    },
    {
      name: 'throttle-rps',
      type: 'string',
      value: 'N',
      env: 'VPCFLOW_THROTTLE_RPS',
      default: '200',
      description:
        'requests a second per account and action (RPC) or operation (SLS); 0 turns throttling off',
    },
    {
      name: 'nonces-per-key',
      type: 'string',
      value: 'N',
      env: 'VPCFLOW_NONCES_PER_KEY',
      default: '200000',
      description: 'signature nonces one AccessKey may hold in the 15-minute replay window',
    },
    {
      name: 'headers-timeout-ms',
      type: 'string',
      value: 'MS',
      env: 'VPCFLOW_HEADERS_TIMEOUT_MS',
      default: '10000',
      description: 'all request headers must arrive within this time',
    },
    {
      name: 'request-timeout-ms',
      type: 'string',
      value: 'MS',
      env: 'VPCFLOW_REQUEST_TIMEOUT_MS',
      default: '30000',
      description: 'the whole request must arrive within this time',
    },
    {
      name: 'keep-alive-timeout-ms',
      type: 'string',
      value: 'MS',
      env: 'VPCFLOW_KEEP_ALIVE_TIMEOUT_MS',
      default: '5000',
      description: 'idle keep-alive connections close after this time',
    },
    {
      name: 'max-requests-per-socket',
      type: 'string',
      value: 'N',
      env: 'VPCFLOW_MAX_REQUESTS_PER_SOCKET',
      default: '1000',
      description: 'requests one connection serves before it is closed',
    },
    {
      name: 'max-connections-per-ip',
      type: 'string',
      value: 'N',
      env: 'VPCFLOW_MAX_CONNECTIONS_PER_IP',
      default: '256',
      description: 'open connections per client address',
    },
    {
      name: 'max-templates',
      type: 'string',
      value: 'N',
      env: 'VPCFLOW_MAX_TEMPLATES',
      default: '10000',
      description: 'collector templates in total (least recently used evicted)',
    },
    {
      name: 'max-templates-per-exporter',
      type: 'string',
      value: 'N',
      env: 'VPCFLOW_MAX_TEMPLATES_PER_EXPORTER',
      default: '1000',
      description: 'collector templates per exporter address',
    },
    {
      name: 'max-template-fields',
      type: 'string',
      value: 'N',
      env: 'VPCFLOW_MAX_TEMPLATE_FIELDS',
      default: '500000',
      description: 'field specifiers over all collector templates',
    },
    {
      name: 'max-domains',
      type: 'string',
      value: 'N',
      env: 'VPCFLOW_MAX_DOMAINS',
      default: '10000',
      description: 'exporter/observation-domain states in total',
    },
    {
      name: 'max-domains-per-exporter',
      type: 'string',
      value: 'N',
      env: 'VPCFLOW_MAX_DOMAINS_PER_EXPORTER',
      default: '64',
      description: 'observation domains per exporter address',
    },
    {
      name: 'query-timeout-ms',
      type: 'string',
      value: 'MS',
      env: 'VPCFLOW_QUERY_TIMEOUT_MS',
      default: '55000',
      description: 'GetLogs query time budget; a query running longer is interrupted (RequestTimeout)',
    },
    {
      name: 'query-concurrency',
      type: 'string',
      value: 'N',
      env: 'VPCFLOW_QUERY_CONCURRENCY',
      default: '15',
      description: 'analytic statements running at once per project (ExceedQuota)',
    },
    {
      name: 'search-concurrency',
      type: 'string',
      value: 'N',
      env: 'VPCFLOW_SEARCH_CONCURRENCY',
      default: '100',
      description: 'searches running at once per project (ExceedQuota)',
    },
    {
      name: 'query-max-response-bytes',
      type: 'string',
      value: 'N',
      env: 'VPCFLOW_QUERY_MAX_RESPONSE_BYTES',
      default: '10485760',
      description: 'bytes of rows one GetLogs answer holds; past it the answer is marked Incomplete',
    },
    {
      name: 'query-max-terms',
      type: 'string',
      value: 'N',
      env: 'VPCFLOW_QUERY_MAX_TERMS',
      default: '30',
      description: 'search conditions per query',
    },
    {
      name: 'query-max-likes',
      type: 'string',
      value: 'N',
      env: 'VPCFLOW_QUERY_MAX_LIKES',
      default: '256',
      description: 'text scans one search compiles to',
    },
    {
      name: 'query-max-columns',
      type: 'string',
      value: 'N',
      env: 'VPCFLOW_QUERY_MAX_COLUMNS',
      default: '1000',
      description: 'result columns of an analytic statement',
    },
    {
      name: 'query-max-literal-bytes',
      type: 'string',
      value: 'N',
      env: 'VPCFLOW_QUERY_MAX_LITERAL_BYTES',
      default: '16384',
      description: 'literal bytes per query',
    },
    HELP_OPTION,
  ],
  notes: `The bootstrap account: VPCFLOW_ACCOUNT_ID, VPCFLOW_ACCESS_KEY_ID, VPCFLOW_ACCESS_KEY_SECRET
(default: the well-known development account 1234567890123456 / LTAI5tVpcflowDevAccessKey).
A flag wins over its variable. SIGINT/SIGTERM stop gracefully (exit 0).`,
};

/** SERVE's rows of these names, so a flag means the same in every command. */
function serveOptions(...names: string[]): OptionSpec[] {
  return names.map((n) => {
    const row = SERVE.options.find((o) => o.name === n);
    if (row === undefined) throw new Error(`no serve option --${n}`);
    return row;
  });
}

export const MIGRATE: CommandSpec = {
  usage: 'vpcflow migrate [options]',
  summary: `Applies the SQLite schema migrations of --data and moves flow-log records kept as SQLite rows by
earlier versions into the DuckDB record file, once. Safe to run again. With --to, then copies the data
directory into an empty PostgreSQL database for nodes started with --database-url.`,
  options: [
    ...serveOptions('data', 'record-store', 'records-memory-limit', 'records-threads'),
    {
      name: 'to',
      type: 'string',
      value: 'URL',
      description:
        'copy every control-plane table (and records, where the record store on PostgreSQL is shared) into this empty PostgreSQL database (postgres://USER[:PASSWORD]@HOST[:PORT]/DB); a non-empty one is refused',
    },
    HELP_OPTION,
  ],
  notes: `AccessKey secrets are copied sealed with the data directory's key (VPCFLOW_SECRET_KEY, else
DIR/secret.key): start every node on the database with VPCFLOW_SECRET_KEY set to that key. A failed copy
leaves the target empty; run it again. While records stay in each node's DuckDB file, copy
DIR/vpcflow-records.duckdb into the --data of the node that should serve them.`,
};

export const LOGS_QUERY: CommandSpec = {
  usage: 'vpcflow logs query --project P --logstore L [options] [QUERY]',
  summary: `Reads flow-log records through the SLS API of a running vpcflow server. QUERY is SLS search syntax,
optionally followed by "| select ..." (default "*").`,
  positionals: true,
  options: [
    { name: 'project', type: 'string', value: 'P', description: 'SLS project (required)' },
    { name: 'logstore', type: 'string', value: 'L', description: 'logstore (required)' },
    { name: 'from', type: 'string', value: 'T', default: '-15m', description: 'start, inclusive' },
    { name: 'to', type: 'string', value: 'T', default: 'now', description: 'end, exclusive' },
    {
      name: 'region',
      type: 'string',
      value: 'R',
      description: 'region of the project, when its name alone does not settle it',
    },
    {
      name: 'limit',
      type: 'string',
      value: 'N',
      default: '100',
      description: 'at most N records for a search (pages of 100); SQL uses its own LIMIT',
    },
    {
      name: 'fields',
      type: 'string',
      value: 'F,F,...',
      default:
        'start,eni-id,direction,srcaddr,srcport,dstaddr,dstport,protocol,packets,bytes,action,log-status',
      description: 'columns of the table; "all" for every field',
    },
    {
      name: 'local',
      type: 'boolean',
      description: 'show times in the local time zone (default: UTC, ISO-8601)',
    },
    {
      name: 'json',
      type: 'boolean',
      description: 'one JSON object per line, every field as stored, instead of a table',
    },
    {
      name: 'endpoint',
      type: 'string',
      value: 'URL',
      env: 'VPCFLOW_ENDPOINT',
      default: 'http://127.0.0.1:8080',
      description: 'server, http:// or https:// (IPv6 as http://[::1]:8080)',
    },
    {
      name: 'profile',
      type: 'string',
      value: 'NAME',
      env: 'ALIBABA_CLOUD_PROFILE',
      description: 'profile of ~/.aliyun/config.json to take the AccessKey from',
    },
    HELP_OPTION,
  ],
  notes: `T is Unix seconds, ISO-8601 (2026-01-02T03:04:05Z; UTC when no zone is given), "now", or relative:
-30s, -15m, -1h, -2d.
Credentials, first found: VPCFLOW_ACCESS_KEY_ID / VPCFLOW_ACCESS_KEY_SECRET, ALIBABA_CLOUD_ACCESS_KEY_ID /
ALIBABA_CLOUD_ACCESS_KEY_SECRET, the profile of ~/.aliyun/config.json (--profile, else its "current"),
else the development AccessKey.`,
};

export const DEMO: CommandSpec = {
  usage: 'vpcflow demo [options]',
  summary: `Starts a server in memory on free ports with examples/seed.yaml, creates a flow log, sends sample
traffic (through softflowd when installed, else a built-in IPFIX sender), flushes and prints the records.`,
  options: [
    {
      name: 'sender',
      type: 'string',
      value: 'KIND',
      default: 'auto',
      description: 'softflowd, builtin or auto (softflowd when installed)',
    },
    { name: 'json', type: 'boolean', description: 'print the records as JSON lines' },
    HELP_OPTION,
  ],
};

export const ACCOUNT_CREATE: CommandSpec = {
  usage: 'vpcflow account create [options]',
  summary: `Asks a running server for a new account (POST /_vpcflow/accounts) and prints
{"accountId", "accessKeyId", "accessKeySecret"} as JSON; the secret is not shown again.`,
  options: [
    {
      name: 'account-id',
      type: 'string',
      value: 'ID',
      description: '16 digits; a random ID when omitted',
    },
    {
      name: 'endpoint',
      type: 'string',
      value: 'URL',
      env: 'VPCFLOW_ENDPOINT',
      default: 'http://127.0.0.1:8080',
      description: 'the server',
    },
    {
      name: 'admin-token',
      type: 'string',
      value: 'TOKEN',
      env: 'VPCFLOW_ADMIN_TOKEN',
      description:
        "the server's operator token, when it has one (else the server must be reached over loopback)",
    },
    HELP_OPTION,
  ],
};

/** `--help` text of a command: usage, summary, one line per option with its variable and default. */
export function helpText(spec: CommandSpec): string {
  const flags = spec.options.map((o) => `--${o.name}${o.value ? ` ${o.value}` : ''}`);
  const width = Math.max(...flags.map((f) => f.length)) + 2;
  const lines = spec.options.map((o, i) => {
    const extra = [
      o.env ? `env ${o.env}` : undefined,
      o.default !== undefined ? `default ${o.default}` : undefined,
    ].filter(Boolean);
    const suffix = extra.length ? ` (${extra.join(', ')})` : '';
    return `  ${(flags[i] ?? '').padEnd(width)}${o.description}${suffix}`;
  });
  return `Usage: ${spec.usage}\n\n${spec.summary}\n\nOptions:\n${lines.join('\n')}\n${spec.notes ? `\n${spec.notes}\n` : ''}`;
}

/** Thrown for a bad command line; main prints the message and the pointer to --help. */
export class UsageError extends ConfigError {
  constructor(
    message: string,
    readonly helpCommand: string,
  ) {
    super(`${message}\nRun "${helpCommand} --help" for the options.`);
  }
}

export type ParsedValues = Record<string, string | boolean | string[] | undefined>;

/**
 * Parses argv against a command's table. `-h` is accepted as `--help`. An unknown flag or a missing
 * value is a UsageError pointing to the command's --help.
 */
export function parseCommand(
  spec: CommandSpec,
  args: string[],
  helpCommand: string,
): { values: ParsedValues; positionals: string[] } {
  const options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }> = {};
  for (const o of spec.options) {
    options[o.name] = { type: o.type, ...(o.multiple ? { multiple: true } : {}) };
  }
  options['help'] = { type: 'boolean', short: 'h' };
  try {
    const { values, positionals } = parseArgs({
      args,
      options,
      strict: true,
      allowPositionals: spec.positionals ?? false,
    });
    return { values: values as ParsedValues, positionals };
  } catch (err) {
    throw new UsageError((err as Error).message, helpCommand);
  }
}
