/** CreateLogStore, GetLogStore, ListLogStores, UpdateLogStore (TTL), DeleteLogStore. */
import type { SlsParamSpecs } from '../../../protocol/sls/sls-params.js';
import type { LogstoreRow } from '../../../store/repos/log-repo.js';
import {
  createLogstore,
  deleteLogstore,
  listLogstoreNames,
  LOGSTORE_NAME,
  LOGSTORE_SHARDS,
  LOGSTORE_TTL,
  logstoreErrors,
  updateLogstoreTtl,
} from '../service/logstores.js';
import { logstoreArn, ownLogstore, ownProject } from './region-resolve.js';
import { defineSlsOp, LOGSTORE_PARAM, pageParams, PROJECT_PARAM } from './sls-context.js';
import { toUnixSeconds } from './sls-params.js';
import { slsEmpty, slsJson } from './sls-response.js';

/** `ttl` in days (SLS: 1 to 3650). */
const TTL_SPEC = {
  type: 'integer',
  in: 'body',
  min: LOGSTORE_TTL.min,
  max: LOGSTORE_TTL.max,
  invalid: logstoreErrors.ttl,
} as const satisfies SlsParamSpecs[string];

/** The `Logstore` model: here the times are numbers (Unix seconds), unlike Project's strings. */
function logstoreModel(row: LogstoreRow): Record<string, unknown> {
  return {
    logstoreName: row.logstore_name,
    ttl: row.ttl_days,
    hot_ttl: row.ttl_days,
    shardCount: row.shard_count,
    createTime: toUnixSeconds(row.created_at),
    lastModifyTime: toUnixSeconds(row.updated_at),
    enable_tracking: false,
    autoSplit: true,
    maxSplitShard: 64,
    appendMeta: false,
    mode: 'standard',
    telemetryType: 'None',
    productType: '',
  };
}

export const createLogStoreOp = defineSlsOp({
  name: 'CreateLogStore',
  access: 'write',
  params: {
    ...PROJECT_PARAM,
    // Live wording: `logstore name  is invalid` (two spaces for an empty name).
    logstoreName: {
      type: 'string',
      in: 'body',
      required: true,
      pattern: LOGSTORE_NAME,
      invalid: logstoreErrors.name,
    },
    ttl: { ...TTL_SPEC, default: LOGSTORE_TTL.default },
    shardCount: {
      type: 'integer',
      in: 'body',
      min: LOGSTORE_SHARDS.min,
      max: LOGSTORE_SHARDS.max,
      default: LOGSTORE_SHARDS.default,
      invalid: logstoreErrors.shardCount,
    },
  },
  authorization: { action: 'log:CreateLogStore', resource: (p, s) => logstoreArn(s, p.project, undefined) },
  async handle(call, p) {
    const project = await ownProject(call, p.project);
    const input = { name: p.logstoreName, ttlDays: p.ttl, shardCount: p.shardCount };
    await createLogstore(call.deps.store.repos, project, input, call.deps.now());
    return slsEmpty(call.requestId);
  },
});

export const getLogStoreOp = defineSlsOp({
  name: 'GetLogStore',
  access: 'read',
  params: { ...PROJECT_PARAM, ...LOGSTORE_PARAM },
  authorization: { action: 'log:GetLogStore', resource: (p, s) => logstoreArn(s, p.project, p.logstore) },
  async handle(call, p) {
    const { logstore } = await ownLogstore(call, p.project, p.logstore);
    return slsJson(call.requestId, logstoreModel(logstore));
  },
});

export const listLogStoresOp = defineSlsOp({
  name: 'ListLogStores',
  access: 'read',
  params: {
    ...PROJECT_PARAM,
    ...pageParams(200),
    logstoreName: { type: 'string', in: 'query', default: '' },
  },
  authorization: { action: 'log:ListLogStores', resource: (p, s) => logstoreArn(s, p.project, undefined) },
  async handle(call, p) {
    const project = await ownProject(call, p.project);
    const { total, names } = await listLogstoreNames(call.deps.store.repos, project, {
      offset: p.offset,
      size: p.size,
      filter: p.logstoreName,
    });
    return slsJson(call.requestId, { count: names.length, total, logstores: names });
  },
});

export const updateLogStoreOp = defineSlsOp({
  name: 'UpdateLogStore',
  access: 'write',
  // Only the retention changes; the live service ignores a changed shardCount here too.
  params: { ...PROJECT_PARAM, ...LOGSTORE_PARAM, ttl: TTL_SPEC },
  authorization: {
    action: 'log:UpdateLogStore',
    resource: (p, s) => logstoreArn(s, p.project, p.logstore),
  },
  async handle(call, p) {
    const { logstore } = await ownLogstore(call, p.project, p.logstore);
    const ttl = p.ttl ?? logstore.ttl_days;
    await updateLogstoreTtl(call.deps.store.repos, logstore, ttl, call.deps.now());
    return slsEmpty(call.requestId);
  },
});

export const deleteLogStoreOp = defineSlsOp({
  name: 'DeleteLogStore',
  access: 'write',
  params: { ...PROJECT_PARAM, ...LOGSTORE_PARAM },
  authorization: {
    action: 'log:DeleteLogStore',
    resource: (p, s) => logstoreArn(s, p.project, p.logstore),
  },
  async handle(call, p) {
    const { logstore } = await ownLogstore(call, p.project, p.logstore);
    await deleteLogstore(call.deps.store, logstore);
    return slsEmpty(call.requestId);
  },
});
