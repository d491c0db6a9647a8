import { defineConfig } from 'vitest/config';
import { findPostgresBin } from './test/support/postgres-cluster.js';

// Two projects, one behavioural suite: every test runs on the embedded SQLite store; the server tests
// (test/**) run again on PostgreSQL (VPCFLOW_TEST_DB=postgres), on a throwaway cluster the globalSetup
// starts. Without PostgreSQL installed the postgres project is left out, except under CI=true, where
// it stays and fails. `vitest run --project sqlite` (or postgres) runs one of them.
const postgresAvailable =
  Boolean(process.env['VPCFLOW_TEST_PG_URL']) ||
  findPostgresBin() !== undefined ||
  process.env['CI'] === 'true';
if (!postgresAvailable) {
  console.warn(
    'PostgreSQL is not installed: the postgres test project is skipped (it never is with CI=true)',
  );
}

// Tests run in forked processes: better-sqlite3 and real sockets are safer outside worker threads.
export default defineConfig({
  test: {
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default', './test/support/summary-reporter.ts'],
    // Inherited by both projects (run one after the other): each bundles the console before its tests.
    globalSetup: ['./test/support/console-build-setup.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'sqlite',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          // What only exists with PostgreSQL: its outage, several nodes on one database.
          exclude: ['test/postgres-*.test.ts'],
        },
      },
      ...(postgresAvailable
        ? [
            {
              extends: true as const,
              test: {
                name: 'postgres',
                include: ['test/**/*.test.ts'],
                // Flow-log records live in PostgreSQL on this project too (src/store/records/
                // postgres-records.ts): the record and GetLogs tests (records-*, sls-query, sls-cli,
                // dataplane-e2e) run on both.
                exclude: [
                  // The 100k-request hostile campaign checks the SQLite file after it; PostgreSQL runs
                  // the same hostile paths (nonces, throttling, errors) in the other server tests.
                  'test/hostile-campaign.test.ts',
                  // Spawns its own --in-memory processes: the same run on either project.
                  'test/cli-process.test.ts',
                ],
                env: { VPCFLOW_TEST_DB: 'postgres' },
                globalSetup: ['./test/support/postgres-global-setup.ts'],
              },
            },
          ]
        : []),
    ],
  },
});
