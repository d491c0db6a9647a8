/** A moment in the browser's time zone, with the UTC time on hover (and to screen readers via datetime). */
const LOCAL = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

export function formatLocal(ms: number): string {
  return LOCAL.format(new Date(ms));
}

export function formatUtc(ms: number): string {
  return `${new Date(ms)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d{3}Z$/, '')} UTC`;
}

export function Time({ ms }: { ms: number }) {
  if (!Number.isFinite(ms)) return <span>-</span>;
  return (
    <time dateTime={new Date(ms).toISOString()} title={formatUtc(ms)}>
      {formatLocal(ms)}
    </time>
  );
}

/** The browser's zone name, for labels ("times in Europe/Berlin"). */
export const ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;
