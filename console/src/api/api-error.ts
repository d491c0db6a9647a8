/** An error answered by the API (RPC or SLS envelope), or a network failure, in words with its code. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly requestId?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** What the console shows for any failure: `Code: message`, never a stack. */
export function describeError(err: unknown): { code: string; message: string } {
  if (err instanceof ApiError) return { code: err.code, message: err.message };
  if (err instanceof TypeError) return { code: 'NetworkError', message: 'The server could not be reached.' };
  return { code: 'Error', message: err instanceof Error ? err.message : String(err) };
}
