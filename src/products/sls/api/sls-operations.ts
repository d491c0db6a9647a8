/**
 * The SLS operations as declarations: each names its RAM action and how its resource ARN is built
 * (SLS "Resource list" and action names: `log:GetLogStoreLogs` for GetLogs, `log:ListProject`, ...),
 * and the handler that runs it. sls-handler.ts dispatches by route, authorizes through the same
 * injected Authorizer as the RPC gateway, and answers a denial in SLS's own shape:
 * `Unauthorized` (401) "denied by sts or ram, action: ..., resource: ...".
 *
 * ARNs: `acs:log:{region}:{accountId}:project/{project}` and `.../project/{project}/logstore/{logstore}`;
 * list and create operations name `{type}/*` under their parent.
 */
import type { RawResponse } from '../../../protocol/request.js';
import type { SlsOperation } from '../../../protocol/sls/sls-request.js';
import { getLogs, getLogsV2 } from './get-logs.js';
import {
  createLogStore,
  deleteLogStore,
  getLogStore,
  listLogStores,
  updateLogStore,
} from './logstore-ops.js';
import { createProject, deleteProject, getProject, listProject } from './project-ops.js';
import { resolveProjectRegion } from './region-resolve.js';
import type { SlsCall } from './sls-context.js';

export interface SlsOperationSpec {
  /** The RAM action checked for RAM users and role sessions. */
  readonly action: string;
  /** The resource ARN, from the Host's project, the path's logstore and the project's region. */
  resource(call: SlsCall): Promise<string>;
  run(call: SlsCall, requestId: string): Promise<RawResponse>;
}

async function projectArn(call: SlsCall, project: string | undefined): Promise<string> {
  const region = project
    ? await resolveProjectRegion(call, project)
    : (call.hostRegion ?? call.deps.defaultRegion);
  return `acs:log:${region}:${call.accountId}:project/${project ?? '*'}`;
}

const project = (call: SlsCall) => projectArn(call, call.hostProject);
const projects = (call: SlsCall) => projectArn(call, undefined);
const logstore = async (call: SlsCall) =>
  `${await projectArn(call, call.hostProject)}/logstore/${call.params['logstore'] ?? '*'}`;

/** CreateProject names the project in the body (sls20201230) or the Host (other SDKs). */
async function newProject(call: SlsCall): Promise<string> {
  let name = call.hostProject;
  try {
    const body = JSON.parse(call.body.toString('utf8')) as { projectName?: unknown };
    if (typeof body.projectName === 'string' && body.projectName) name = body.projectName;
  } catch {
    // The handler reports the malformed body; the ARN falls back to the Host's project.
  }
  return projectArn(call, name);
}

export const SLS_OPERATIONS: Readonly<Record<SlsOperation, SlsOperationSpec>> = {
  CreateProject: { action: 'log:CreateProject', resource: newProject, run: createProject },
  GetProject: { action: 'log:GetProject', resource: project, run: getProject },
  ListProject: { action: 'log:ListProject', resource: projects, run: listProject },
  DeleteProject: { action: 'log:DeleteProject', resource: project, run: deleteProject },
  CreateLogStore: { action: 'log:CreateLogStore', resource: logstore, run: createLogStore },
  GetLogStore: { action: 'log:GetLogStore', resource: logstore, run: getLogStore },
  ListLogStores: { action: 'log:ListLogStores', resource: logstore, run: listLogStores },
  UpdateLogStore: { action: 'log:UpdateLogStore', resource: logstore, run: updateLogStore },
  DeleteLogStore: { action: 'log:DeleteLogStore', resource: logstore, run: deleteLogStore },
  GetLogs: { action: 'log:GetLogStoreLogs', resource: logstore, run: getLogs },
  GetLogsV2: { action: 'log:GetLogStoreLogs', resource: logstore, run: getLogsV2 },
};
