#!/usr/bin/env node
/**
 * The `vpcflow` command line. `vpcflow serve` runs the server; `npm start` runs exactly that.
 */
import { parseArgs } from 'node:util';
import { ConfigError, resolveConfig } from '../config.js';
import { VPCFLOW_VERSION } from '../version.js';
import { logsCommand } from './logs-query.js';
import { serve } from './serve.js';

const HELP = `vpcflow ${VPCFLOW_VERSION}: a self-hosted, wire-compatible Alibaba Cloud VPC Flow Logs service

Usage:
  vpcflow serve [options]      serve the Vpc OpenAPI (2016-04-28)
  vpcflow logs query ...       read flow-log records from a running server (vpcflow logs --help)
  vpcflow --version

Options for serve (each also read from the environment variable shown; the flag wins):
  --host HOST            address to listen on (VPCFLOW_HOST, default 127.0.0.1)
  --port PORT            port, 0 picks a free one (VPCFLOW_PORT, default 8080)
  --data DIR             directory of the SQLite database (VPCFLOW_DATA, default ./.vpcflow)
  --in-memory            keep nothing on disk (VPCFLOW_IN_MEMORY=true)
  --seed FILE            JSON or YAML world to load at start, repeatable (VPCFLOW_SEED, comma-separated)
  --transition-ms MS     time an asynchronous flow-log state change takes (VPCFLOW_TRANSITION_MS, default 1000)
  --log-level LEVEL      debug, info, warn, error or silent (VPCFLOW_LOG_LEVEL, default info)
  --collector HOST:PORT  receive IPFIX / NetFlow v9 / v5 over UDP, repeatable (VPCFLOW_COLLECTOR,
                         comma-separated; off by default; usual ports 4739 IPFIX, 2055 NetFlow)
  --flush-grace-ms MS    a capture window stays open this long after its end for late exports
                         (VPCFLOW_FLUSH_GRACE_MS, default 60000)
  --database-url URL     store everything in PostgreSQL (postgres://USER[:PASSWORD]@HOST[:PORT]/DB) so
                         several nodes share it (VPCFLOW_DATABASE_URL, or DATABASE_URL; default: SQLite)
  --database-pool-size N PostgreSQL connections per node (VPCFLOW_DATABASE_POOL_SIZE, default 10)
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '--version' || command === 'version') {
    process.stdout.write(`${VPCFLOW_VERSION}\n`);
    return 0;
  }
  if (command === undefined || command === '--help' || command === 'help') {
    process.stdout.write(HELP);
    return command === undefined ? 1 : 0;
  }
  if (command === 'logs') return logsCommand(rest);
  if (command !== 'serve') {
    process.stderr.write(`vpcflow: unknown command "${command}"\n\n${HELP}`);
    return 2;
  }
  const { values } = parseArgs({
    args: rest,
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      data: { type: 'string' },
      'in-memory': { type: 'boolean' },
      seed: { type: 'string', multiple: true },
      'transition-ms': { type: 'string' },
      'log-level': { type: 'string' },
      collector: { type: 'string', multiple: true },
      'flush-grace-ms': { type: 'string' },
      'database-url': { type: 'string' },
      'database-pool-size': { type: 'string' },
    },
    strict: true,
  });
  const config = resolveConfig(values, process.env);
  return serve(config);
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== 0) process.exitCode = code;
  },
  (err: unknown) => {
    const message =
      err instanceof ConfigError || (err instanceof TypeError && 'code' in err) ? err.message : String(err);
    process.stderr.write(`vpcflow: ${message}\n`);
    if (!(err instanceof ConfigError) && err instanceof Error && process.env['VPCFLOW_DEBUG']) {
      process.stderr.write(`${err.stack ?? ''}\n`);
    }
    process.exitCode = 1;
  },
);
