/**
 * The RPC gateway: one request in, one response out. The lifecycle, in order:
 *
 *   parse parameters (limits) -> Format -> Action/Version -> find operation (404 / InvalidVersion)
 *   -> authenticate (AccessKey, timestamp, signature, nonce) -> RegionId known? -> validate the
 *   operation's parameter spec -> handler -> render (JSON or XML) with RequestId.
 *
 * Any ApiError along the way becomes the wire error envelope; anything else is logged and becomes
 * InternalError (500) without internals. The gateway knows operations only through the registry.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '../logger.js';
import { authenticate, type AuthOptions } from './authenticate.js';
import { ApiError, ERROR_CATALOG, isTemporaryFailure } from './errors.js';
import type { Caller, OperationRegistry, Product } from './operation.js';
import { validateParams } from './params.js';
import { headerOf, parseParams, type RawRequest, type RawResponse, type RequestLimits } from './request.js';
import { contentTypeOf, parseFormat, renderBody, type WireFormat } from './render.js';

export interface GatewayOptions<TServices> {
  registry: OperationRegistry<TServices>;
  services: TServices;
  auth: AuthOptions;
  limits: RequestLimits;
  /** The region catalogue check applied to any `RegionId` parameter. */
  regionExists(regionId: string): boolean;
  /** Used as HostId when the request names no known product. */
  defaultHost: string;
  logger: Logger;
}

interface Outcome {
  status: number;
  action: string;
  code?: string;
}

export class Gateway<TServices> {
  constructor(private readonly opts: GatewayOptions<TServices>) {}

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
      const regionId = params.all['RegionId'];
      if (regionId && !this.opts.regionExists(regionId))
        throw new ApiError(ERROR_CATALOG.InvalidRegionIdNotFound);
      const typed = validateParams(op.params, params.all, op.invalidParameter);
      const result = await op.handle(
        { requestId, caller, services: this.opts.services, rawParams: params.all },
        typed,
      );
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

  /** The wire error envelope (api-spec.md 4.2); also used by the HTTP layer for transport errors. */
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
    return this.#respond(err.status, format, 'Error', body, requestId, true);
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
