import Link from 'next/link';
import { LineChart } from '@/app/_components/line-chart';
import { type ChartProjection, type ChartThreshold, lineChart } from '@/lib/charts/line-chart';
import type { SeriesData, SeriesInfo } from '@/lib/db/queries/vm-metrics';
import { CHART_RANGES, type ChartRange } from '@/lib/vms/params';
import { type SearchParams, hrefWith } from './search-params';
import { visibleText } from '@/lib/monitoring/visible-text';
import { NagiosText } from '@/app/_components/nagios-text';
import { counterDeltas, isTransferCounter, seriesTitle } from '@/lib/charts/series-words';

const RANGE_LABELS: Record<ChartRange, string> = { '24h': '24 hours', '7d': '7 days', '30d': '30 days', '90d': '90 days', '1y': 'a year' };

export function ChartRangeLinks({ pathname, params, current }: { pathname: string; params: SearchParams; current: ChartRange }) {
  return (
    <nav aria-label="Chart period" className="segmented">
      {(Object.keys(CHART_RANGES) as ChartRange[]).map((r) => (
        <Link key={r} href={`${hrefWith(pathname, params, { chart: r === '7d' ? undefined : r })}#charts`} aria-current={r === current ? 'page' : undefined} scroll={false}>
          {RANGE_LABELS[r]}
        </Link>
      ))}
    </nav>
  );
}

/** Per chart (`service\0label`): the disk's size as a capacity line and the forecast after the data. */
export type ChartForecasts = ReadonlyMap<string, { capacity: number; projection: ChartProjection | null }>;

export function Charts({
  charts,
  more,
  timeZone,
  vmId,
  forecasts = new Map(),
}: {
  charts: SeriesData[];
  more: SeriesInfo[];
  timeZone: string;
  vmId: number;
  forecasts?: ChartForecasts;
}) {
  if (charts.length === 0) {
    return <p className="muted">No performance data yet. Disk use, load and transfer appear here once the checks report them.</p>;
  }
  return (
    <>
      <div className="charts">
        {charts.map((s, i) => {
          const thresholds: ChartThreshold[] = [];
          if (s.warn !== null) thresholds.push({ kind: 'warning', value: s.warn });
          if (s.crit !== null) thresholds.push({ kind: 'critical', value: s.crit });
          const forecast = forecasts.get(`${s.service}\u0000${s.label}`);
          if (forecast) thresholds.push({ kind: 'capacity', value: forecast.capacity });
          // A traffic counter ("since boot") is drawn as the data moved between points: the transfer.
          const transfer = isTransferCounter(s);
          const points = s.points.map((p) => ({ at: p.at.getTime(), value: p.value, low: p.low, high: p.high }));
          const model = lineChart({
            title: visibleText(seriesTitle(s.service, s.label, transfer)),
            unit: transfer ? 'B' : s.unit,
            from: s.from.getTime(),
            to: s.to.getTime(),
            points: transfer ? counterDeltas(points) : points,
            thresholds: transfer ? [] : thresholds,
            floor: transfer ? 0 : s.min,
            ceiling: transfer ? null : s.max,
            projection: forecast?.projection ?? null,
            timeZone,
          });
          return (
            <LineChart
              key={`${s.service}\u0000${s.label}`}
              id={`chart-${i}`}
              model={model}
              caption={s.bucketMs ? `(averages over ${Math.round(s.bucketMs / 60_000)} min)` : undefined}
            />
          );
        })}
      </div>
      {more.length > 0 ? (
        <p className="muted small">
          Also measured: <NagiosText text={more.map((m) => seriesTitle(m.service, m.label)).join(', ')} /> (in the API: <code>/api/v1/vms/{vmId}/metrics?label=…</code>).
        </p>
      ) : null}
    </>
  );
}
