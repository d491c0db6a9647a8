/**
 * Which region a project lives in. A real SLS endpoint is regional; the emulator serves every region on
 * one port, and project names are unique per region only. Rule (also in docs/sls-api.md):
 * 1. the region in the Host (`{project}.{region}.localhost`, `{region}.localhost`) when there is one;
 * 2. otherwise the region of the project with that name, if that settles it: the caller's only project of
 *    that name, else the only project of that name at all (another account's, which then reads as
 *    `ProjectNotExist` / `ProjectAlreadyExist`);
 * 3. otherwise the default region (`cn-hangzhou`).
 */
import type { SlsResourceScope } from '../../../protocol/sls/sls-operation.js';
import type { LogProjectRow, LogstoreRow } from '../../../store/repos/log-repo.js';
import { requireOwnProject } from '../service/log-projects.js';
import { requireLogstore } from '../service/logstores.js';
import type { SlsCall } from './sls-context.js';

export async function resolveProjectRegion(call: SlsCall, projectName: string): Promise<string> {
  if (call.hostRegion) return call.hostRegion;
  const rows = await call.deps.store.repos.logs.findProjectsByName(projectName);
  const mine = rows.filter((r) => r.account_id === call.accountId);
  if (mine.length === 1 && mine[0]) return mine[0].region_id;
  if (mine.length === 0 && rows.length === 1 && rows[0]) return rows[0].region_id;
  return call.deps.defaultRegion;
}

/** The caller's project of that name (in the resolved region), or ProjectNotExist. */
export async function ownProject(call: SlsCall, projectName: string): Promise<LogProjectRow> {
  const region = await resolveProjectRegion(call, projectName);
  return requireOwnProject(call.deps.store.repos, call.accountId, region, projectName);
}

/** The caller's project and its logstore, or ProjectNotExist / LogStoreNotExist. */
export async function ownLogstore(
  call: SlsCall,
  projectName: string,
  logstoreName: string,
): Promise<{ project: LogProjectRow; logstore: LogstoreRow }> {
  const project = await ownProject(call, projectName);
  return { project, logstore: await requireLogstore(call.deps.store.repos, project, logstoreName) };
}

/** The ARN scope of a call: a named project's region, or without one the region the Host addresses. */
export function resourceScope(call: SlsCall): SlsResourceScope {
  return {
    accountId: call.accountId,
    region: async (project) =>
      project ? resolveProjectRegion(call, project) : (call.hostRegion ?? call.deps.defaultRegion),
  };
}

/**
 * ARNs (SLS "RAM authentication rules", alibabacloud.com/help/doc-detail/29052.htm):
 * `acs:log:{region}:{accountId}:project/{project}`, and `.../project/{project}/logstore/{logstore}`;
 * list and create operations name `{type}/*` under their parent.
 */
export async function projectArn(scope: SlsResourceScope, project: string | undefined): Promise<string> {
  return `acs:log:${await scope.region(project)}:${scope.accountId}:project/${project ?? '*'}`;
}

export async function logstoreArn(
  scope: SlsResourceScope,
  project: string,
  logstore: string | undefined,
): Promise<string> {
  return `${await projectArn(scope, project)}/logstore/${logstore ?? '*'}`;
}
