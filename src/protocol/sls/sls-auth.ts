/**
 * Entry point of SLS request authentication: picks the v1 or v4 verifier from the `Authorization` scheme
 * and maps a failure to the SLS error the real service returns (sls-errors.ts).
 */
import type {
  SlsAuthFailure,
  SlsAuthResult,
  SlsRequestDescription,
  SlsVerifyOptions,
} from './sls-auth-types.js';
import { slsError, type SlsError } from './sls-errors.js';
import { isSlsV1Authorization, verifySlsV1 } from './sls-signature-v1.js';
import { isSlsV4Authorization, verifySlsV4 } from './sls-signature-v4.js';

export type {
  SlsAuthFailure,
  SlsAuthResult,
  SlsAuthSuccess,
  SlsRequestDescription,
  SlsSecretLookup,
  SlsVerifyOptions,
} from './sls-auth-types.js';
export { SLS_MAX_SKEW_MS } from './sls-auth-types.js';

export function verifySlsRequest(request: SlsRequestDescription, options: SlsVerifyOptions): SlsAuthResult {
  const authorization = request.headers['authorization'];
  if (authorization === undefined || authorization === '') {
    return { ok: false, failure: { kind: 'missing-authorization' } };
  }
  if (isSlsV4Authorization(authorization)) return verifySlsV4(request, options);
  if (isSlsV1Authorization(authorization)) return verifySlsV1(request, options);
  return {
    ok: false,
    failure: { kind: 'malformed-authorization', authorization, detail: 'unknown authorization scheme' },
  };
}

export interface AuthFailureToErrorOptions {
  /**
   * Append the server's string to sign to a SignatureNotMatch message. The live service does not do this;
   * it helps someone debugging a hand-written client against the emulator.
   */
  includeStringToSign?: boolean;
}

export function authFailureToSlsError(
  failure: SlsAuthFailure,
  options: AuthFailureToErrorOptions = {},
): SlsError {
  switch (failure.kind) {
    case 'missing-authorization':
      return slsError('MissAccessKeyId');
    case 'malformed-authorization':
      return slsError('ParameterInvalidHeader', { header: 'authorization', value: failure.authorization });
    case 'unsupported-signature-method':
      return slsError('InvalidSignatureMethod', { method: failure.method });
    case 'missing-date':
      return failure.header === 'date'
        ? slsError('MissingDate')
        : slsError('ParameterInvalidHeader', { header: failure.header, value: '' });
    case 'invalid-date':
      return slsError('InvalidDateFormat', { date: failure.value });
    case 'request-time-expired':
      return slsError('RequestTimeExpired', {
        requestTime: failure.requestTime.toUTCString(),
        serverTime: failure.serverTime.toUTCString(),
      });
    case 'unknown-access-key':
      return slsError('AccessKeyIdNotFound', { accessKeyId: failure.accessKeyId });
    case 'content-md5-mismatch':
      // Not in the SLS error reference; ParameterInvalid is SLS's general "this header is wrong" code.
      return slsError('ParameterInvalidHeader', { header: 'content-md5', value: failure.received });
    case 'content-sha256-mismatch':
      return slsError('ParameterInvalidHeader', { header: 'x-log-content-sha256', value: failure.received });
    case 'signature-mismatch': {
      const error = slsError('SignatureNotMatch', { signature: failure.signature });
      if (!options.includeStringToSign) return error;
      return slsError('SignatureNotMatch', {
        signature: `${failure.signature} (server string to sign: ${JSON.stringify(failure.stringToSign)})`,
      });
    }
  }
}
