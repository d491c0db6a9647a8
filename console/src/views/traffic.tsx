/**
 * One flow log's traffic, read from its logstore with signed SLS GetLogs: a time range, the SLS search box,
 * a chart of bytes/packets per window by direction and action, top talkers, the NODATA/SKIPDATA windows and
 * the records themselves. Analytic statements (`search | select …`) do the aggregation server-side.
 */
import { useEffect, useState } from 'preact/hooks';
import type { SlsTarget } from '../api/sls.js';
import type { Client, FlowLog } from '../client.js';
import { ErrorBox } from '../ui/error-box.js';
import { LogStatus, StatusBadge } from '../ui/status.js';
import { Time, ZONE } from '../ui/time.js';
import { resourceLabel } from './flow-logs.js';
import { formatNumber, TrafficChart, type WindowPoint } from './traffic-chart.js';

const PRESETS = [
  { id: '15m', label: 'Last 15 minutes', seconds: 15 * 60 },
  { id: '1h', label: 'Last hour', seconds: 3600 },
  { id: '1d', label: 'Last day', seconds: 86400 },
  { id: 'custom', label: 'Custom', seconds: 0 },
] as const;
type Preset = (typeof PRESETS)[number]['id'];

const PAGE = 50;
const PROTOCOLS: Record<string, string> = { '1': 'ICMP', '6': 'TCP', '17': 'UDP', '58': 'ICMPv6' };

type Row = Record<string, string>;

interface Range {
  from: number;
  to: number;
}

interface Results {
  records: Row[];
  points: WindowPoint[];
  talkers: Row[];
  gaps: Row[];
}

/** `datetime-local` value (browser zone) of a Unix second. */
function toLocalInput(seconds: number): string {
  const d = new Date(seconds * 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function rangeOf(preset: Preset, customFrom: string, customTo: string): Range | string {
  const now = Math.floor(Date.now() / 1000);
  if (preset !== 'custom') return { from: now - PRESETS.find((p) => p.id === preset)!.seconds, to: now + 1 };
  const from = Math.floor(new Date(customFrom).getTime() / 1000);
  const to = Math.floor(new Date(customTo).getTime() / 1000);
  if (!Number.isFinite(from) || !Number.isFinite(to)) return 'Enter both the start and the end of the range.';
  if (to <= from) return 'The end of the range must be after its start.';
  return { from, to };
}

export function TrafficView({
  client,
  region,
  flowLogId,
}: {
  client: Client;
  region: string;
  flowLogId: string;
}) {
  const [flowLog, setFlowLog] = useState<FlowLog | null>();
  const [preset, setPreset] = useState<Preset>('15m');
  const now = Math.floor(Date.now() / 1000);
  const [customFrom, setCustomFrom] = useState(() => toLocalInput(now - 3600));
  const [customTo, setCustomTo] = useState(() => toLocalInput(now));
  const [search, setSearch] = useState('*');
  const [query, setQuery] = useState('*');
  const [range, setRange] = useState<Range>({ from: now - 900, to: now + 1 });
  const [offset, setOffset] = useState(0);
  const [metric, setMetric] = useState<'bytes' | 'packets'>('bytes');
  const [results, setResults] = useState<Results>();
  const [error, setError] = useState<unknown>();
  const [rangeError, setRangeError] = useState('');
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    client.flowLog(region, flowLogId).then((f) => setFlowLog(f ?? null), setError);
  }, [client, region, flowLogId]);

  const target: SlsTarget | undefined = flowLog
    ? { project: flowLog.ProjectName, logstore: flowLog.LogStoreName, region: flowLog.RegionId }
    : undefined;

  useEffect(() => {
    if (!target || !flowLog) return;
    let stale = false;
    setLoading(true);
    const window = flowLog.AggregationInterval * 60;
    const q = query.trim() || '*';
    const get = (statement: string, line = 100, off = 0) =>
      client.logs(target, { ...range, query: statement, line, offset: off }).then((r) => r.rows);
    Promise.all([
      get(q, PAGE, offset),
      get(
        `${q} | select __time__ - __time__ % ${window} as t, direction, action, sum(bytes) as bytes, sum(packets) as packets from log where "log-status" = 'OK' group by t, direction, action order by t limit 10000`,
      ),
      get(
        `${q} | select srcaddr, dstaddr, sum(bytes) as bytes, sum(packets) as packets from log where "log-status" = 'OK' group by srcaddr, dstaddr order by bytes desc limit 10`,
      ),
      get(
        `${q} | select __time__ - __time__ % ${window} as t, "log-status" as status, count(*) as enis from log where "log-status" <> 'OK' group by t, status order by t desc limit 100`,
      ),
    ]).then(
      ([records, points, talkers, gaps]) => {
        if (stale) return;
        setResults({
          records,
          points: points.map((p) => ({
            t: Number(p['t']),
            direction: p['direction'] ?? '',
            action: p['action'] ?? '',
            bytes: Number(p['bytes']),
            packets: Number(p['packets']),
          })),
          talkers,
          gaps,
        });
        setError(undefined);
        setLoading(false);
      },
      (err: unknown) => {
        if (stale) return;
        setError(err);
        setLoading(false);
      },
    );
    return () => {
      stale = true;
    };
  }, [flowLog, range, query, offset]);

  function run(e?: Event) {
    e?.preventDefault();
    const r = rangeOf(preset, customFrom, customTo);
    if (typeof r === 'string') {
      setRangeError(r);
      return;
    }
    setRangeError('');
    setOffset(0);
    setQuery(search);
    setRange(r);
  }

  if (flowLog === null) {
    return (
      <section>
        <p>
          <a href="#/flowlogs">← Flow logs</a>
        </p>
        <div class="error" role="alert">
          Flow log <code>{flowLogId}</code> was not found in {region}.
        </div>
      </section>
    );
  }

  const talkerMax = Math.max(1, ...(results?.talkers ?? []).map((t) => Number(t['bytes'])));
  return (
    <section aria-labelledby="traffic-title">
      <p class="crumbs">
        <a href="#/flowlogs">← Flow logs</a>
      </p>
      <div class="page-head">
        <h1 id="traffic-title">
          {flowLog?.FlowLogName || flowLogId} <span class="mono muted h-sub">{flowLogId}</span>
        </h1>
        {flowLog ? <StatusBadge status={flowLog.Status} /> : null}
      </div>
      {flowLog ? (
        <dl class="facts">
          <div>
            <dt>Resource</dt>
            <dd>
              {resourceLabel(flowLog.ResourceType)} <span class="mono">{flowLog.ResourceId}</span>
            </dd>
          </div>
          <div>
            <dt>Traffic</dt>
            <dd>{flowLog.TrafficType}</dd>
          </div>
          <div>
            <dt>Window</dt>
            <dd>{flowLog.AggregationInterval} min</dd>
          </div>
          <div>
            <dt>Project / logstore</dt>
            <dd class="mono">
              {flowLog.ProjectName} / {flowLog.LogStoreName}
            </dd>
          </div>
        </dl>
      ) : null}

      <form class="querybar" onSubmit={run} aria-label="Time range and search">
        <label class="field">
          <span>Time range</span>
          <select value={preset} onChange={(e) => setPreset(e.currentTarget.value as Preset)}>
            {PRESETS.map((p) => (
              <option key={p.id} value={p.id}>
                {p.label}
              </option>
            ))}
          </select>
        </label>
        {preset === 'custom' ? (
          <>
            <label class="field">
              <span>From ({ZONE})</span>
              <input
                type="datetime-local"
                value={customFrom}
                onInput={(e) => setCustomFrom(e.currentTarget.value)}
              />
            </label>
            <label class="field">
              <span>To ({ZONE})</span>
              <input
                type="datetime-local"
                value={customTo}
                onInput={(e) => setCustomTo(e.currentTarget.value)}
              />
            </label>
          </>
        ) : null}
        <label class="field field-grow">
          <span>SLS search</span>
          <input
            type="search"
            class="mono"
            spellcheck={false}
            value={search}
            placeholder="e.g. dstport: 443 and action: REJECT"
            onInput={(e) => setSearch(e.currentTarget.value)}
          />
        </label>
        <button type="submit" class="button button-primary">
          Search
        </button>
      </form>
      {rangeError ? (
        <div class="error" role="alert">
          {rangeError}
        </div>
      ) : null}
      <ErrorBox error={error} title="The search failed" />
      <p class="muted small" aria-live="polite">
        {loading ? 'Loading…' : results ? `Showing ` : ''}
        {!loading && results ? (
          <>
            <Time ms={range.from * 1000} /> to <Time ms={range.to * 1000} /> ({ZONE})
          </>
        ) : null}
      </p>

      <div class="grid-2">
        <section class="panel" aria-labelledby="chart-title">
          <div class="panel-head">
            <h2 id="chart-title">Traffic per window</h2>
            <div class="segmented" role="group" aria-label="Measure">
              {(['bytes', 'packets'] as const).map((m) => (
                <button
                  key={m}
                  type="button"
                  class="button button-small"
                  aria-pressed={metric === m}
                  onClick={() => setMetric(m)}
                >
                  {m === 'bytes' ? 'Bytes' : 'Packets'}
                </button>
              ))}
            </div>
          </div>
          {results ? (
            <TrafficChart points={results.points} metric={metric} from={range.from} to={range.to} />
          ) : null}
          {results && results.points.length === 0 ? (
            <p class="muted">No accepted or rejected traffic in this range.</p>
          ) : null}
        </section>

        <section class="panel" aria-labelledby="talkers-title">
          <h2 id="talkers-title">Top talkers</h2>
          <table class="table table-compact">
            <caption class="sr-only">Source and destination pairs by bytes</caption>
            <thead>
              <tr>
                <th scope="col">Source</th>
                <th scope="col">Destination</th>
                <th scope="col" class="num">
                  Bytes
                </th>
                <th scope="col" class="num">
                  Packets
                </th>
              </tr>
            </thead>
            <tbody>
              {(results?.talkers ?? []).map((t) => (
                <tr key={`${t['srcaddr']}>${t['dstaddr']}`}>
                  <td class="mono">{t['srcaddr']}</td>
                  <td class="mono">{t['dstaddr']}</td>
                  <td class="num">
                    <span
                      class="bar"
                      style={{ width: `${(Number(t['bytes']) / talkerMax) * 100}%` }}
                      aria-hidden="true"
                    />
                    <span class="num-value">{formatNumber(Number(t['bytes']))}</span>
                  </td>
                  <td class="num">{formatNumber(Number(t['packets']))}</td>
                </tr>
              ))}
              {results && results.talkers.length === 0 ? (
                <tr>
                  <td colSpan={4} class="empty">
                    No traffic.
                  </td>
                </tr>
              ) : null}
            </tbody>
          </table>
          <h3 class="h-small">Windows without data</h3>
          {results && results.gaps.length > 0 ? (
            <ul class="gaps">
              {results.gaps.map((g) => (
                <li key={`${g['t']}-${g['status']}`}>
                  <LogStatus value={g['status'] ?? ''} /> <Time ms={Number(g['t']) * 1000} />
                  <span class="muted small">
                    {' '}
                    · {g['enis']} ENI{g['enis'] === '1' ? '' : 's'}
                  </span>
                </li>
              ))}
            </ul>
          ) : (
            <p class="muted small">
              {results ? 'None: every window in range has records or none has closed yet.' : ''}
            </p>
          )}
          <p class="muted small">
            NODATA: an ENI had no traffic in a window. SKIPDATA: records were dropped in a window.
          </p>
        </section>
      </div>

      <section class="panel" aria-labelledby="records-title">
        <div class="panel-head">
          <h2 id="records-title">Records</h2>
          <div class="pager">
            <button
              type="button"
              class="button button-small"
              disabled={offset === 0}
              onClick={() => setOffset(Math.max(0, offset - PAGE))}
            >
              Newer
            </button>
            <span class="small">{results ? `${offset + 1}–${offset + results.records.length}` : ''}</span>
            <button
              type="button"
              class="button button-small"
              disabled={!results || results.records.length < PAGE}
              onClick={() => setOffset(offset + PAGE)}
            >
              Older
            </button>
          </div>
        </div>
        <div class="table-wrap" tabIndex={0} aria-label="Records table">
          <table class="table table-compact" aria-labelledby="records-title">
            <thead>
              <tr>
                <th scope="col">Source</th>
                <th scope="col" class="num">
                  Src port
                </th>
                <th scope="col">Destination</th>
                <th scope="col" class="num">
                  Dst port
                </th>
                <th scope="col">Protocol</th>
                <th scope="col">Direction</th>
                <th scope="col">Action</th>
                <th scope="col" class="num">
                  Packets
                </th>
                <th scope="col" class="num">
                  Bytes
                </th>
                <th scope="col">Start</th>
                <th scope="col">End</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {(results?.records ?? []).map((r, i) => (
                <tr key={`${offset}-${i}`} class={r['log-status'] !== 'OK' ? 'row-muted' : undefined}>
                  <td class="mono">{r['srcaddr']}</td>
                  <td class="num mono">{r['srcport']}</td>
                  <td class="mono">{r['dstaddr']}</td>
                  <td class="num mono">{r['dstport']}</td>
                  <td>{PROTOCOLS[r['protocol'] ?? ''] ?? r['protocol']}</td>
                  <td>{r['direction']}</td>
                  <td>
                    {r['action'] === 'REJECT' ? <span class="badge badge-warn">REJECT</span> : r['action']}
                  </td>
                  <td class="num">{r['packets']}</td>
                  <td class="num">{r['bytes']}</td>
                  <td>
                    <Time ms={Number(r['start']) * 1000} />
                  </td>
                  <td>
                    <Time ms={Number(r['end']) * 1000} />
                  </td>
                  <td>
                    <LogStatus value={r['log-status'] ?? ''} />
                  </td>
                </tr>
              ))}
              {results && results.records.length === 0 ? (
                <tr>
                  <td colSpan={12} class="empty">
                    No records in this range.
                  </td>
                </tr>
              ) : null}
            </tbody>
          </table>
        </div>
      </section>
    </section>
  );
}
