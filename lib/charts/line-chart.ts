import { formatInZone } from '../vms/time-zone';
import { zoneLabel } from '../vms/time-format';
import { formatWithScale, unitScale } from './format';
import { niceTicks, timeTicks } from './ticks';

// A line chart as plain data (coordinates, SVG path strings, labels, a text alternative), rendered as
// SVG on the server by app/_components/line-chart.tsx. Pure and deterministic, so it is unit-tested
// without a browser. Thresholds are drawn as labelled lines and always fit in the value range, because
// how close a series is to its warning and critical levels is what the chart is for.

export interface ChartPoint {
  at: number;
  value: number | null;
  /** Bucket minimum and maximum, drawn as a band when they differ from the value. */
  low?: number | null;
  high?: number | null;
}

export interface ChartThreshold {
  /** `capacity`: the size the series fills up to (a disk's size), drawn as its own labelled line. */
  kind: 'warning' | 'critical' | 'capacity';
  value: number;
}

/** A forecast drawn after the data, as a dashed line; the chart's time axis extends to its end. */
export interface ChartProjection {
  points: ReadonlyArray<{ at: number; value: number }>;
  /** What the text alternative says about it, e.g. "At this rate the disk is full in 9–12 days." */
  summary: string;
}

export interface LineChartInput {
  title: string;
  /** Base unit of the values (B, s, %, c, '' ...). */
  unit: string;
  from: number;
  to: number;
  points: readonly ChartPoint[];
  thresholds?: readonly ChartThreshold[];
  /** Fixed ends of the value axis (e.g. 0 and the disk's size from perfdata min/max). */
  floor?: number | null;
  ceiling?: number | null;
  projection?: ChartProjection | null;
  timeZone: string;
  width?: number;
  height?: number;
}

export interface LineChartModel {
  width: number;
  height: number;
  plot: { x: number; y: number; width: number; height: number };
  /** One path per run of consecutive values; a missing value or a long silence breaks the line. */
  lines: string[];
  /** Band between bucket lows and highs, when bucketed. */
  band: string | null;
  /** Single isolated points, drawn as dots. */
  dots: Array<{ x: number; y: number }>;
  xTicks: Array<{ x: number; label: string }>;
  /** The zone the time axis is in ("UTC", "UTC+1"), written at the axis. */
  zone: string;
  yTicks: Array<{ y: number; label: string }>;
  thresholds: Array<{ kind: ChartThreshold['kind']; y: number; label: string }>;
  /** The projection's dashed path and where "now" is on the time axis; null without one. */
  projection: { path: string; nowX: number } | null;
  title: string;
  /** The text alternative: range, latest value, thresholds and whether they were crossed. */
  description: string;
  empty: boolean;
  /** The data-table alternative: at most TABLE_ROWS periods with their lowest, highest and last value. */
  table: Array<{ period: string; low: string; high: string; last: string }>;
}

const round = (n: number) => Math.round(n * 10) / 10;
export const TABLE_ROWS = 12;

export function lineChart(input: LineChartInput): LineChartModel {
  // Sized so that 12-unit text stays readable from a phone (~340 px) to half a desktop (~460 px).
  const width = input.width ?? 440;
  const height = input.height ?? 220;
  const plot = { x: 62, y: 14, width: width - 62 - 12, height: height - 14 - 28 };
  const { from, to, unit, timeZone } = input;
  const projected = (input.projection?.points ?? []).filter((p) => Number.isFinite(p.at) && Number.isFinite(p.value) && p.at >= from);
  const end = Math.max(to, ...projected.map((p) => p.at));
  const span = Math.max(1, end - from);
  const points = input.points.filter((p) => p.at >= from && p.at <= to).sort((a, b) => a.at - b.at);
  const values = points.flatMap((p) => [p.value, p.low ?? null, p.high ?? null]).filter((v): v is number => v !== null && Number.isFinite(v));
  const thresholds = (input.thresholds ?? []).filter((t) => Number.isFinite(t.value));

  const domainValues = [...values, ...thresholds.map((t) => t.value), ...projected.map((p) => p.value)];
  if (input.floor != null) domainValues.push(input.floor);
  if (input.ceiling != null) domainValues.push(input.ceiling);
  const lo = domainValues.length ? Math.min(...domainValues) : 0;
  const hi = domainValues.length ? Math.max(...domainValues) : 1;
  const scale = unitScale(Math.max(Math.abs(lo), Math.abs(hi)), unit);
  // Round ticks in the display unit (e.g. whole GiB), mapped back to base units.
  const nice = niceTicks(lo / scale.factor, hi / scale.factor, 4);
  const yMin = nice.min * scale.factor;
  const yMax = nice.max * scale.factor;
  const x = (t: number) => round(plot.x + ((t - from) / span) * plot.width);
  const y = (v: number) => round(plot.y + plot.height - ((v - yMin) / (yMax - yMin || 1)) * plot.height);

  // A silence much longer than the usual spacing is no data, not a straight line.
  const gaps = points.slice(1).map((p, i) => p.at - points[i]!.at);
  const typical = gaps.length ? [...gaps].sort((a, b) => a - b)[Math.floor(gaps.length / 2)]! : span;
  const runs: ChartPoint[][] = [];
  let run: ChartPoint[] = [];
  let previous: ChartPoint | null = null;
  for (const p of points) {
    const broken = p.value === null || !Number.isFinite(p.value) || (previous !== null && p.at - previous.at > typical * 3);
    if (broken && run.length > 0) {
      runs.push(run);
      run = [];
    }
    if (p.value !== null && Number.isFinite(p.value)) run.push(p);
    previous = p;
  }
  if (run.length > 0) runs.push(run);

  const lines = runs.filter((r) => r.length > 1).map((r) => r.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.at)},${y(p.value!)}`).join(' '));
  const dots = runs.filter((r) => r.length === 1).map((r) => ({ x: x(r[0]!.at), y: y(r[0]!.value!) }));
  const banded = points.filter((p) => p.low != null && p.high != null && p.low !== p.high);
  const band =
    banded.length > 1
      ? `${banded.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.at)},${y(p.high!)}`).join(' ')} ${[...banded]
          .reverse()
          .map((p) => `L${x(p.at)},${y(p.low!)}`)
          .join(' ')} Z`
      : null;

  const fmt = (v: number) => formatWithScale(v, scale);
  const yTicks = nice.ticks.map((v) => v * scale.factor).filter((v) => v >= yMin - 1e-9 && v <= yMax + 1e-9).map((v) => ({ y: y(v), label: fmt(v) }));
  const xTicks = timeTicks(from, end, timeZone).map((t) => ({ x: x(t.at), label: t.label }));
  const thresholdMarks = thresholds.map((t) => ({ kind: t.kind, y: y(t.value), label: `${t.kind} ${fmt(t.value)}` }));
  const projection =
    projected.length > 1 ? { path: projected.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.at)},${y(p.value)}`).join(' '), nowX: x(to) } : null;

  const latest = [...points].reverse().find((p) => p.value !== null);
  const when = (t: number) => formatInZone(t, timeZone, 'datetime');
  const parts: string[] = [];
  if (values.length === 0) {
    parts.push(`No samples between ${when(from)} and ${when(to)}.`);
  } else {
    const seriesValues = points.map((p) => p.value).filter((v): v is number => v !== null);
    parts.push(`From ${when(from)} to ${when(to)} (${timeZone}): lowest ${fmt(Math.min(...values))}, highest ${fmt(Math.max(...values))}.`);
    if (latest) parts.push(`Latest ${fmt(latest.value!)} at ${when(latest.at)}.`);
    for (const t of thresholds) {
      const over = seriesValues.filter((v) => v >= t.value).length;
      const name = t.kind === 'warning' ? 'Warning level' : t.kind === 'critical' ? 'Critical level' : 'Capacity';
      parts.push(`${name} ${fmt(t.value)}: ${over === 0 ? 'never reached' : `reached in ${over} of ${seriesValues.length} points`}.`);
    }
  }
  if (projection && input.projection) parts.push(`Dashed: the forecast. ${input.projection.summary}`);

  return {
    width,
    height,
    plot,
    lines,
    band,
    dots,
    xTicks,
    zone: zoneLabel(timeZone, end),
    yTicks,
    thresholds: thresholdMarks,
    projection,
    title: input.title,
    description: parts.join(' '),
    empty: values.length === 0,
    table: summaryRows(points, timeZone, fmt),
  };
}

/** Consecutive points in at most TABLE_ROWS groups: a table a person can read, not hundreds of rows. */
function summaryRows(points: readonly ChartPoint[], timeZone: string, fmt: (v: number) => string): LineChartModel['table'] {
  const size = Math.max(1, Math.ceil(points.length / TABLE_ROWS));
  const rows: LineChartModel['table'] = [];
  for (let i = 0; i < points.length; i += size) {
    const group = points.slice(i, i + size);
    const first = group[0]!;
    const last = group[group.length - 1]!;
    const values = group.flatMap((p) => [p.value, p.low ?? null, p.high ?? null]).filter((v): v is number => v !== null && Number.isFinite(v));
    const lastValue = [...group].reverse().find((p) => p.value !== null)?.value ?? null;
    const start = formatInZone(first.at, timeZone, 'datetime');
    const sameDay = start.slice(0, 10) === formatInZone(last.at, timeZone, 'date');
    const period = group.length === 1 ? start : `${start} – ${formatInZone(last.at, timeZone, sameDay ? 'time' : 'datetime')}`;
    rows.push(
      values.length === 0
        ? { period, low: 'no value', high: 'no value', last: 'no value' }
        : { period, low: fmt(Math.min(...values)), high: fmt(Math.max(...values)), last: lastValue === null ? 'no value' : fmt(lastValue) },
    );
  }
  return rows;
}
