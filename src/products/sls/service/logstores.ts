/**
 * Logstores, shared by the SLS API (src/products/sls/api) and the seed loader (src/seed/seed.ts): the
 * naming rule and the ranges of `ttl` and `shardCount`, creation, listing, the retention change, and
 * deletion with its side effect on the record store.
 */
import { SLS_LOGSTORE_NAME } from '../../../protocol/sls/sls-request.js';
import { slsError } from '../../../protocol/sls/sls-errors.js';
import type { LogProjectRow, LogstoreRow } from '../../../store/repos/log-repo.js';
import type { Repos, Store } from '../../../store/store.js';
import type { Page } from './log-projects.js';

/** SLS logstore names: 3-63 of `[a-z0-9_-]`, first and last a letter or digit. */
export const LOGSTORE_NAME = SLS_LOGSTORE_NAME;

/** SLS retention in days: 1 to 3650, 30 by default; 3650 means "keep forever" (console "permanent storage"). */
export const LOGSTORE_TTL = { min: 1, max: 3650, default: 30 } as const;
/** Shards of a new logstore: 1 to 256, 2 by default (the SDK examples' value). */
export const LOGSTORE_SHARDS = { min: 1, max: 256, default: 2 } as const;

/** The live service's wording for bad logstore fields (`logstore name  is invalid` for an empty name). */
export const logstoreErrors = {
  name: (name: unknown) =>
    slsError('LogStoreInfoInvalid', { detail: `logstore name ${String(name)} is invalid` }),
  ttl: () =>
    slsError('LogStoreInfoInvalid', {
      detail: `ttl must be within range [${LOGSTORE_TTL.min}, ${LOGSTORE_TTL.max}]`,
    }),
  shardCount: () =>
    slsError('LogStoreInfoInvalid', {
      detail: `shardCount must be within range [${LOGSTORE_SHARDS.min}, ${LOGSTORE_SHARDS.max}]`,
    }),
};

export interface NewLogstore {
  /** Name matching LOGSTORE_NAME, ttl and shards within LOGSTORE_TTL / LOGSTORE_SHARDS (callers check). */
  name: string;
  ttlDays: number;
  shardCount: number;
}

/** Creates a logstore in the project; LogStoreAlreadyExist when the name is taken there. */
export async function createLogstore(
  repos: Repos,
  project: LogProjectRow,
  input: NewLogstore,
  now: number,
): Promise<LogstoreRow> {
  const row: LogstoreRow = {
    region_id: project.region_id,
    project_name: project.project_name,
    logstore_name: input.name,
    ttl_days: input.ttlDays,
    shard_count: input.shardCount,
    created_at: now,
    updated_at: now,
  };
  if (!(await repos.logs.insertLogstore(row)))
    throw slsError('LogStoreAlreadyExist', { logstore: input.name });
  return row;
}

export async function requireLogstore(
  repos: Repos,
  project: LogProjectRow,
  name: string,
): Promise<LogstoreRow> {
  const row = await repos.logs.getLogstore(project.region_id, project.project_name, name);
  if (!row) throw slsError('LogStoreNotExist', { logstore: name });
  return row;
}

/** The project's logstore names, filtered and paged. */
export async function listLogstoreNames(
  repos: Repos,
  project: LogProjectRow,
  page: Page,
): Promise<{ total: number; names: string[] }> {
  const rows = await repos.logs.listLogstores(project.region_id, project.project_name);
  const names = rows.map((r) => r.logstore_name).filter((n) => n.includes(page.filter));
  return { total: names.length, names: names.slice(page.offset, page.offset + page.size) };
}

/** Changes the retention (within LOGSTORE_TTL); the TTL sweeper applies it. */
export async function updateLogstoreTtl(
  repos: Repos,
  logstore: LogstoreRow,
  ttlDays: number,
  now: number,
): Promise<void> {
  await repos.logs.updateLogstoreTtl(
    logstore.region_id,
    logstore.project_name,
    logstore.logstore_name,
    ttlDays,
    now,
  );
}

/** The logstore's records (the record store is not part of SQLite transactions). */
export async function deleteLogstoreRecords(store: Store, logstore: LogstoreRow): Promise<void> {
  await store.records.deleteLogstore({
    regionId: logstore.region_id,
    projectName: logstore.project_name,
    logstoreName: logstore.logstore_name,
  });
}

/** Deletes a logstore and its records. */
export async function deleteLogstore(store: Store, logstore: LogstoreRow): Promise<void> {
  // The records go first; then the logstore; then the few records a delivery that checked the logstore
  // before it went appended meanwhile.
  await deleteLogstoreRecords(store, logstore);
  await store.transaction(async (repos) => {
    await repos.logs.deleteLogstore(logstore.region_id, logstore.project_name, logstore.logstore_name);
  });
  await deleteLogstoreRecords(store, logstore);
}
