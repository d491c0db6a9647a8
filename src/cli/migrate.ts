/**
 * `vpcflow migrate [--data DIR]`: brings a data directory up to date without serving: SQLite schema
 * migrations, then the one-time move of an earlier version's records from SQLite rows into the DuckDB
 * record file (which `vpcflow serve` would otherwise do at start). Prints one summary line.
 */
import { parseArgs } from 'node:util';
import { ConfigError, resolveConfig } from '../config.js';
import { recoverInterruptedAppends } from '../dataplane/pipeline/delivery.js';
import { createLogger } from '../logger.js';
import { openStore } from '../store/store.js';

export const MIGRATE_HELP = `Usage: vpcflow migrate [--data DIR] [--records-memory-limit SIZE] [--records-threads N]

Applies the SQLite schema migrations of DIR (VPCFLOW_DATA, default ./.vpcflow) and moves flow-log
records kept as SQLite rows by earlier versions into the DuckDB record file, once. Safe to run again.
`;

export async function migrateCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      data: { type: 'string' },
      'records-memory-limit': { type: 'string' },
      'records-threads': { type: 'string' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(MIGRATE_HELP);
    return 0;
  }
  const config = resolveConfig(values, process.env);
  if (config.inMemory) throw new ConfigError('vpcflow migrate works on a data directory, not --in-memory');
  const logger = createLogger(config.logLevel);
  let moved = 0;
  const store = await openStore({
    dataDir: config.dataDir,
    inMemory: false,
    recordsMemoryLimit: config.recordsMemoryLimit,
    recordsThreads: config.recordsThreads,
    onImport: ({ records, resumed }) => {
      moved = records;
      logger.info('records of an earlier version moved from SQLite to DuckDB', { records, resumed });
    },
  });
  try {
    await recoverInterruptedAppends(store, logger);
  } finally {
    await store.close();
  }
  process.stdout.write(
    `vpcflow migrate: ${config.dataDir} is up to date; ${moved} records moved to DuckDB\n`,
  );
  return 0;
}
