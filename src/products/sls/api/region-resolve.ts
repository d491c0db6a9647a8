/**
 * Which region a project lives in. A real SLS endpoint is regional; the emulator serves every region on
 * one port, and project names are unique per region only. Rule (also in docs/sls-api.md):
 * 1. the region in the Host (`{project}.{region}.localhost`, `{region}.localhost`) when there is one;
 * 2. otherwise the region of the project with that name, if that settles it: the caller's only project of
 *    that name, else the only project of that name at all (another account's, which then reads as
 *    `ProjectNotExist` / `ProjectAlreadyExist`);
 * 3. otherwise the default region (`cn-hangzhou`).
 */
import type { LogProjectRow } from '../../../store/repos/log-repo.js';
import type { SlsCall } from './sls-context.js';

export async function resolveProjectRegion(call: SlsCall, projectName: string): Promise<string> {
  if (call.hostRegion) return call.hostRegion;
  const rows = await call.deps.store.repos.logs.findProjectsByName(projectName);
  const mine = rows.filter((r) => r.account_id === call.accountId);
  if (mine.length === 1 && mine[0]) return mine[0].region_id;
  if (mine.length === 0 && rows.length === 1 && rows[0]) return rows[0].region_id;
  return call.deps.defaultRegion;
}

/** The caller's project of that name (in the resolved region), or undefined: another account's is invisible. */
export async function findOwnProject(call: SlsCall, projectName: string): Promise<LogProjectRow | undefined> {
  const region = await resolveProjectRegion(call, projectName);
  const row = await call.deps.store.repos.logs.getProject(region, projectName);
  return row && row.account_id === call.accountId ? row : undefined;
}
