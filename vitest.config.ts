import { defineConfig } from 'vitest/config';

// Tests run in forked processes: better-sqlite3 and real sockets are safer outside worker threads.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default', './test/support/summary-reporter.ts'],
    globalSetup: ['./test/support/console-build-setup.ts'],
  },
});
