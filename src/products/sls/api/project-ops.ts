/** CreateProject, GetProject, ListProject, DeleteProject (shapes: README.md in src/protocol/sls). */
import type { LogProjectRow } from '../../../store/repos/log-repo.js';
import { defaultResourceGroupId } from '../../identity/identity-service.js';
import {
  createLogProject,
  deleteLogProject,
  invalidProjectName,
  listLogProjects,
  PROJECT_NAME,
} from '../service/log-projects.js';
import { ownProject, projectArn, resolveProjectRegion } from './region-resolve.js';
import { defineSlsOp, pageParams, PROJECT_PARAM } from './sls-context.js';
import { toUnixSeconds } from './sls-params.js';
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

export const createProjectOp = defineSlsOp({
  name: 'CreateProject',
  access: 'write',
  params: {
    // sls20201230 sends the bare endpoint with the name in the body; other SDKs use the project host.
    projectName: {
      type: 'string',
      in: ['body', 'host'],
      required: true,
      pattern: PROJECT_NAME,
      invalid: invalidProjectName,
    },
    description: { type: 'string', in: 'body', default: '' },
  },
  authorization: { action: 'log:CreateProject', resource: (p, s) => projectArn(s, p.projectName) },
  async handle(call, p) {
    await createLogProject(
      call.deps.store.repos,
      {
        regionId: await resolveProjectRegion(call, p.projectName),
        accountId: call.accountId,
        name: p.projectName,
        description: p.description,
      },
      call.deps.now(),
    );
    return slsEmpty(call.requestId);
  },
});

export const getProjectOp = defineSlsOp({
  name: 'GetProject',
  access: 'read',
  params: PROJECT_PARAM,
  authorization: { action: 'log:GetProject', resource: (p, s) => projectArn(s, p.project) },
  async handle(call, p) {
    return slsJson(call.requestId, projectModel(await ownProject(call, p.project)));
  },
});

export const listProjectOp = defineSlsOp({
  name: 'ListProject',
  access: 'read',
  params: {
    ...pageParams(100),
    projectName: { type: 'string', in: 'query', default: '' },
  },
  authorization: { action: 'log:ListProject', resource: (_p, s) => projectArn(s, undefined) },
  async handle(call, p) {
    // The bare `localhost` endpoint answers for every region; `{region}.localhost` for one.
    const { total, rows } = await listLogProjects(call.deps.store.repos, call.accountId, call.hostRegion, {
      offset: p.offset,
      size: p.size,
      filter: p.projectName,
    });
    return slsJson(call.requestId, { count: rows.length, total, projects: rows.map(projectModel) });
  },
});

export const deleteProjectOp = defineSlsOp({
  name: 'DeleteProject',
  access: 'write',
  params: PROJECT_PARAM,
  authorization: { action: 'log:DeleteProject', resource: (p, s) => projectArn(s, p.project) },
  async handle(call, p) {
    await deleteLogProject(call.deps.store, await ownProject(call, p.project));
    return slsEmpty(call.requestId);
  },
});
