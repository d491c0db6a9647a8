/**
 * Errors raised while compiling an SLS query.
 *
 * Real SLS answers every malformed or unsupported query with HTTP 400 and
 * `{"errorCode":"ParameterInvalid","errorMessage":...}`; the messages below reuse the wording SLS
 * itself prints where we found it (e.g. `key (x) is not config as key value config...`,
 * `parse search query error,...`), so clients that pattern-match on them keep working.
 */
export type QueryErrorCode = 'ParameterInvalid';

export class QueryError extends Error {
  readonly errorCode: QueryErrorCode;
  readonly httpStatus = 400;
  /** 0-based character offset into the full query string, when known. */
  readonly position: number | undefined;

  constructor(message: string, position?: number, errorCode: QueryErrorCode = 'ParameterInvalid') {
    super(message);
    this.name = 'QueryError';
    this.errorCode = errorCode;
    this.position = position;
  }
}

/** Search-statement syntax error, worded like SLS's own message. */
export function searchSyntaxError(detail: string, position: number): QueryError {
  return new QueryError(
    `parse search query error,please read query syntax document,error detail:${detail} at position ${position + 1}`,
    position,
  );
}

/** SQL (analytic statement) error in the `line 1:COL: message` form SLS/Presto uses. */
export function sqlError(detail: string, position?: number): QueryError {
  const prefix = position === undefined ? '' : `line 1:${position + 1}: `;
  return new QueryError(`${prefix}${detail}`, position);
}
