// The record store settings: defaults, flag over variable, and the message naming the setting for a
// bad value (start-up stops with it, as for every other setting).
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { ConfigError, resolveConfig } from '../src/config.js';

describe('record store settings', () => {
  it('default to DuckDB, 1GB and all cores but one', () => {
    const c = resolveConfig({}, {});
    expect(c).toMatchObject({
      recordStore: 'duckdb',
      recordsMemoryLimit: '1GB',
      recordsThreads: Math.max(1, availableParallelism() - 1),
    });
  });

  it('default to PostgreSQL with a database URL, where duckdb keeps them per node', () => {
    const url = 'postgres://vpcflow@db.internal/vpcflow';
    expect(resolveConfig({ 'database-url': url }, {})).toMatchObject({ recordStore: 'postgres' });
    expect(resolveConfig({}, { DATABASE_URL: url })).toMatchObject({ recordStore: 'postgres' });
    expect(resolveConfig({ 'database-url': url, 'record-store': 'duckdb' }, {})).toMatchObject({
      recordStore: 'duckdb',
    });
  });

  it('take the flag over the environment variable', () => {
    const env = {
      VPCFLOW_RECORD_STORE: 'duckdb',
      VPCFLOW_RECORDS_MEMORY_LIMIT: '2GB',
      VPCFLOW_RECORDS_THREADS: '3',
    };
    expect(resolveConfig({}, env)).toMatchObject({
      recordStore: 'duckdb',
      recordsMemoryLimit: '2GB',
      recordsThreads: 3,
    });
    expect(
      resolveConfig(
        { 'record-store': 'sqlite', 'records-memory-limit': '512MiB', 'records-threads': '1' },
        env,
      ),
    ).toMatchObject({ recordStore: 'sqlite', recordsMemoryLimit: '512MiB', recordsThreads: 1 });
  });

  it.each([
    [
      { 'record-store': 'mysql' },
      '--record-store / VPCFLOW_RECORD_STORE must be duckdb, sqlite or postgres, got "mysql"',
    ],
    [
      { 'record-store': 'postgres' },
      '--record-store postgres needs --database-url (the database the records live in)',
    ],
    [
      { 'record-store': 'sqlite', 'database-url': 'postgres://vpcflow@db.internal/vpcflow' },
      '--record-store sqlite cannot be used with --database-url (use postgres, the default there, or duckdb)',
    ],
    [
      { 'records-memory-limit': 'lots' },
      '--records-memory-limit / VPCFLOW_RECORDS_MEMORY_LIMIT must be a size such as 512MB or 2GB, got "lots"',
    ],
    [
      { 'records-memory-limit': '1GB; PRAGMA x' },
      '--records-memory-limit / VPCFLOW_RECORDS_MEMORY_LIMIT must be a size such as 512MB or 2GB, got "1GB; PRAGMA x"',
    ],
    [
      { 'records-threads': '0' },
      '--records-threads / VPCFLOW_RECORDS_THREADS must be an integer from 1 to 256, got "0"',
    ],
    [
      { 'records-threads': 'many' },
      '--records-threads / VPCFLOW_RECORDS_THREADS must be an integer from 1 to 256, got "many"',
    ],
  ])('refuses %o', (flags, message) => {
    expect(() => resolveConfig(flags, {})).toThrow(new ConfigError(message));
  });
});
