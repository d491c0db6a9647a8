/** The services handlers reach through `ctx.services`. */
import { operationsFor, type OperationContext } from '../protocol/operation.js';
import type { Store } from '../store/store.js';
import type { ServerConfig } from '../config.js';
import type { IdentityService } from './identity/identity-service.js';
import type { RamService } from './ram/ram-service.js';
import type { StsService } from './sts/sts-service.js';
import type { FlowLogService } from './vpc/flow-logs/flow-log-service.js';
import type { TagService } from './vpc/tags/tag-service.js';

export interface Services {
  readonly store: Store;
  readonly identity: IdentityService;
  readonly config: ServerConfig;
  readonly flowLogs: FlowLogService;
  readonly tags: TagService;
  readonly ram: RamService;
  readonly sts: StsService;
}

export type Ctx = OperationContext<Services>;

/** Declares an operation of a vpcflow product. */
export const defineOp = operationsFor<Services>();
