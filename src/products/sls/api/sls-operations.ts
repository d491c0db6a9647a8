/**
 * Every SLS operation vpcflow serves, declared in its module (project-ops.ts, logstore-ops.ts,
 * get-logs-ops.ts) with its parameter specs, RAM action, resource ARN and handler, and listed here.
 * sls-handler.ts dispatches through this registry only; every route of SLS_ROUTES
 * (src/protocol/sls/sls-request.ts) names one of them (test/operation-authorization.test.ts).
 */
import { SlsOperationRegistry } from '../../../protocol/sls/sls-operation.js';
import { getLogsOp, getLogsV2Op } from './get-logs-ops.js';
import {
  createLogStoreOp,
  deleteLogStoreOp,
  getLogStoreOp,
  listLogStoresOp,
  updateLogStoreOp,
} from './logstore-ops.js';
import { createProjectOp, deleteProjectOp, getProjectOp, listProjectOp } from './project-ops.js';
import type { SlsCall } from './sls-context.js';

export function buildSlsRegistry(): SlsOperationRegistry<SlsCall> {
  return new SlsOperationRegistry<SlsCall>().register(
    createProjectOp,
    getProjectOp,
    listProjectOp,
    deleteProjectOp,
    createLogStoreOp,
    getLogStoreOp,
    listLogStoresOp,
    updateLogStoreOp,
    deleteLogStoreOp,
    getLogsOp,
    getLogsV2Op,
  );
}

export const SLS_REGISTRY = buildSlsRegistry();
