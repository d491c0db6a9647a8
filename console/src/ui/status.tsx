/** A flow log's status as a badge; transient statuses carry a spinner and say so to screen readers. */
const TRANSIENT = new Set(['Activating', 'Deactivating', 'Modifying', 'Deleting']);

export function isTransient(status: string): boolean {
  return TRANSIENT.has(status);
}

export function StatusBadge({ status }: { status: string }) {
  const kind =
    status === 'Active' ? 'ok' : isTransient(status) ? 'busy' : status === 'Inactive' ? 'off' : 'warn';
  return (
    <span class={`badge badge-${kind}`}>
      {isTransient(status) ? <span class="spinner" aria-hidden="true" /> : null}
      {status}
    </span>
  );
}

/** `log-status` of a record: OK, NODATA or SKIPDATA, the last two marked. */
export function LogStatus({ value }: { value: string }) {
  const kind = value === 'OK' ? 'ok' : value === 'NODATA' ? 'off' : 'warn';
  return <span class={`badge badge-${kind}`}>{value}</span>;
}
