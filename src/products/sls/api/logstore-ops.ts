/** CreateLogStore, GetLogStore, ListLogStores, UpdateLogStore (TTL), DeleteLogStore. */
import { isValidSlsLogstoreName } from '../../../protocol/sls/sls-request.js';
import { slsError } from '../../../protocol/sls/sls-errors.js';
import type { RawResponse } from '../../../protocol/request.js';
import type { LogProjectRow, LogstoreRow } from '../../../store/repos/log-repo.js';
import { requireOwnProject } from './project-ops.js';
import type { SlsCall } from './sls-context.js';
import { intParam, jsonBody, stringParam, toUnixSeconds } from './sls-params.js';
import { slsEmpty, slsJson } from './sls-response.js';

/** SLS retention: 1 to 3650 days; 3650 means "keep forever" (SLS console "permanent storage"). */
export const MAX_TTL_DAYS = 3650;
const DEFAULT_TTL_DAYS = 30;
const DEFAULT_SHARDS = 2;

function logstoreInfoInvalid(detail: string) {
  return slsError('LogStoreInfoInvalid', { detail });
}

function ttlFrom(raw: unknown, fallback: number): number {
  if (raw === undefined || raw === null || raw === '') return fallback;
  const n = typeof raw === 'number' ? raw : Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > MAX_TTL_DAYS) {
    throw logstoreInfoInvalid(`ttl must be within range [1, ${MAX_TTL_DAYS}]`);
  }
  return n;
}

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

export async function requireLogstore(
  call: SlsCall,
): Promise<{ project: LogProjectRow; logstore: LogstoreRow }> {
  const project = await requireOwnProject(call, call.hostProject ?? '');
  const name = call.params['logstore'] ?? '';
  const logstore = await call.deps.store.repos.logs.getLogstore(
    project.region_id,
    project.project_name,
    name,
  );
  if (!logstore) throw slsError('LogStoreNotExist', { logstore: name });
  return { project, logstore };
}

export async function createLogStore(call: SlsCall, requestId: string): Promise<RawResponse> {
  const project = await requireOwnProject(call, call.hostProject ?? '');
  const body = jsonBody(call.body);
  const name = stringParam('logstoreName', body['logstoreName']) ?? '';
  // Live wording: `logstore name  is invalid` (two spaces for an empty name).
  if (!isValidSlsLogstoreName(name)) throw logstoreInfoInvalid(`logstore name ${name} is invalid`);
  const ttl = ttlFrom(body['ttl'], DEFAULT_TTL_DAYS);
  const shards = body['shardCount'] ?? DEFAULT_SHARDS;
  if (typeof shards !== 'number' || !Number.isInteger(shards) || shards < 1 || shards > 256) {
    throw logstoreInfoInvalid('shardCount must be within range [1, 256]');
  }
  const now = call.deps.now();
  const created = await call.deps.store.repos.logs.insertLogstore({
    region_id: project.region_id,
    project_name: project.project_name,
    logstore_name: name,
    ttl_days: ttl,
    shard_count: shards,
    created_at: now,
    updated_at: now,
  });
  if (!created) throw slsError('LogStoreAlreadyExist', { logstore: name });
  return slsEmpty(requestId);
}

export async function getLogStore(call: SlsCall, requestId: string): Promise<RawResponse> {
  const { logstore } = await requireLogstore(call);
  return slsJson(requestId, logstoreModel(logstore));
}

export async function listLogStores(call: SlsCall, requestId: string): Promise<RawResponse> {
  const project = await requireOwnProject(call, call.hostProject ?? '');
  const offset = intParam('offset', call.query['offset'], 0, 0) ?? 0;
  const size = intParam('size', call.query['size'], 200, 0, 500) ?? 200;
  const filter = call.query['logstoreName'] ?? '';
  const rows = await call.deps.store.repos.logs.listLogstores(project.region_id, project.project_name);
  const names = rows.map((r) => r.logstore_name).filter((n) => n.includes(filter));
  const page = names.slice(offset, offset + size);
  return slsJson(requestId, { count: page.length, total: names.length, logstores: page });
}

export async function updateLogStore(call: SlsCall, requestId: string): Promise<RawResponse> {
  const { project, logstore } = await requireLogstore(call);
  const body = jsonBody(call.body);
  // Only the retention changes; the live service ignores a changed shardCount here too.
  const ttl = ttlFrom(body['ttl'], logstore.ttl_days);
  await call.deps.store.repos.logs.updateLogstoreTtl(
    project.region_id,
    project.project_name,
    logstore.logstore_name,
    ttl,
    call.deps.now(),
  );
  return slsEmpty(requestId);
}

export async function deleteLogStore(call: SlsCall, requestId: string): Promise<RawResponse> {
  const { project, logstore } = await requireLogstore(call);
  const ref = {
    regionId: project.region_id,
    projectName: project.project_name,
    logstoreName: logstore.logstore_name,
  };
  // The records go first (the record store is not part of SQLite transactions); then the logstore; then
  // the few records a delivery that checked the logstore before it went appended meanwhile.
  const { store } = call.deps;
  await store.records.deleteLogstore(ref);
  await store.transaction(async (repos) => {
    await repos.logs.deleteLogstore(project.region_id, project.project_name, logstore.logstore_name);
  });
  await store.records.deleteLogstore(ref);
  return slsEmpty(requestId);
}
