/**
 * What the SLS handlers share: the dependencies the app wires in and the per-request context (the verified
 * caller, the project named by the Host, the parsed URL and body).
 */
import type { AccessKeyRecord } from '../../../protocol/authenticate.js';
import type { Authorizer } from '../../../protocol/authorize.js';
import type { Logger } from '../../../logger.js';
import type { Store } from '../../../store/store.js';
import type { Throttle } from '../../../protocol/throttle.js';
import type { QueryBudget, QueryGate } from './query-budget.js';

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
}

export interface SlsCall {
  deps: Required<Pick<SlsDeps, 'store' | 'now' | 'defaultRegion'>> & SlsDeps;
  accountId: string;
  /** Project label of the Host; undefined on the bare endpoint. */
  hostProject: string | undefined;
  /** Region label of the Host (`{project}.{region}.localhost`, `{region}.localhost`), when present. */
  hostRegion: string | undefined;
  method: string;
  path: string;
  query: Record<string, string>;
  params: Record<string, string>;
  body: Buffer;
}

export const DEFAULT_SLS_REGION = 'cn-hangzhou';
