import { describeError } from '../api/api-error.js';

/** An API failure in words: the message and its code (e.g. `Forbidden.RAM`), announced to screen readers. */
export function ErrorBox({ error, title }: { error: unknown; title?: string }) {
  if (error === undefined || error === null) return null;
  const { code, message } = describeError(error);
  return (
    <div class="error" role="alert">
      <strong>{title ?? 'The request failed'}:</strong> {message} <code class="code">{code}</code>
    </div>
  );
}
