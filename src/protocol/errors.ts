/**
 * The one error catalog of the RPC gateway. Every error the API returns is made from an entry here,
 * so that code, HTTP status and message stay consistent and a test can walk the whole list.
 *
 * Messages follow what the real Alibaba Cloud gateway returns: the envelope of the VPC API's responses page
 * (https://www.alibabacloud.com/help/en/virtual-private-cloud/latest/response), the common gateway error
 * codes the product references list, and the error tables of the flow-log operations (e.g.
 * https://www.alibabacloud.com/help/en/vpc/developer-reference/api-vpc-2016-04-28-describeflowlogs).
 * `{name}`-style placeholders are filled from the `vars` given when the error is made.
 */
export interface CatalogEntry {
  /** The wire `Code`. May itself hold placeholders (`Missing{name}`). */
  readonly code: string;
  readonly status: number;
  readonly message: string;
}

export const ERROR_CATALOG = {
  // Gateway: request shape
  MissingParameter: { code: 'Missing{name}', status: 400, message: '{name} is mandatory for this action.' },
  InvalidParameter: {
    code: 'InvalidParameter',
    status: 400,
    message: 'The specified parameter "{name}" is not valid.',
  },
  ParameterInvalid: { code: 'ParameterInvalid', status: 400, message: 'Invalid parameter.' },
  InvalidActionNotFound: {
    code: 'InvalidAction.NotFound',
    status: 404,
    message: 'Specified api is not found, please check your url and method.',
  },
  InvalidVersion: {
    code: 'InvalidVersion',
    status: 400,
    message: 'Specified parameter Version is not valid.',
  },
  RequestBodyTooLarge: {
    code: 'InvalidParameter.BodyTooLarge',
    status: 413,
    message: 'The request body exceeds the limit of {limit} bytes.',
  },
  TooManyParameters: {
    code: 'InvalidParameter.TooManyParameters',
    status: 400,
    message: 'The request has more than {limit} parameters.',
  },
  MalformedRequest: {
    code: 'InvalidParameter.MalformedRequest',
    status: 400,
    message: 'The request is not a well-formed HTTP request.',
  },
  ParameterValueTooLong: {
    code: 'InvalidParameter.ValueTooLong',
    status: 400,
    message: 'The value of parameter "{name}" exceeds the limit of {limit} bytes.',
  },
  // Transport limits (vpcflow's own codes: the real gateway does not document its own).
  RequestTimeout: {
    code: 'RequestTimeout',
    status: 408,
    message: 'The request did not arrive within {limit} ms.',
  },
  // "Throttling" in the code makes the Tea SDK raise its ThrottlingError and retry after a delay.
  TooManyConnections: {
    code: 'Throttling.TooManyConnections',
    status: 429,
    message: 'Too many open connections from one client address; the limit is {limit}.',
  },
  // Gateway: flow control. The real gateway's wording; `x-acs-retry-after` (ms) tells the SDK when.
  ThrottlingUser: {
    code: 'Throttling.User',
    status: 400,
    message: 'Request was denied due to user flow control.',
  },
  // Gateway: authentication
  InvalidAccessKeyIdNotFound: {
    code: 'InvalidAccessKeyId.NotFound',
    status: 404,
    message: 'Specified access key is not found.',
  },
  InvalidAccessKeyIdInactive: {
    code: 'InvalidAccessKeyId.Inactive',
    status: 400,
    message: 'Specified access key is disabled.',
  },
  SignatureDoesNotMatchV1: {
    code: 'SignatureDoesNotMatch',
    status: 400,
    message:
      'Specified signature is not matched with our calculation. server string to sign is:{stringToSign}',
  },
  SignatureDoesNotMatchV3: {
    code: 'SignatureDoesNotMatch',
    status: 400,
    message: 'Specified signature does not match our calculation. server StringToSign is [{stringToSign}]',
  },
  IncompleteSignature: {
    code: 'IncompleteSignature',
    status: 400,
    message: 'The request signature does not conform to Aliyun standards. {detail}',
  },
  SignatureNonceUsed: {
    code: 'SignatureNonceUsed',
    status: 400,
    message: 'Specified signature nonce was used already.',
  },
  InvalidTimeStampExpired: {
    code: 'InvalidTimeStamp.Expired',
    status: 400,
    message: 'Specified time stamp or date value is expired.',
  },
  InvalidTimeStampFormat: {
    code: 'InvalidTimeStamp.Format',
    status: 400,
    message: 'Specified time stamp or date value is not well formatted.',
  },
  // ClientToken and DryRun (src/protocol/safe-retries.ts). Codes and messages as the Alibaba Cloud
  // error tables give them (ECS/VPC "Ensure idempotence"; the DryRunOperation rows of the VPC and ECS
  // API error lists); all three are 400.
  IdempotentParameterMismatch: {
    code: 'IdempotentParameterMismatch',
    status: 400,
    message: 'Request uses a client token in a previous request but is not identical to that request.',
  },
  InvalidClientTokenValueNotSupported: {
    code: 'InvalidClientToken.ValueNotSupported',
    status: 400,
    message: 'The ClientToken provided is invalid.',
  },
  DryRunOperation: {
    code: 'DryRunOperation',
    status: 400,
    message: 'Request validation has been passed with DryRun flag set.',
  },
  // Authorization (authorize.ts)
  ForbiddenRam: {
    code: 'Forbidden.RAM',
    status: 403,
    message: "User not authorized to operate on the specified resource, or this API doesn't support RAM.",
  },
  Unauthorized: { code: 'Unauthorized', status: 400, message: 'This api does not support sub user or role.' },
  // STS credentials (authenticate.ts)
  MissingSecurityToken: {
    code: 'MissingSecurityToken',
    status: 400,
    message: 'SecurityToken is mandatory for this action.',
  },
  InvalidSecurityTokenExpired: {
    code: 'InvalidSecurityToken.Expired',
    status: 400,
    message: 'Specified SecurityToken is expired.',
  },
  InvalidSecurityTokenMismatch: {
    code: 'InvalidSecurityToken.MismatchWithAccessKey',
    status: 400,
    message: 'Specified SecurityToken mismatch with the AccessKey.',
  },
  // Regions
  InvalidRegionIdNotFound: {
    code: 'InvalidRegionId.NotFound',
    status: 400,
    message: 'The RegionId provided does not exist in our records.',
  },
  // Server
  // The store cannot be reached (PostgreSQL down or restarting): temporary; Terraform and the SDKs'
  // retry policies retry it (`NeedRetry` in terraform-provider-alicloud alicloud/errors.go; retry conditions
  // on the error code in `@darabonba/typescript` src/retry.ts).
  ServiceUnavailable: {
    code: 'ServiceUnavailable',
    status: 503,
    message: 'The request has failed due to a temporary failure of the server.',
  },
  InternalError: {
    code: 'InternalError',
    status: 500,
    message: 'The request processing has failed due to some unknown error, exception or failure.',
  },
} as const satisfies Record<string, CatalogEntry>;

export type GatewayErrorName = keyof typeof ERROR_CATALOG;

/** An error the API returns on the wire. Thrown from anywhere below the gateway; rendered by it. */
export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  /** Extra top-level fields of the error body (e.g. AccessDeniedDetail). */
  readonly extra: Record<string, unknown> | undefined;
  /** Extra response headers (e.g. `x-acs-retry-after` on throttling). */
  readonly headers: Record<string, string> = {};

  constructor(
    entry: CatalogEntry,
    vars: Record<string, string | number> = {},
    extra?: Record<string, unknown>,
  ) {
    const message = fill(entry.message, vars);
    super(message);
    this.name = 'ApiError';
    this.code = fill(entry.code, vars);
    this.status = entry.status;
    this.extra = extra;
  }
}

/**
 * Whether `err` is a temporary failure below the protocol layer (the store marks its "database
 * unavailable" error with `temporary: true`): answered with a 503 envelope, never a 500.
 */
export function isTemporaryFailure(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { temporary?: unknown }).temporary === true;
}

/** Makes an error from a catalog entry: `apiError(ERROR_CATALOG.InvalidVersion)`. */
export function apiError(
  entry: CatalogEntry,
  vars: Record<string, string | number> = {},
  extra?: Record<string, unknown>,
): ApiError {
  return new ApiError(entry, vars, extra);
}

function fill(template: string, vars: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in vars ? String(vars[key]) : whole));
}

/** `Throttling.User` with `x-acs-retry-after` (milliseconds, as the Tea SDK's retry policy reads it). */
export function throttled(retryAfterMs: number): ApiError {
  const err = new ApiError(ERROR_CATALOG.ThrottlingUser);
  err.headers['x-acs-retry-after'] = String(Math.max(1, Math.ceil(retryAfterMs)));
  return err;
}
