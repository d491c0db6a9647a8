/**
 * What an SLS operation is, to the SLS handler: the SLS counterpart of src/protocol/operation.ts. Each
 * operation declares its name (the one its route in SLS_ROUTES names), whether it reads or writes, its
 * parameter specs (sls-params.ts), the RAM action and resource ARN checked for RAM users and role
 * sessions, and a handler receiving the typed parameters. The handler dispatches through the registry
 * only. Nothing here knows any particular operation.
 */
import type { RawResponse } from '../request.js';
import type { SlsParamSpecs, SlsParamsOf } from './sls-params.js';
import type { SlsOperation as SlsOperationName } from './sls-request.js';

/** Where resource ARNs live: the caller's account and the region of a project (resolved by the product). */
export interface SlsResourceScope {
  readonly accountId: string;
  /** The region a project lives in; with no project, the region the request addresses. */
  region(project: string | undefined): Promise<string>;
}

/** The RAM action (`log:GetLogStoreLogs`) and the one resource ARN, built from the validated parameters. */
export interface SlsAuthorization<P extends SlsParamSpecs> {
  readonly action: string;
  resource(params: SlsParamsOf<P>, scope: SlsResourceScope): Promise<string>;
}

export interface SlsOperationSpec<TContext, P extends SlsParamSpecs = SlsParamSpecs> {
  readonly name: SlsOperationName;
  /** Over the flow-control limit a read answers ReadQuotaExceed, a write WriteQuotaExceed. */
  readonly access: 'read' | 'write';
  readonly params: P;
  readonly authorization: SlsAuthorization<P>;
  handle(ctx: TContext, params: SlsParamsOf<P>): Promise<RawResponse>;
}

/**
 * Returns a `define` function for one context type; it keeps the specs' literal types flowing into the
 * handler's typed params (as `operationsFor` does for RPC operations).
 */
export function slsOperationsFor<TContext>() {
  return <const P extends SlsParamSpecs>(op: SlsOperationSpec<TContext, P>): SlsOperationSpec<TContext, P> =>
    op;
}

/** Operations by name. */
export class SlsOperationRegistry<TContext> {
  readonly #byName = new Map<SlsOperationName, SlsOperationSpec<TContext>>();

  register(...ops: SlsOperationSpec<TContext, SlsParamSpecs>[]): this {
    for (const op of ops) {
      if (this.#byName.has(op.name)) throw new Error(`duplicate SLS operation ${op.name}`);
      this.#byName.set(op.name, op);
    }
    return this;
  }

  find(name: SlsOperationName): SlsOperationSpec<TContext> | undefined {
    return this.#byName.get(name);
  }

  all(): SlsOperationSpec<TContext>[] {
    return [...this.#byName.values()];
  }
}
