/** CreateProject, GetProject, ListProject, DeleteProject (shapes: README.md in src/protocol/sls). */
import { isValidSlsProjectName } from '../../../protocol/sls/sls-request.js';
import { slsError } from '../../../protocol/sls/sls-errors.js';
import type { RawResponse } from '../../../protocol/request.js';
import type { LogProjectRow } from '../../../store/repos/log-repo.js';
import { defaultResourceGroupId } from '../../identity/identity-service.js';
import { findOwnProject, resolveProjectRegion } from './region-resolve.js';
import type { SlsCall } from './sls-context.js';
import { intParam, jsonBody, stringParam, toUnixSeconds } from './sls-params.js';
import { slsEmpty, slsJson } from './sls-response.js';

/** The `Project` model of `@alicloud/sls20201230`: times are decimal strings of Unix seconds. */
export function projectModel(row: LogProjectRow): Record<string, unknown> {
  return {
    projectName: row.project_name,
    description: row.description,
    status: 'Normal',
    owner: row.account_id,
    region: row.region_id,
    createTime: String(toUnixSeconds(row.created_at)),
    lastModifyTime: String(toUnixSeconds(row.updated_at)),
    location: '',
    resourceGroupId: defaultResourceGroupId(row.account_id),
    dataRedundancyType: 'LRS',
    recycleBinEnabled: false,
  };
}

export async function requireOwnProject(call: SlsCall, name: string): Promise<LogProjectRow> {
  const row = await findOwnProject(call, name);
  if (!row) throw slsError('ProjectNotExist', { project: name });
  return row;
}

export async function createProject(call: SlsCall, requestId: string): Promise<RawResponse> {
  const body = jsonBody(call.body);
  // sls20201230 sends the bare endpoint with the name in the body; other SDKs use the project host.
  const name = stringParam('projectName', body['projectName']) || call.hostProject;
  if (!name || !isValidSlsProjectName(name)) {
    throw slsError('ParameterInvalid', { detail: `project name ${name ?? ''} is invalid` });
  }
  const description = stringParam('description', body['description']) ?? '';
  const region = await resolveProjectRegion(call, name);
  const now = call.deps.now();
  const created = await call.deps.store.repos.logs.insertProject({
    region_id: region,
    project_name: name,
    account_id: call.accountId,
    description,
    created_at: now,
    updated_at: now,
  });
  if (!created) throw slsError('ProjectAlreadyExist', { project: name });
  return slsEmpty(requestId);
}

export async function getProject(call: SlsCall, requestId: string): Promise<RawResponse> {
  const row = await requireOwnProject(call, call.hostProject ?? '');
  return slsJson(requestId, projectModel(row));
}

export async function listProject(call: SlsCall, requestId: string): Promise<RawResponse> {
  const offset = intParam('offset', call.query['offset'], 0, 0) ?? 0;
  const size = intParam('size', call.query['size'], 100, 0, 500) ?? 100;
  const filter = call.query['projectName'] ?? '';
  const repo = call.deps.store.repos.logs;
  // The bare `localhost` endpoint answers for every region; `{region}.localhost` for one.
  const rows = call.hostRegion
    ? await repo.listProjects(call.accountId, call.hostRegion)
    : await repo.listProjectsOfAccount(call.accountId);
  const matching = rows.filter((r) => r.project_name.includes(filter));
  const page = matching.slice(offset, offset + size);
  return slsJson(requestId, { count: page.length, total: matching.length, projects: page.map(projectModel) });
}

export async function deleteProject(call: SlsCall, requestId: string): Promise<RawResponse> {
  const row = await requireOwnProject(call, call.hostProject ?? '');
  const ref = (logstoreName: string) => ({
    regionId: row.region_id,
    projectName: row.project_name,
    logstoreName,
  });
  // The records go first (the record store is not part of SQLite transactions); then the project with its
  // logstores; then the few records a delivery that checked the logstore before it went appended meanwhile.
  const { store } = call.deps;
  const logstores = await store.repos.logs.listLogstores(row.region_id, row.project_name);
  for (const ls of logstores) await store.records.deleteLogstore(ref(ls.logstore_name));
  await store.transaction(async (repos) => {
    await repos.logs.deleteProject(row.region_id, row.project_name);
  });
  for (const ls of logstores) await store.records.deleteLogstore(ref(ls.logstore_name));
  return slsEmpty(requestId);
}
