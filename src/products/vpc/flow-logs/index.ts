/** The flow-log operations, as registered with the gateway. */
import { activeFlowLog } from './active-flow-log.js';
import { createFlowLog } from './create-flow-log.js';
import { deactiveFlowLog } from './deactive-flow-log.js';
import { deleteFlowLog } from './delete-flow-log.js';
import { describeFlowLogs } from './describe-flow-logs.js';
import { getFlowLogServiceStatus, openFlowLogService } from './flow-log-service-status.js';
import { modifyFlowLogAttribute } from './modify-flow-log-attribute.js';

export const flowLogOperations = [
  createFlowLog,
  describeFlowLogs,
  modifyFlowLogAttribute,
  deleteFlowLog,
  activeFlowLog,
  deactiveFlowLog,
  getFlowLogServiceStatus,
  openFlowLogService,
];
