/**
 * `vpcflow migrate [--data DIR] [--to postgres://...]`: brings a data directory up to date without
 * serving: SQLite schema migrations, then the one-time move of an earlier version's records from
 * SQLite rows into the DuckDB record file (which `vpcflow serve` would otherwise do at start). With
 * `--to`, then copies the directory into an empty PostgreSQL database (src/store/copy-to-postgres.ts).
 * Prints a summary.
 */
import { ConfigError, resolveConfig, type RawOptions } from '../config.js';
import { recoverInterruptedAppends } from '../dataplane/pipeline/delivery.js';
import { createLogger } from '../logger.js';
import { CopyMismatchError, copyToPostgres, TargetNotEmptyError } from '../store/copy-to-postgres.js';
import { openStore, type Store } from '../store/store.js';
import { helpText, MIGRATE, parseCommand, UsageError } from './options.js';

export const MIGRATE_HELP = helpText(MIGRATE);

export async function migrateCommand(args: string[]): Promise<number> {
  const { values } = parseCommand(MIGRATE, args, 'vpcflow migrate');
  if (values['help']) {
    process.stdout.write(MIGRATE_HELP);
    return 0;
  }
  const to = values['to'] as string | undefined;
  if (to !== undefined && !/^postgres(ql)?:\/\/[^\s]+$/.test(to)) {
    throw new UsageError('--to must be postgres://USER[:PASSWORD]@HOST[:PORT]/DB', 'vpcflow migrate');
  }
  const { to: _to, ...serveValues } = values;
  // The source is the data directory, never a database URL from the environment.
  const config = resolveConfig(serveValues as RawOptions, {
    ...process.env,
    VPCFLOW_DATABASE_URL: '',
    DATABASE_URL: '',
  });
  if (config.inMemory) throw new ConfigError('vpcflow migrate works on a data directory, not --in-memory');
  const logger = createLogger(config.logLevel);
  let moved = 0;
  const store = await openStore({
    dataDir: config.dataDir,
    inMemory: false,
    recordStore: config.recordStore,
    recordsMemoryLimit: config.recordsMemoryLimit,
    recordsThreads: config.recordsThreads,
    onImport: ({ records, resumed }) => {
      moved = records;
      logger.info('records of an earlier version moved from SQLite to DuckDB', { records, resumed });
    },
    onRecordUpgrade: ({ fromVersion, records }) =>
      logger.info('record file upgraded to the current schema', { fromVersion, records }),
  });
  try {
    await recoverInterruptedAppends(store, logger);
    process.stdout.write(
      `vpcflow migrate: ${config.dataDir} is up to date; ${moved} records moved to DuckDB\n`,
    );
    if (to !== undefined) await copyTo(store, to);
  } finally {
    await store.close();
  }
  return 0;
}

async function copyTo(source: Store, url: string): Promise<void> {
  const target = await openStore({ dataDir: '', inMemory: true, databaseUrl: url, poolSize: 2 });
  try {
    const result = await copyToPostgres(source, target).catch((err: unknown) => {
      // Expected refusals are one line for the operator, not a stack trace.
      if (err instanceof TargetNotEmptyError || err instanceof CopyMismatchError) {
        throw new ConfigError(err.message);
      }
      throw err;
    });
    const rows = Object.values(result.tables).reduce((a, b) => a + b, 0);
    const where = describe(url);
    process.stdout.write(
      `vpcflow migrate: copied ${rows} rows in ${Object.keys(result.tables).length} tables to ${where}, row counts verified\n`,
    );
    process.stdout.write(
      result.records === undefined
        ? `vpcflow migrate: records stay in ${source.records.location} (records on PostgreSQL are kept per node)\n`
        : `vpcflow migrate: copied ${result.records} records, count verified\n`,
    );
    process.stdout.write(
      "vpcflow migrate: AccessKey secrets stay sealed with this data directory's key: start every node with VPCFLOW_SECRET_KEY set to it (the contents of secret.key when VPCFLOW_SECRET_KEY was not set)\n",
    );
  } finally {
    await target.close();
  }
}

/** The URL without its password. */
function describe(url: string): string {
  try {
    const u = new URL(url);
    u.password = '';
    return u.toString();
  } catch {
    return 'the database';
  }
}
