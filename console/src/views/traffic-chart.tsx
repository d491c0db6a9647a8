/**
 * Bytes or packets per window, one series per direction and action (uPlot, drawn on a canvas). The canvas
 * is described in words for screen readers; the numbers are also in the legend under the cursor.
 */
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import { formatLocal, formatUtc } from '../ui/time.js';

export interface WindowPoint {
  /** Window start, Unix seconds. */
  t: number;
  direction: string;
  action: string;
  bytes: number;
  packets: number;
}

export const SERIES = [
  { direction: 'in', action: 'ACCEPT', label: 'in · ACCEPT', color: '#1f6feb' },
  { direction: 'out', action: 'ACCEPT', label: 'out · ACCEPT', color: '#0e8a6a' },
  { direction: 'in', action: 'REJECT', label: 'in · REJECT', color: '#c2410c' },
  { direction: 'out', action: 'REJECT', label: 'out · REJECT', color: '#a21caf' },
] as const;

/** Columns for uPlot: window starts, then one array per series (null where a series has no record). */
export function toColumns(points: WindowPoint[], metric: 'bytes' | 'packets'): (number | null)[][] {
  const times = [...new Set(points.map((p) => p.t))].sort((a, b) => a - b);
  const index = new Map(times.map((t, i) => [t, i]));
  const columns: (number | null)[][] = [times, ...SERIES.map(() => times.map(() => null as number | null))];
  for (const p of points) {
    const s = SERIES.findIndex((x) => x.direction === p.direction && x.action === p.action);
    const i = index.get(p.t);
    if (s === -1 || i === undefined) continue;
    const column = columns[s + 1]!;
    column[i] = (column[i] ?? 0) + p[metric];
  }
  return columns;
}

export function TrafficChart(props: {
  points: WindowPoint[];
  metric: 'bytes' | 'packets';
  from: number;
  to: number;
}) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const columns = toColumns(props.points, props.metric);
    const unit = props.metric === 'bytes' ? 'bytes' : 'packets';
    const opts: uPlot.Options = {
      width: Math.max(280, el.clientWidth),
      height: 260,
      scales: { x: { time: true, min: props.from, max: props.to } },
      series: [
        { label: 'Window', value: (_u, v) => (v === null ? '-' : formatLocal(v * 1000)) },
        ...SERIES.map((s) => ({
          label: s.label,
          stroke: s.color,
          fill: `${s.color}22`,
          width: 2,
          points: { show: true, size: 6 },
          spanGaps: false,
          value: (_u: uPlot, v: number | null) => (v === null ? '-' : `${formatNumber(v)} ${unit}`),
        })),
      ],
      axes: [
        { stroke: '#3d4652', grid: { stroke: '#e3e7ed' } },
        {
          stroke: '#3d4652',
          grid: { stroke: '#e3e7ed' },
          size: 70,
          values: (_u, ticks) => ticks.map(formatNumber),
        },
      ],
      legend: { live: true },
    };
    const chart = new uPlot(opts, columns as uPlot.AlignedData, el);
    const resize = new ResizeObserver(() =>
      chart.setSize({ width: Math.max(280, el.clientWidth), height: 260 }),
    );
    resize.observe(el);
    return () => {
      resize.disconnect();
      chart.destroy();
    };
  }, [props.points, props.metric, props.from, props.to]);

  const totals = SERIES.map((s) => {
    const sum = props.points
      .filter((p) => p.direction === s.direction && p.action === s.action)
      .reduce((n, p) => n + p[props.metric], 0);
    return `${s.label} ${formatNumber(sum)}`;
  }).join(', ');
  return (
    <figure class="chart">
      <div
        ref={host}
        role="img"
        aria-label={`${props.metric === 'bytes' ? 'Bytes' : 'Packets'} per window from ${formatUtc(props.from * 1000)} to ${formatUtc(props.to * 1000)}: ${totals}.`}
      />
      <figcaption class="muted small">Totals: {totals}</figcaption>
    </figure>
  );
}

export function formatNumber(n: number): string {
  if (Math.abs(n) >= 1e9) return `${(n / 1e9).toFixed(1)} G`;
  if (Math.abs(n) >= 1e6) return `${(n / 1e6).toFixed(1)} M`;
  if (Math.abs(n) >= 1e4) return `${(n / 1e3).toFixed(1)} k`;
  return String(Math.round(n * 100) / 100);
}
