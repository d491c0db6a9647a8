/**
 * What the SLS handlers share: the dependencies the app wires in, the per-request context (the verified
 * caller, the region the Host names), the `define` function of SLS operations and the parameters most of
 * them take (the project in the Host, the logstore in the path).
 */
import type { AccessKeyRecord } from '../../../protocol/authenticate.js';
import type { Authorizer } from '../../../protocol/authorize.js';
import type { Logger } from '../../../logger.js';
import type { Store } from '../../../store/store.js';
import type { Throttle } from '../../../protocol/throttle.js';
import { slsOperationsFor } from '../../../protocol/sls/sls-operation.js';
import type { SlsParamSpecs } from '../../../protocol/sls/sls-params.js';
import type { QueryBudget, QueryGate } from './query-budget.js';
import type { CompileWorker } from '../query/compile-off-thread.js';

export interface SlsDeps {
  store: Store;
  /** The same AccessKeys as the RPC API (IdentityService.lookupAccessKey). */
  lookupAccessKey(accessKeyId: string): Promise<AccessKeyRecord | undefined>;
  /** RAM authorization of RAM users and role sessions (the RPC gateway's); absent = allow. */
  authorizer?: Authorizer;
  logger?: Logger;
  /** Server clock in milliseconds; tests may pin it. */
  now?: () => number;
  /**
   * Region of a project when the Host does not name one and the project name does not settle it
   * (see region-resolve.ts). `cn-hangzhou`, the region the SDK examples use, unless configured.
   */
  defaultRegion?: string;
  /** Flow control per account and operation (`--throttle-rps`). */
  throttle?: Throttle | undefined;
  /** GetLogs query budget (time, cost, answer bytes); DEFAULT_QUERY_BUDGET when absent. */
  queryBudget?: QueryBudget | undefined;
  /** Per-project concurrency of GetLogs statements; one is made from the budget when absent. */
  queryGate?: QueryGate | undefined;
  /** Compiles GetLogs analytic statements off the serving thread; absent = on it. */
  compiler?: CompileWorker | undefined;
}

/** One request as the operations see it; its parameters come to them validated and typed. */
export interface SlsCall {
  deps: Required<Pick<SlsDeps, 'store' | 'now' | 'defaultRegion'>> & SlsDeps;
  requestId: string;
  accountId: string;
  /** Region label of the Host (`{project}.{region}.localhost`, `{region}.localhost`), when present. */
  hostRegion: string | undefined;
  /** Aborted when the client closes the connection before the answer (RawRequest.signal). */
  signal?: AbortSignal | undefined;
}

export const DEFAULT_SLS_REGION = 'cn-hangzhou';

/** Declares an SLS operation (src/protocol/sls/sls-operation.ts); list it in sls-operations.ts. */
export const defineSlsOp = slsOperationsFor<SlsCall>();

/** The project, named by the Host (or `x-log-project`); the routes needing one guarantee it. */
export const PROJECT_PARAM = {
  project: { type: 'string', in: 'host', required: true },
} as const satisfies SlsParamSpecs;

/** The logstore of `/logstores/{logstore}`. */
export const LOGSTORE_PARAM = {
  logstore: { type: 'string', in: 'path', required: true },
} as const satisfies SlsParamSpecs;

/** `offset` and `size` of the list operations (SLS: size at most 500). */
export function pageParams(defaultSize: number) {
  return {
    offset: { type: 'integer', in: 'query', min: 0, default: 0 },
    size: { type: 'integer', in: 'query', min: 0, max: 500, default: defaultSize },
  } as const satisfies SlsParamSpecs;
}
