/**
 * The one catalog of Alibaba Cloud Log Service (SLS) errors the emulated SLS endpoint returns, and the
 * renderer of the SLS error envelope.
 *
 * Wire format (SLS "Error codes" reference, help.aliyun.com/document_detail/29013): HTTP 4xx/5xx with body
 * `{"errorCode": ..., "errorMessage": ...}` and header `x-log-requestid`. `@alicloud/gateway-sls` turns that
 * into an error whose `code` is `errorCode`, `message` is `"{errorCode}: {errorMessage}"` and `data` is
 * `{ httpCode, requestId, statusCode }`; `@alicloud/log` needs `content-type: application/json` to parse it.
 *
 * Messages: where a real SLS response was seen (SDK functional tests run against the live service, error logs
 * quoted in the SLS docs) that wording wins over the docs table; see README.md "Errors" for the source of
 * each entry. `{name}` placeholders are filled from the vars given to `slsError`.
 */
import { randomBytes } from 'node:crypto';

export interface SlsErrorEntry {
  readonly errorCode: string;
  readonly httpStatus: number;
  readonly message: string;
}

export const SLS_ERRORS = {
  // Resources
  ProjectNotExist: {
    errorCode: 'ProjectNotExist',
    httpStatus: 404,
    message: 'The Project does not exist : {project}',
  },
  LogStoreNotExist: {
    errorCode: 'LogStoreNotExist',
    httpStatus: 404,
    message: 'logstore {logstore} does not exist',
  },
  ProjectAlreadyExist: {
    errorCode: 'ProjectAlreadyExist',
    httpStatus: 400,
    message: 'Project {project} already exist',
  },
  LogStoreAlreadyExist: {
    errorCode: 'LogStoreAlreadyExist',
    httpStatus: 400,
    message: 'logstore {logstore} already exists',
  },
  LogStoreInfoInvalid: { errorCode: 'LogStoreInfoInvalid', httpStatus: 400, message: '{detail}' },
  // Authentication
  SignatureNotMatch: {
    errorCode: 'SignatureNotMatch',
    httpStatus: 401,
    message: 'signature {signature} not match',
  },
  // Unknown AccessKeyId: the live service answers `Unauthorized` with this message (see README.md).
  AccessKeyIdNotFound: {
    errorCode: 'Unauthorized',
    httpStatus: 401,
    message: 'AccessKeyId not found: {accessKeyId}',
  },
  Unauthorized: { errorCode: 'Unauthorized', httpStatus: 401, message: 'The AccessKeyId is unauthorized.' },
  // A RAM denial, as the live service words it.
  UnauthorizedDenied: {
    errorCode: 'Unauthorized',
    httpStatus: 401,
    message: 'denied by sts or ram, action: {action}, resource: {resource}',
  },
  // (inferred) STS credentials on the SLS endpoint: a missing or wrong x-acs-security-token, an expired one.
  InvalidSecurityToken: {
    errorCode: 'Unauthorized',
    httpStatus: 401,
    message: 'The security token you provided is invalid.',
  },
  SecurityTokenExpired: {
    errorCode: 'SecurityTokenExpired',
    httpStatus: 401,
    message: 'The security token you provided has expired.',
  },
  InvalidAccessKeyId: {
    errorCode: 'InvalidAccessKeyId',
    httpStatus: 401,
    message: 'The access key id you provided is invalid: {accessKeyId}.',
  },
  MissAccessKeyId: {
    errorCode: 'MissAccessKeyId',
    httpStatus: 400,
    message: 'x-log-accesskeyid does not exist in header.',
  },
  InvalidSignatureMethod: {
    errorCode: 'InvalidSignatureMethod',
    httpStatus: 400,
    message: 'signature method {method} is unsupported.',
  },
  // Current docs: the Date (or v4 x-log-date) is more than 15 minutes away from the server clock.
  RequestTimeExpired: {
    errorCode: 'RequestTimeExpired',
    httpStatus: 400,
    message: 'Request time {requestTime} has been expired while server time is {serverTime}.',
  },
  // Older docs' name for the same condition; kept so a caller can choose the legacy wording.
  RequestTimeTooSkewed: {
    errorCode: 'RequestTimeTooSkewed',
    httpStatus: 400,
    message: 'Request time exceeds server time more than 15 minutes.',
  },
  MissingDate: { errorCode: 'MissingDate', httpStatus: 400, message: 'Date does not exist in http header.' },
  InvalidDateFormat: {
    errorCode: 'InvalidDateFormat',
    httpStatus: 400,
    message: 'Date {date} must follow RFC822.',
  },
  // Request shape
  ParameterInvalid: { errorCode: 'ParameterInvalid', httpStatus: 400, message: '{detail}' },
  // The docs' wording for a malformed header (e.g. `authorization`, `x-log-bodyrawsize`).
  ParameterInvalidHeader: {
    errorCode: 'ParameterInvalid',
    httpStatus: 400,
    message: 'Http extend {header} : {value} pair is invalid.',
  },
  MissingAPIVersion: {
    errorCode: 'MissingAPIVersion',
    httpStatus: 400,
    message: 'x-log-apiversion does not exist in http header.',
  },
  InvalidAPIVersion: {
    errorCode: 'InvalidAPIVersion',
    httpStatus: 400,
    message: 'x-log-apiversion {version} is unsupported.',
  },
  InvalidHost: { errorCode: 'InvalidHost', httpStatus: 400, message: 'Host header {host} is invalid.' },
  MissingContentType: {
    errorCode: 'MissingContentType',
    httpStatus: 400,
    message: 'Content-Type does not exist in http header when body is not empty.',
  },
  InvalidContentType: {
    errorCode: 'InvalidContentType',
    httpStatus: 415,
    message: 'Content-Type {type} is unsupported.',
  },
  InvalidCompressType: {
    errorCode: 'InvalidCompressType',
    httpStatus: 400,
    message: 'x-log-compresstype {type} is unsupported.',
  },
  InvalidBodyRawSize: {
    errorCode: 'InvalidBodyRawSize',
    httpStatus: 400,
    message: 'x-log-bodyrawsize is invalid.',
  },
  PostBodyInvalid: {
    errorCode: 'PostBodyInvalid',
    httpStatus: 400,
    message: 'The request body is not valid JSON object.',
  },
  PostBodyTooLarge: {
    errorCode: 'PostBodyTooLarge',
    httpStatus: 400,
    message: 'Logs must be less than or equal to 3 MB and 4096 entries.',
  },
  // Unknown path or method; the live service answers e.g. 405 `invalid request method : /policy`.
  InvalidMethod: { errorCode: 'InvalidMethod', httpStatus: 405, message: 'invalid request method : {path}' },
  // Server side. Flow control: reads answer ReadQuotaExceed, writes the project-level WriteQuotaExceed
  // in the wording of SLS "Handle resource throttling errors"
  // (https://www.alibabacloud.com/help/en/sls/user-guide/expansion-of-resources).
  ReadQuotaExceed: { errorCode: 'ReadQuotaExceed', httpStatus: 403, message: 'Read quota is exceeded.' },
  WriteQuotaExceed: {
    errorCode: 'WriteQuotaExceed',
    httpStatus: 403,
    message: 'Project write quota exceed: qps: {qps}',
  },
  // GetLogs query budget (README "Security"). Too many statements at once in one project: the message
  // is the one SLS documents for its analytic concurrency limit ("Common errors in query and analysis":
  // `user can only run 15 query concurrently`); kind is `query` (analytic) or `search`. The code and
  // status are those of SLS's quota errors (ExceedQuota, 403), as the page gives the message only.
  ExceedQuota: {
    errorCode: 'ExceedQuota',
    httpStatus: 403,
    message: 'user can only run {limit} {kind} concurrently',
  },
  // A query over its time budget (`--query-timeout-ms`) is interrupted. SLS reports a timed-out
  // analysis as a server-side RequestTimeout (5xx, not documented as such); vpcflow keeps the code but
  // answers 408, the caller's budget being the cause, so no refusal of a caller's query is a 5xx.
  RequestTimeout: {
    errorCode: 'RequestTimeout',
    httpStatus: 408,
    message: 'The query did not finish within {ms} ms and was cancelled; narrow the time range or the query.',
  },
  InternalServerError: { errorCode: 'InternalServerError', httpStatus: 500, message: '{detail}' },
  ServerBusy: {
    errorCode: 'ServerBusy',
    httpStatus: 503,
    message: 'The server is busy, please try again later.',
  },
} as const satisfies Record<string, SlsErrorEntry>;

export type SlsErrorId = keyof typeof SLS_ERRORS;

/** The `{name}` placeholders of a template, as a union of names (never when there are none). */
type Placeholders<S extends string> = S extends `${string}{${infer Name}}${infer Rest}`
  ? Name | Placeholders<Rest>
  : never;

export type SlsErrorVars<Id extends SlsErrorId> = Record<
  Placeholders<(typeof SLS_ERRORS)[Id]['message']>,
  string | number
>;

/** An SLS error ready to render: code, HTTP status and the filled-in message. */
export class SlsError extends Error {
  readonly errorCode: string;
  readonly httpStatus: number;

  constructor(errorCode: string, httpStatus: number, message: string) {
    super(message);
    this.name = 'SlsError';
    this.errorCode = errorCode;
    this.httpStatus = httpStatus;
  }
}

function fill(template: string, vars: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = vars[name];
    return value === undefined ? whole : String(value);
  });
}

/** Make an error from the catalog: `slsError('ProjectNotExist', { project: 'p' })`. */
export function slsError<Id extends SlsErrorId>(
  id: Id,
  ...vars: Placeholders<(typeof SLS_ERRORS)[Id]['message']> extends never ? [] : [SlsErrorVars<Id>]
): SlsError {
  const entry: SlsErrorEntry = SLS_ERRORS[id];
  return new SlsError(entry.errorCode, entry.httpStatus, fill(entry.message, vars[0] ?? {}));
}

/**
 * A new request id as SLS makes them: 24 upper-case hex characters whose first 8 are the Unix time in
 * seconds (e.g. `5A0A9ACC28BB14D26F7D0E94` was returned on 2017-11-14 = 0x5A0A9ACC), then 16 random ones.
 */
export function newSlsRequestId(now: Date = new Date()): string {
  const seconds = Math.floor(now.getTime() / 1000) >>> 0;
  return (seconds.toString(16).padStart(8, '0') + randomBytes(8).toString('hex')).toUpperCase();
}

export interface SlsHttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Headers every SLS response carries (SLS "Common response headers"; `server: AliyunSLS` as the live service
 * sends it). `x-log-time` is the server clock in Unix seconds, which SLS clients (iLogtail) use to correct
 * their own clock when they get a time error.
 */
export function slsCommonHeaders(requestId: string, now: Date = new Date()): Record<string, string> {
  return {
    server: 'AliyunSLS',
    date: now.toUTCString(),
    'access-control-allow-origin': '*',
    'x-log-time': String(Math.floor(now.getTime() / 1000)),
    'x-log-requestid': requestId,
  };
}

export interface RenderSlsErrorOptions {
  requestId?: string;
  now?: Date;
}

/** The full HTTP response for an SLS error: status, headers (names lower-case) and the JSON envelope. */
export function renderSlsError(error: SlsError, options: RenderSlsErrorOptions = {}): SlsHttpResponse {
  const now = options.now ?? new Date();
  const requestId = options.requestId ?? newSlsRequestId(now);
  const body = JSON.stringify({ errorCode: error.errorCode, errorMessage: error.message });
  return {
    status: error.httpStatus,
    headers: {
      ...slsCommonHeaders(requestId, now),
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body)),
    },
    body,
  };
}
