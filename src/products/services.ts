/** The services handlers reach through `ctx.services`. */
import { operationsFor, type OperationContext } from '../protocol/operation.js';
import type { Store } from '../store/store.js';
import type { ServerConfig } from '../config.js';
import type { IdentityService } from './identity/identity-service.js';

export interface Services {
  readonly store: Store;
  readonly identity: IdentityService;
  readonly config: ServerConfig;
}

export type Ctx = OperationContext<Services>;

/** Declares an operation of a vpcflow product. */
export const defineOp = operationsFor<Services>();
