#!/usr/bin/env node
/**
 * The `vpcflow` command line. `vpcflow serve` runs the server; `npm start` runs exactly that. Every
 * command and subcommand answers `--help` / `-h` (exit 0) from the option table in options.ts, and every
 * usage error ends with a pointer to that help.
 */
import { ConfigError, resolveConfig, type RawOptions } from '../config.js';
import { VPCFLOW_VERSION } from '../version.js';
import { accountCommand } from './account.js';
import { demoCommand } from './demo.js';
import { logsCommand } from './logs-query.js';
import { helpText, parseCommand, SERVE, UsageError } from './options.js';
import { migrateCommand } from './migrate.js';
import { serve } from './serve.js';

const HELP = `vpcflow ${VPCFLOW_VERSION}: a self-hosted, wire-compatible Alibaba Cloud VPC Flow Logs service

Usage:
  vpcflow serve [options]      serve the Vpc/Ecs OpenAPI, the SLS API and the data plane
  vpcflow logs query [...]     read flow-log records from a running server
  vpcflow demo                 see records within a minute: server, sample traffic, records
  vpcflow account create ...   create an account on a running server (operator)
  vpcflow migrate [--data DIR] update a data directory, moving SQLite records into DuckDB
                 [--to URL]   ... then copy it into an empty PostgreSQL database
  vpcflow --version

Run "vpcflow COMMAND --help" for a command's options (vpcflow serve --help).

Environment only: VPCFLOW_SECRET_KEY, the key sealing AccessKey secrets at rest (64 hex characters or
base64 of 32 bytes); default: secret.key in the data directory, created on first start.
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '--version' || command === '-v' || command === 'version') {
    process.stdout.write(`${VPCFLOW_VERSION}\n`);
    return 0;
  }
  if (command === '--help' || command === '-h' || command === 'help') {
    const topic = rest[0];
    if (topic === 'serve') process.stdout.write(helpText(SERVE));
    else if (topic === 'logs') return logsCommand(['--help']);
    else if (topic === 'demo') return demoCommand(['--help']);
    else if (topic === 'account') return accountCommand(['--help']);
    else if (topic === 'migrate') return migrateCommand(['--help']);
    else process.stdout.write(HELP);
    return 0;
  }
  if (command === undefined) {
    process.stderr.write(HELP);
    return 1;
  }
  if (command === 'logs') return logsCommand(rest);
  if (command === 'migrate') return migrateCommand(rest);
  if (command === 'account') return accountCommand(rest);
  if (command === 'demo') return demoCommand(rest);
  if (command !== 'serve') throw new UsageError(`unknown command "${command}"`, 'vpcflow');
  const { values } = parseCommand(SERVE, rest, 'vpcflow serve');
  if (values['help']) {
    process.stdout.write(helpText(SERVE));
    return 0;
  }
  let config;
  try {
    config = resolveConfig(values as RawOptions, process.env);
  } catch (err) {
    throw err instanceof ConfigError && !(err instanceof UsageError)
      ? new UsageError(err.message, 'vpcflow serve')
      : err;
  }
  return serve(config);
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== 0) process.exitCode = code;
  },
  (err: unknown) => {
    const message = err instanceof ConfigError ? err.message : String(err);
    process.stderr.write(`vpcflow: ${message}\n`);
    if (!(err instanceof ConfigError) && err instanceof Error && process.env['VPCFLOW_DEBUG']) {
      process.stderr.write(`${err.stack ?? ''}\n`);
    }
    process.exitCode = 1;
  },
);
