/** Successful SLS responses: JSON bodies and the empty 200 most write operations answer. */
import type { RawResponse } from '../../../protocol/request.js';
import { slsCommonHeaders } from '../../../protocol/sls/sls-errors.js';

export function slsJson(
  requestId: string,
  value: unknown,
  extraHeaders: Record<string, string> = {},
): RawResponse {
  const body = JSON.stringify(value);
  return {
    status: 200,
    headers: {
      ...slsCommonHeaders(requestId),
      'content-type': 'application/json',
      ...extraHeaders,
    },
    body,
  };
}

/**
 * 200 with an empty body and no content-type: `@alicloud/log` would `JSON.parse('')` a body typed
 * `application/json` and throw (README.md in src/protocol/sls, CreateProject).
 */
export function slsEmpty(requestId: string): RawResponse {
  return { status: 200, headers: slsCommonHeaders(requestId), body: '' };
}
