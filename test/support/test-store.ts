/**
 * Which store the test servers use, the way Azurite's test factory picks its store:
 * `VPCFLOW_TEST_DB=postgres` (set by the `postgres` Vitest project) gives every test server its own
 * PostgreSQL database on the run's cluster; anything else keeps the embedded SQLite store.
 *
 * An in-memory server gets a fresh database, dropped when it closes. A server on a data directory
 * gets the database named after that directory, kept, so a restart on the same directory finds its
 * data again, as with the SQLite file.
 */
import { createHash, randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';

export const TEST_DB: 'sqlite' | 'postgres' =
  process.env['VPCFLOW_TEST_DB'] === 'postgres' ? 'postgres' : 'sqlite';
export const onPostgres = TEST_DB === 'postgres';

export interface TestDatabase {
  url: string;
  /** Drops a per-server database; nothing for one named after a data directory. */
  release(): Promise<void>;
}

/** The URL of the same server with another database name. */
export function databaseUrl(name: string): string {
  const url = new URL(inject('postgresUrl'));
  url.pathname = `/${name}`;
  return url.toString();
}

/** Runs `sql` on the maintenance database (CREATE / DROP DATABASE cannot run inside a transaction). */
export async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: inject('postgresUrl') });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export async function testDatabase(opts: { inMemory: boolean; dataDir: string }): Promise<TestDatabase> {
  if (opts.inMemory) {
    const name = `t_${process.pid}_${randomBytes(6).toString('hex')}`;
    await adminQuery(`CREATE DATABASE ${name}`);
    return {
      url: databaseUrl(name),
      release: () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
    };
  }
  const name = `d_${createHash('sha256').update(opts.dataDir).digest('hex').slice(0, 24)}`;
  await adminQuery(`CREATE DATABASE ${name}`).catch((err: { code?: string }) => {
    if (err.code !== '42P04') throw err; // duplicate_database: a restart on the same directory
  });
  return { url: databaseUrl(name), release: async () => undefined };
}
