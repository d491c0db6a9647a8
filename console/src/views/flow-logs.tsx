/**
 * Flow logs of a region: DescribeFlowLogs' filters and paging, create / modify / Activate / Deactivate /
 * Delete (the destructive ones confirmed first), and polling while any shown flow log is changing state.
 */
import { useEffect, useState } from 'preact/hooks';
import type { Client, FlowLog, FlowLogFilter, FlowLogPage } from '../client.js';
import { ConfirmDialog, FormDialog } from '../ui/confirm.js';
import { ErrorBox } from '../ui/error-box.js';
import { isTransient, StatusBadge } from '../ui/status.js';
import { Time } from '../ui/time.js';
import { FlowLogForm } from './flow-log-form.js';

const POLL_MS = 1000;
const PAGE_SIZES = [10, 20, 50];

type Dialog =
  | { kind: 'create' }
  | { kind: 'modify'; flowLog: FlowLog }
  | { kind: 'confirm'; action: 'Deactivate' | 'Delete'; flowLog: FlowLog };

const ACTIONS = {
  Activate: { api: 'ActiveFlowLog', started: 'Activating' },
  Deactivate: { api: 'DeactiveFlowLog', started: 'Deactivating' },
  Delete: { api: 'DeleteFlowLog', started: 'Deleting' },
} as const;

export function FlowLogsView({ client, region }: { client: Client; region: string }) {
  const [filter, setFilter] = useState<FlowLogFilter>({});
  const [draft, setDraft] = useState<FlowLogFilter>({});
  const [pageNumber, setPageNumber] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [page, setPage] = useState<FlowLogPage>();
  const [loadError, setLoadError] = useState<unknown>();
  const [actionError, setActionError] = useState<{ title: string; error: unknown }>();
  const [notice, setNotice] = useState('');
  const [dialog, setDialog] = useState<Dialog>();
  const [tick, setTick] = useState(0);

  const reload = () => setTick((t) => t + 1);

  useEffect(() => {
    let stale = false;
    client.flowLogs(region, filter, pageNumber, pageSize).then(
      (p) => {
        if (stale) return;
        setPage(p);
        setLoadError(undefined);
      },
      (err: unknown) => !stale && setLoadError(err),
    );
    return () => {
      stale = true;
    };
  }, [client, region, filter, pageNumber, pageSize, tick]);

  // While a change is in progress the status is re-read until it settles.
  const changing = page?.flowLogs.some((f) => isTransient(f.Status)) ?? false;
  useEffect(() => {
    if (!changing) return;
    const timer = setTimeout(reload, POLL_MS);
    return () => clearTimeout(timer);
  }, [changing, page]);

  async function run(action: keyof typeof ACTIONS, flowLog: FlowLog) {
    setDialog(undefined);
    setActionError(undefined);
    try {
      await client.rpc('Vpc', ACTIONS[action].api, { RegionId: region, FlowLogId: flowLog.FlowLogId });
      setNotice(`${action}: ${flowLog.FlowLogId} is ${ACTIONS[action].started.toLowerCase()}.`);
    } catch (error) {
      setActionError({ title: `${action} ${flowLog.FlowLogId} failed`, error });
    }
    reload();
  }

  const totalPages = page ? Math.max(1, Math.ceil(page.total / page.pageSize)) : 1;
  const applyFilter = (e: Event) => {
    e.preventDefault();
    setPageNumber(1);
    setFilter(Object.fromEntries(Object.entries(draft).filter(([, v]) => v)) as FlowLogFilter);
  };

  return (
    <section aria-labelledby="flowlogs-title">
      <div class="page-head">
        <h1 id="flowlogs-title">Flow logs</h1>
        <button type="button" class="button button-primary" onClick={() => setDialog({ kind: 'create' })}>
          Create flow log
        </button>
      </div>

      <form class="filters" onSubmit={applyFilter} aria-label="Filter flow logs">
        <label class="field">
          <span>Name</span>
          <input
            value={draft.FlowLogName ?? ''}
            onInput={(e) => setDraft({ ...draft, FlowLogName: e.currentTarget.value })}
          />
        </label>
        <label class="field">
          <span>Status</span>
          <select
            value={draft.Status ?? ''}
            onChange={(e) => setDraft({ ...draft, Status: e.currentTarget.value })}
          >
            <option value="">Any</option>
            {['Active', 'Activating', 'Inactive', 'Deactivating', 'Modifying', 'Deleting'].map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label class="field">
          <span>Resource type</span>
          <select
            value={draft.ResourceType ?? ''}
            onChange={(e) => setDraft({ ...draft, ResourceType: e.currentTarget.value })}
          >
            <option value="">Any</option>
            <option value="VPC">VPC</option>
            <option value="VSwitch">vSwitch</option>
            <option value="NetworkInterface">ENI</option>
          </select>
        </label>
        <label class="field">
          <span>Resource ID</span>
          <input
            value={draft.ResourceId ?? ''}
            spellcheck={false}
            onInput={(e) => setDraft({ ...draft, ResourceId: e.currentTarget.value })}
          />
        </label>
        <label class="field">
          <span>Traffic type</span>
          <select
            value={draft.TrafficType ?? ''}
            onChange={(e) => setDraft({ ...draft, TrafficType: e.currentTarget.value })}
          >
            <option value="">Any</option>
            <option value="All">All</option>
            <option value="Allow">Allow</option>
            <option value="Drop">Drop</option>
          </select>
        </label>
        {(
          [
            ['VpcId', 'VPC ID'],
            ['ProjectName', 'Project'],
            ['LogStoreName', 'Logstore'],
          ] as const
        ).map(([key, label]) => (
          <label class="field" key={key}>
            <span>{label}</span>
            <input
              value={draft[key] ?? ''}
              spellcheck={false}
              onInput={(e) => setDraft({ ...draft, [key]: e.currentTarget.value })}
            />
          </label>
        ))}
        <div class="filters-actions">
          <button type="submit" class="button">
            Filter
          </button>
          <button
            type="button"
            class="button button-quiet"
            onClick={() => {
              setDraft({});
              setFilter({});
              setPageNumber(1);
            }}
          >
            Clear
          </button>
        </div>
      </form>

      <p class="sr-only" aria-live="polite">
        {notice}
      </p>
      {actionError ? <ErrorBox error={actionError.error} title={actionError.title} /> : null}
      <ErrorBox error={loadError} title="Could not list flow logs" />

      <div class="table-wrap" tabIndex={0} aria-label="Flow logs table">
        <table class="table">
          <caption class="sr-only">Flow logs in {region}</caption>
          <thead>
            <tr>
              <th scope="col">ID / name</th>
              <th scope="col">Status</th>
              <th scope="col">Resource</th>
              <th scope="col">Traffic</th>
              <th scope="col">Interval</th>
              <th scope="col">Project / logstore</th>
              <th scope="col">Delivery</th>
              <th scope="col">Created</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {page?.flowLogs.map((f) => (
              <FlowLogRow
                key={f.FlowLogId}
                flowLog={f}
                onModify={() => setDialog({ kind: 'modify', flowLog: f })}
                onActivate={() => void run('Activate', f)}
                onDeactivate={() => setDialog({ kind: 'confirm', action: 'Deactivate', flowLog: f })}
                onDelete={() => setDialog({ kind: 'confirm', action: 'Delete', flowLog: f })}
              />
            ))}
            {page && page.flowLogs.length === 0 ? (
              <tr>
                <td colSpan={9} class="empty">
                  No flow logs in {region}
                  {Object.keys(filter).length > 0 ? ' match the filter' : ''}.
                </td>
              </tr>
            ) : null}
            {!page && !loadError ? (
              <tr>
                <td colSpan={9} class="empty">
                  Loading…
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>

      <nav class="pager" aria-label="Pages">
        <label class="inline-field">
          <span>Per page</span>
          <select
            value={pageSize}
            onChange={(e) => {
              setPageSize(Number(e.currentTarget.value));
              setPageNumber(1);
            }}
          >
            {PAGE_SIZES.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          class="button button-small"
          disabled={pageNumber <= 1}
          onClick={() => setPageNumber(pageNumber - 1)}
        >
          Previous
        </button>
        <span>
          Page {pageNumber} of {totalPages} · {page?.total ?? 0} flow logs
        </span>
        <button
          type="button"
          class="button button-small"
          disabled={pageNumber >= totalPages}
          onClick={() => setPageNumber(pageNumber + 1)}
        >
          Next
        </button>
      </nav>

      {dialog?.kind === 'confirm' ? (
        <ConfirmDialog
          title={`${dialog.action} flow log?`}
          confirmLabel={dialog.action}
          danger
          onCancel={() => setDialog(undefined)}
          onConfirm={() => void run(dialog.action, dialog.flowLog)}
        >
          <p>
            {dialog.action === 'Delete'
              ? 'The flow log is removed. Records already delivered stay in their logstore.'
              : 'The flow log stops recording traffic until it is activated again.'}
          </p>
          <p>
            <strong>{dialog.flowLog.FlowLogName || dialog.flowLog.FlowLogId}</strong> (
            {dialog.flowLog.FlowLogId})
          </p>
        </ConfirmDialog>
      ) : null}
      {dialog?.kind === 'create' || dialog?.kind === 'modify' ? (
        <FormDialog
          title={dialog.kind === 'create' ? 'Create flow log' : `Modify ${dialog.flowLog.FlowLogId}`}
          onClose={() => setDialog(undefined)}
        >
          <FlowLogForm
            client={client}
            region={region}
            flowLog={dialog.kind === 'modify' ? dialog.flowLog : undefined}
            onCancel={() => setDialog(undefined)}
            onDone={(message) => {
              setDialog(undefined);
              setNotice(message);
              reload();
            }}
          />
        </FormDialog>
      ) : null}
    </section>
  );
}

function FlowLogRow(props: {
  flowLog: FlowLog;
  onModify: () => void;
  onActivate: () => void;
  onDeactivate: () => void;
  onDelete: () => void;
}) {
  const f = props.flowLog;
  const busy = isTransient(f.Status);
  const idCell = `row-${f.FlowLogId}`;
  const href = `#/flowlogs/${encodeURIComponent(f.FlowLogId)}`;
  return (
    <tr data-flow-log-id={f.FlowLogId}>
      <td id={idCell}>
        <a href={href} class="mono">
          {f.FlowLogId}
        </a>
        <div>
          {f.FlowLogName ? (
            <a href={href} class="name-link">
              {f.FlowLogName}
            </a>
          ) : (
            <span class="muted">(no name)</span>
          )}
        </div>
      </td>
      <td>
        <StatusBadge status={f.Status} />
      </td>
      <td>
        <div class="muted small">{resourceLabel(f.ResourceType)}</div>
        <span class="mono">{f.ResourceId}</span>
      </td>
      <td>{f.TrafficType}</td>
      <td>{f.AggregationInterval} min</td>
      <td>
        <span class="mono">{f.ProjectName}</span>
        <div class="mono muted">{f.LogStoreName}</div>
      </td>
      <td>
        {f.FlowLogDeliverStatus === 'FAILED' ? (
          <span class="badge badge-warn" title={f.FlowLogDeliverErrorMessage}>
            FAILED
          </span>
        ) : (
          <span class="badge badge-ok">{f.FlowLogDeliverStatus || '-'}</span>
        )}
        {f.FlowLogDeliverStatus === 'FAILED' && f.FlowLogDeliverErrorMessage ? (
          <div class="small">{f.FlowLogDeliverErrorMessage}</div>
        ) : null}
      </td>
      <td>
        <Time ms={Date.parse(f.CreationTime)} />
      </td>
      <td class="actions">
        <button
          type="button"
          class="button button-small"
          disabled={busy}
          onClick={props.onModify}
          aria-describedby={idCell}
        >
          Modify
        </button>
        {f.Status === 'Inactive' ? (
          <button
            type="button"
            class="button button-small"
            onClick={props.onActivate}
            aria-describedby={idCell}
          >
            Activate
          </button>
        ) : (
          <button
            type="button"
            class="button button-small"
            disabled={f.Status !== 'Active'}
            onClick={props.onDeactivate}
            aria-describedby={idCell}
          >
            Deactivate
          </button>
        )}
        <button
          type="button"
          class="button button-small button-danger-quiet"
          disabled={busy}
          onClick={props.onDelete}
          aria-describedby={idCell}
        >
          Delete
        </button>
      </td>
    </tr>
  );
}

export function resourceLabel(type: string): string {
  return type === 'NetworkInterface' ? 'ENI' : type === 'VSwitch' ? 'vSwitch' : type;
}
