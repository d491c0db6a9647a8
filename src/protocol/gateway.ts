/**
 * The RPC gateway: one request in, one response out. The lifecycle, in order:
 *
 *   parse parameters (limits) -> Format -> Action/Version -> find operation (404 / InvalidVersion)
 *   -> authenticate (AccessKey, timestamp, signature, nonce) -> flow control (account + action)
 *   -> RegionId known? -> validate the operation's parameter spec -> authorize (Owner* rule, RAM
 *   policies; authorize.ts) -> handler (under ClientToken / DryRun rules where the operation declares
 *   them) -> render (JSON or XML) with RequestId.
 *
 * Any ApiError along the way becomes the wire error envelope; anything else is logged and becomes
 * InternalError (500) without internals. The gateway knows operations only through the registry.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '../logger.js';
import { authenticate, type AuthOptions } from './authenticate.js';
import { authorizeOperation, requestOrigin, type Authorizer } from './authorize.js';
import { ApiError, ERROR_CATALOG, isTemporaryFailure, throttled } from './errors.js';
import type { Caller, OperationRegistry, Product } from './operation.js';
import { validateParams, type ParamSpecs } from './params.js';
import { CLIENT_TOKEN_SPEC, runSafely, type ClientTokenLedger } from './safe-retries.js';
import { headerOf, parseParams, type RawRequest, type RawResponse, type RequestLimits } from './request.js';
import { contentTypeOf, parseFormat, renderBody, type WireFormat } from './render.js';
import type { Throttle } from './throttle.js';

export interface GatewayOptions<TServices> {
  registry: OperationRegistry<TServices>;
  services: TServices;
  auth: AuthOptions;
  /** RAM authorization of RAM users and role sessions; absent = every authenticated caller is allowed. */
  authorizer?: Authorizer;
  limits: RequestLimits;
  /** The region catalogue check applied to any `RegionId` parameter. */
  regionExists(regionId: string): boolean;
  /** Used as HostId when the request names no known product. */
  defaultHost: string;
  logger: Logger;
  /** Where ClientTokens are kept; required when any operation declares `clientToken` or `dryRun`. */
  clientTokens?: ClientTokenLedger;
  /** How long a ClientToken's first answer is kept. */
  clientTokenTtlMs?: number;
  /** Flow control per account and action, checked once the caller is known. */
  throttle?: Throttle | undefined;
}

/** Tokens are kept a day unless configured otherwise (the Alibaba docs give no window). */
export const DEFAULT_CLIENT_TOKEN_TTL_MS = 24 * 60 * 60 * 1000;

// Each is validated only for operations that declare it; others ignore it like any unknown parameter.
const TOKEN_PARAM = { ClientToken: CLIENT_TOKEN_SPEC } as const satisfies ParamSpecs;
const DRY_RUN_PARAM = { DryRun: { type: 'boolean', default: false } } as const satisfies ParamSpecs;

interface Outcome {
  status: number;
  action: string;
  code?: string;
}

export class Gateway<TServices> {
  constructor(private readonly opts: GatewayOptions<TServices>) {
    const needy = opts.registry.all().find((op) => op.clientToken || op.dryRun);
    if (needy && !opts.clientTokens) {
      throw new Error(
        `${needy.product.code}.${needy.action} declares ClientToken/DryRun but no ledger is given`,
      );
    }
  }

  async handle(req: RawRequest): Promise<RawResponse> {
    const started = performance.now();
    const requestId = randomUUID().toUpperCase();
    let format: WireFormat = 'JSON';
    let product: Product | undefined;
    let action = '';
    try {
      const method = req.method.toUpperCase();
      const params = parseParams(req, this.opts.limits);
      format = parseFormat(params.all['Format']);
      action = params.all['Action'] ?? headerOf(req.headers, 'x-acs-action') ?? '';
      const version = params.all['Version'] ?? headerOf(req.headers, 'x-acs-version') ?? '';
      if ((method !== 'GET' && method !== 'POST') || (params.path !== '/' && params.path !== '')) {
        throw new ApiError(ERROR_CATALOG.InvalidActionNotFound);
      }
      if (!action) throw new ApiError(ERROR_CATALOG.MissingParameter, { name: 'Action' });
      if (!version) throw new ApiError(ERROR_CATALOG.MissingParameter, { name: 'Version' });
      product = this.opts.registry.product(version);
      if (!product) throw new ApiError(ERROR_CATALOG.InvalidVersion);
      const op = this.opts.registry.find(version, action);
      if (!op) throw new ApiError(ERROR_CATALOG.InvalidActionNotFound);

      const caller: Caller = await authenticate(req, params, this.opts.auth);
      const wait = this.opts.throttle?.take(`${caller.accountId}\n${action}`) ?? 0;
      if (wait > 0) throw throttled(wait);
      const regionId = params.all['RegionId'];
      if (regionId && !this.opts.regionExists(regionId))
        throw new ApiError(ERROR_CATALOG.InvalidRegionIdNotFound);
      const typed = validateParams(op.params, params.all, op.invalidParameter);
      const origin = requestOrigin(req);
      await authorizeOperation(
        op,
        typed,
        params.all,
        caller,
        origin,
        this.opts.authorizer,
        this.opts.auth.now(),
      );
      const handle = () =>
        op.handle({ requestId, caller, services: this.opts.services, rawParams: params.all, origin }, typed);
      let result: Record<string, unknown>;
      if (this.opts.clientTokens && (op.clientToken || op.dryRun)) {
        const token = op.clientToken
          ? validateParams(TOKEN_PARAM, params.all, op.invalidParameter).ClientToken
          : undefined;
        const dryRun = op.dryRun
          ? validateParams(DRY_RUN_PARAM, params.all, op.invalidParameter).DryRun
          : false;
        result = await runSafely(
          this.opts.clientTokens,
          {
            key: token
              ? { accountId: caller.accountId, action: `${product.code}.${action}`, clientToken: token }
              : undefined,
            dryRun,
            params: typed,
            tokenTtlMs: this.opts.clientTokenTtlMs ?? DEFAULT_CLIENT_TOKEN_TTL_MS,
            now: Date.now,
          },
          handle,
        );
      } else {
        result = await handle();
      }
      const body = { RequestId: requestId, ...result };
      this.#log(requestId, { status: 200, action }, started);
      return this.#respond(200, format, `${action}Response`, body, requestId);
    } catch (err) {
      const apiErr =
        err instanceof ApiError
          ? err
          : isTemporaryFailure(err)
            ? this.#unavailable(err, requestId, action)
            : this.#internal(err, requestId, action);
      this.#log(requestId, { status: apiErr.status, action, code: apiErr.code }, started);
      return this.errorResponse(apiErr, format, product?.endpoint ?? this.opts.defaultHost, requestId);
    }
  }

  /**
   * The wire error envelope (https://www.alibabacloud.com/help/en/virtual-private-cloud/latest/response);
   * also used by the HTTP layer for transport errors.
   */
  errorResponse(
    err: ApiError,
    format: WireFormat,
    hostId: string = this.opts.defaultHost,
    requestId: string = randomUUID().toUpperCase(),
  ): RawResponse {
    const product = hostId.split('.')[0] ?? 'vpc';
    const body: Record<string, unknown> = {
      RequestId: requestId,
      HostId: hostId,
      Code: err.code,
      Message: err.message,
      Recommend: `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(err.code)}&product=${product.charAt(0).toUpperCase()}${product.slice(1)}&requestId=${requestId}`,
      ...err.extra,
    };
    const reply = this.#respond(err.status, format, 'Error', body, requestId, true);
    Object.assign(reply.headers, err.headers);
    return reply;
  }

  #respond(
    status: number,
    format: WireFormat,
    root: string,
    body: Record<string, unknown>,
    requestId: string,
    isError = false,
  ): RawResponse {
    // XML errors use the bare <Error> root; successes use <{Action}Response>.
    const text = renderBody(format, isError ? 'Error' : root, body);
    return {
      status,
      headers: { 'content-type': contentTypeOf(format), 'x-acs-request-id': requestId },
      body: text,
    };
  }

  #internal(err: unknown, requestId: string, action: string): ApiError {
    this.opts.logger.error('internal error', {
      requestId,
      action,
      error: err instanceof Error ? (err.stack ?? err.message) : String(err),
    });
    return new ApiError(ERROR_CATALOG.InternalError);
  }

  #unavailable(err: unknown, requestId: string, action: string): ApiError {
    this.opts.logger.warn('service unavailable', {
      requestId,
      action,
      error: err instanceof Error ? err.message : String(err),
    });
    return new ApiError(ERROR_CATALOG.ServiceUnavailable);
  }

  #log(requestId: string, outcome: Outcome, started: number): void {
    if (!this.opts.logger.enabled('info')) return;
    this.opts.logger.info('request', {
      requestId,
      ...outcome,
      ms: Math.round((performance.now() - started) * 10) / 10,
    });
  }
}
