/**
 * A PostgreSQL database for the record-store tests that compare or exercise every engine: on the
 * `postgres` project, a database of its own on the run's cluster; on the `sqlite` project, a throwaway
 * cluster of its own when PostgreSQL is installed. Undefined when it is not (never under CI=true:
 * starting the cluster then fails the test).
 */
import { findPostgresBin, startPostgresCluster } from './postgres-cluster.js';
import { skipWithout } from './real-tools.js';
import { onPostgres, testDatabase } from './test-store.js';

export interface RecordDatabase {
  url: string;
  release(): Promise<void>;
}

export async function recordDatabase(): Promise<RecordDatabase | undefined> {
  if (onPostgres) return testDatabase({ inMemory: true, dataDir: '' });
  if (skipWithout(findPostgresBin() !== undefined)) return undefined;
  const cluster = await startPostgresCluster();
  return { url: cluster.url, release: () => cluster.stop() };
}
