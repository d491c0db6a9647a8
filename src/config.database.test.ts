import { describe, expect, it } from 'vitest';
import { ConfigError, resolveConfig } from './config.js';

const URL_A = 'postgres://vpcflow@db-a:5432/vpcflow';
const URL_B = 'postgresql://vpcflow:secret@db-b/vpcflow?sslmode=require';

describe('--database-url', () => {
  it('is off by default: the embedded SQLite store', () => {
    expect(resolveConfig({}, {}).databaseUrl).toBeUndefined();
    expect(resolveConfig({}, {}).databasePoolSize).toBe(10);
  });

  it('comes from the flag, else VPCFLOW_DATABASE_URL, else DATABASE_URL', () => {
    expect(resolveConfig({}, { DATABASE_URL: URL_B }).databaseUrl).toBe(URL_B);
    expect(resolveConfig({}, { DATABASE_URL: URL_B, VPCFLOW_DATABASE_URL: URL_A }).databaseUrl).toBe(URL_A);
    expect(resolveConfig({ 'database-url': URL_B }, { VPCFLOW_DATABASE_URL: URL_A }).databaseUrl).toBe(URL_B);
  });

  it('refuses anything but a postgres:// URL, naming the setting', () => {
    for (const bad of ['mysql://x@y/z', 'db-a:5432', 'postgres://']) {
      expect(() => resolveConfig({ 'database-url': bad }, {})).toThrow(ConfigError);
      expect(() => resolveConfig({ 'database-url': bad }, {})).toThrow(
        '--database-url / VPCFLOW_DATABASE_URL / DATABASE_URL must be postgres://',
      );
    }
  });

  it('takes a pool size from 1 to 1000', () => {
    expect(resolveConfig({ 'database-pool-size': '3' }, {}).databasePoolSize).toBe(3);
    expect(resolveConfig({}, { VPCFLOW_DATABASE_POOL_SIZE: '50' }).databasePoolSize).toBe(50);
    expect(() => resolveConfig({ 'database-pool-size': '0' }, {})).toThrow(
      '--database-pool-size / VPCFLOW_DATABASE_POOL_SIZE must be an integer from 1 to 1000, got "0"',
    );
  });
});

describe('--leader-lease-ms', () => {
  it('defaults to 15 s and takes 1000 to 600000 ms from the flag or VPCFLOW_LEADER_LEASE_MS', () => {
    expect(resolveConfig({}, {}).leaderLeaseMs).toBe(15_000);
    expect(resolveConfig({ 'leader-lease-ms': '2000' }, {}).leaderLeaseMs).toBe(2_000);
    expect(resolveConfig({}, { VPCFLOW_LEADER_LEASE_MS: '60000' }).leaderLeaseMs).toBe(60_000);
    expect(() => resolveConfig({ 'leader-lease-ms': '999' }, {})).toThrow(
      '--leader-lease-ms / VPCFLOW_LEADER_LEASE_MS must be an integer from 1000 to 600000, got "999"',
    );
  });
});
