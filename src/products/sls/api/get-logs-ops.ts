/**
 * GetLogs (query string) and GetLogsV2 (JSON body): one parameter set in two places. Semantics (SLS
 * GetLogs reference and the SDK model docs): `[from, to)` in Unix seconds, both required and `to` not
 * before `from`; `line` 0-100, default 100, larger values clamped to 100 as the live service does;
 * `offset` from 0, default 0; `reverse` default false. RAM: `log:GetLogStoreLogs`, the action SLS
 * documents for both (alibabacloud.com/help/en/sls/developer-reference/api-sls-2020-12-30-getlogsv2);
 * there is no `log:GetLogs` action.
 */
import { slsError } from '../../../protocol/sls/sls-errors.js';
import type { SlsResourceScope } from '../../../protocol/sls/sls-operation.js';
import type { SlsParamSpecs } from '../../../protocol/sls/sls-params.js';
import { getLogs, getLogsV2, type LogsRequest } from './get-logs.js';
import { logstoreArn, ownLogstore } from './region-resolve.js';
import { defineSlsOp, LOGSTORE_PARAM, PROJECT_PARAM, type SlsCall } from './sls-context.js';

/** Most rows one GetLogs call returns. */
export const MAX_LINES = 100;

function logsParams(from: 'query' | 'body') {
  // The live wording for a missing or malformed time (README.md in src/protocol/sls, GetLogs).
  const time = (name: string) => () =>
    slsError('ParameterInvalid', { detail: `The parameter ${name} must be a positive integer` });
  return {
    ...PROJECT_PARAM,
    ...LOGSTORE_PARAM,
    from: { type: 'integer', in: from, required: true, min: 0, invalid: time('from') },
    to: { type: 'integer', in: from, required: true, min: 0, invalid: time('to'), notBelow: 'from' },
    line: { type: 'integer', in: from, min: 0, clampTo: MAX_LINES, default: MAX_LINES },
    query: { type: 'string', in: from, default: '' },
    offset: { type: 'integer', in: from, min: 0, default: 0 },
    reverse: { type: 'boolean', in: from, default: false },
    topic: { type: 'string', in: from },
  } as const satisfies SlsParamSpecs;
}

type LogsParams = Omit<LogsRequest, 'topic'> & { topic?: string; project: string; logstore: string };

async function target(call: SlsCall, p: LogsParams) {
  const { project, logstore } = await ownLogstore(call, p.project, p.logstore);
  const ref = {
    regionId: project.region_id,
    projectName: project.project_name,
    logstoreName: logstore.logstore_name,
  };
  const { from, to, query, line, offset, reverse, topic } = p;
  return { ref, req: { from, to, query, line, offset, reverse, topic } };
}

const authorization = {
  action: 'log:GetLogStoreLogs',
  resource: (p: { project: string; logstore: string }, s: SlsResourceScope) =>
    logstoreArn(s, p.project, p.logstore),
};

export const getLogsOp = defineSlsOp({
  name: 'GetLogs',
  access: 'read',
  params: logsParams('query'),
  authorization,
  async handle(call, p) {
    const { ref, req } = await target(call, p);
    return getLogs(call, ref, req);
  },
});

export const getLogsV2Op = defineSlsOp({
  name: 'GetLogsV2',
  access: 'read',
  params: logsParams('body'),
  authorization,
  async handle(call, p) {
    const { ref, req } = await target(call, p);
    return getLogsV2(call, ref, req);
  },
});
