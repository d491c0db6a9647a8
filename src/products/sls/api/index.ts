// The emulated SLS endpoint: project/logstore management, GetLogs/GetLogsV2, and logstore retention.
export { createSlsHandler, handleSlsRequest } from './sls-handler.js';
export type { SlsDeps } from './sls-context.js';
export { DEFAULT_SLS_REGION } from './sls-context.js';
export { runTtlSweep, startTtlSweeper } from './ttl-sweeper.js';
export type { TtlSweeper } from './ttl-sweeper.js';
export { RECORD_FIELD_NAMES, recordToSls } from './record-map.js';
