/**
 * Log projects, shared by the SLS API (src/products/sls/api) and the seed loader (src/seed/seed.ts): the
 * naming rule, creation, listing and deletion with its side effect on the record store. Which region an
 * API request's project lives in is the API's concern (api/region-resolve.ts); here it is given.
 */
import { SLS_PROJECT_NAME } from '../../../protocol/sls/sls-request.js';
import { slsError } from '../../../protocol/sls/sls-errors.js';
import type { LogProjectRow } from '../../../store/repos/log-repo.js';
import type { Repos, Store } from '../../../store/store.js';
import { deleteLogstoreRecords } from './logstores.js';

/** SLS project names: 3-63 of `[a-z0-9-]`, first and last a letter or digit (README.md in src/protocol/sls). */
export const PROJECT_NAME = SLS_PROJECT_NAME;

/** CreateProject's refusal of a bad name, in the live service's wording. */
export function invalidProjectName(name: unknown) {
  return slsError('ParameterInvalid', { detail: `project name ${String(name)} is invalid` });
}

export interface NewLogProject {
  regionId: string;
  accountId: string;
  /** Matches PROJECT_NAME (the API's specs and the seed loader check it). */
  name: string;
  description: string;
}

/** Creates a project; ProjectAlreadyExist when the name is taken in the region, by any account. */
export async function createLogProject(
  repos: Repos,
  input: NewLogProject,
  now: number,
): Promise<LogProjectRow> {
  const row: LogProjectRow = {
    region_id: input.regionId,
    project_name: input.name,
    account_id: input.accountId,
    description: input.description,
    created_at: now,
    updated_at: now,
  };
  // Project names are unique per region across accounts (they are host names).
  if (!(await repos.logs.insertProject(row))) throw slsError('ProjectAlreadyExist', { project: input.name });
  return row;
}

/** The account's project of that name in the region; another account's reads as ProjectNotExist. */
export async function requireOwnProject(
  repos: Repos,
  accountId: string,
  regionId: string,
  name: string,
): Promise<LogProjectRow> {
  const row = await repos.logs.getProject(regionId, name);
  if (!row || row.account_id !== accountId) throw slsError('ProjectNotExist', { project: name });
  return row;
}

export interface Page {
  offset: number;
  size: number;
  /** Names containing this text (SLS's fuzzy match); '' for all. */
  filter: string;
}

/** An account's projects in one region (or every region), filtered and paged. */
export async function listLogProjects(
  repos: Repos,
  accountId: string,
  regionId: string | undefined,
  page: Page,
): Promise<{ total: number; rows: LogProjectRow[] }> {
  const rows = regionId
    ? await repos.logs.listProjects(accountId, regionId)
    : await repos.logs.listProjectsOfAccount(accountId);
  const matching = rows.filter((r) => r.project_name.includes(page.filter));
  return { total: matching.length, rows: matching.slice(page.offset, page.offset + page.size) };
}

/** Deletes a project with its logstores and their records. */
export async function deleteLogProject(store: Store, project: LogProjectRow): Promise<void> {
  // The records go first (the record store is not part of SQLite transactions); then the project with its
  // logstores; then the few records a delivery that checked the logstore before it went appended meanwhile.
  const logstores = await store.repos.logs.listLogstores(project.region_id, project.project_name);
  for (const ls of logstores) await deleteLogstoreRecords(store, ls);
  await store.transaction(async (repos) => {
    await repos.logs.deleteProject(project.region_id, project.project_name);
  });
  for (const ls of logstores) await deleteLogstoreRecords(store, ls);
}
