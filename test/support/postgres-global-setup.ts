/**
 * Vitest globalSetup of the `postgres` project: one throwaway cluster for the whole run (each test
 * server then gets its own database in it, see test-store.ts), removed at the end. With
 * VPCFLOW_TEST_PG_URL set, that server is used instead and nothing is started.
 */
import type { TestProject } from 'vitest/node';
import { startPostgresCluster, type PostgresCluster } from './postgres-cluster.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A superuser URL of the test PostgreSQL server (its maintenance database). */
    postgresUrl: string;
  }
}

let cluster: PostgresCluster | undefined;

export async function setup(project: TestProject): Promise<void> {
  const given = process.env['VPCFLOW_TEST_PG_URL'];
  if (given) {
    project.provide('postgresUrl', given);
    return;
  }
  cluster = await startPostgresCluster();
  project.provide('postgresUrl', cluster.url);
}

export async function teardown(): Promise<void> {
  await cluster?.stop();
  cluster = undefined;
}
