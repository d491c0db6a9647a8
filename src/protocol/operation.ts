/**
 * What an API operation is, to the gateway: a product (code, version, endpoint), an action name, a parameter
 * spec and a handler. Products declare operations with `defineOperation`; the gateway dispatches by
 * Version + Action. Nothing here knows any particular product.
 */
import type { RequestOrigin } from './authorize.js';
import type { CatalogEntry } from './errors.js';
import type { ParamSpecs, ParamsOf } from './params.js';

export interface Product {
  /** Product code as in the SDKs' `productId`, e.g. `Vpc`, `Ecs`. */
  readonly code: string;
  readonly version: string;
  /** The public endpoint host, used as `HostId` in error bodies. */
  readonly endpoint: string;
  /** The RAM service code of its actions (`vpc`, `ecs`, `ram`, `sts`); the lower-cased code by default. */
  readonly ramCode?: string;
  /** The error of a RAM denial; `Forbidden.RAM` by default (RAM and STS answer `NoPermission`). */
  readonly forbidden?: CatalogEntry;
}

/** Where the resource ARNs of a call live: the caller's account and the request's region. */
export interface ResourceScope {
  readonly accountId: string;
  /** The `RegionId` parameter; empty for global products (RAM, STS). */
  readonly regionId: string;
}

/**
 * What RAM checks before an operation runs: the action (`vpc:DescribeFlowLogs`) and the ARNs of the
 * resources it touches, built from the validated parameters. `'none'` marks operations every
 * authenticated caller may call (STS GetCallerIdentity).
 */
export type OperationAuthorization<P extends ParamSpecs> =
  | 'none'
  | {
      readonly action: string;
      /** The ARNs; `*` when the operation has no resource-level check. */
      resources(params: ParamsOf<P>, scope: ResourceScope): string | readonly string[];
    };

/** Who is calling, established by signature verification. */
export interface Caller {
  readonly accountId: string;
  readonly accessKeyId: string;
  /** `account` for the account's own AccessKey, `ram-user` for a RAM user's, `assumed-role` for STS. */
  readonly principalType: 'account' | 'ram-user' | 'assumed-role';
  readonly securityToken: string | undefined;
}

export interface OperationContext<TServices> {
  readonly requestId: string;
  readonly caller: Caller;
  readonly services: TServices;
  /** Parameters as received (decoded), for handlers that need the raw view. */
  readonly rawParams: Readonly<Record<string, string>>;
  /** The peer address and transport, for condition keys (STS trust policies). */
  readonly origin?: RequestOrigin;
}

export interface Operation<TServices, P extends ParamSpecs = ParamSpecs> {
  readonly product: Product;
  readonly action: string;
  readonly params: P;
  /** The error for a present-but-invalid parameter value; the gateway's InvalidParameter by default. */
  readonly invalidParameter?: CatalogEntry;
  /**
   * The real operation takes `ClientToken`: a retry with the same token returns the first answer
   * (src/protocol/safe-retries.ts). The handler's store writes must go through store transactions.
   */
  readonly clientToken?: boolean;
  /** The real operation takes `DryRun`: with `DryRun=true` every check runs and nothing changes. */
  readonly dryRun?: boolean;
  /** The RAM action and resources checked for RAM users and role sessions; see OperationAuthorization. */
  readonly authorization?: OperationAuthorization<P>;
  /** Returns the response body without RequestId (the gateway adds it). */
  handle(ctx: OperationContext<TServices>, params: ParamsOf<P>): Promise<Record<string, unknown>>;
}

/**
 * Returns a `define` function for one services type; `define` keeps the parameter spec's literal types
 * flowing into the handler's typed params.
 * @example const defineOp = operationsFor<Services>(); export const op = defineOp({ product, action, params, handle });
 */
export function operationsFor<TServices>() {
  return <const P extends ParamSpecs>(op: Operation<TServices, P>): Operation<TServices, P> => op;
}

/** Operations by Version, then Action. */
export class OperationRegistry<TServices> {
  readonly #byVersion = new Map<string, Map<string, Operation<TServices>>>();
  readonly #products = new Map<string, Product>();

  register(...ops: Operation<TServices, ParamSpecs>[]): this {
    for (const op of ops) {
      let actions = this.#byVersion.get(op.product.version);
      if (!actions) {
        actions = new Map();
        this.#byVersion.set(op.product.version, actions);
        this.#products.set(op.product.version, op.product);
      }
      if (actions.has(op.action)) throw new Error(`duplicate operation ${op.product.code}.${op.action}`);
      actions.set(op.action, op);
    }
    return this;
  }

  product(version: string): Product | undefined {
    return this.#products.get(version);
  }

  find(version: string, action: string): Operation<TServices> | undefined {
    return this.#byVersion.get(version)?.get(action);
  }

  all(): Operation<TServices>[] {
    return [...this.#byVersion.values()].flatMap((m) => [...m.values()]);
  }
}
