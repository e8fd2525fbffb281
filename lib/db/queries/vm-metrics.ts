// Perfdata series of one VM (perf_samples: one row per label per check), for charts and the metrics API.
// Both queries stay on perf_samples_vm_series_idx (vm_id, service, label, sampled_at): the series list is
// a loose index scan, a window of one series is one range. Long windows are averaged into time buckets
// in SQL, so a month of 1-minute samples costs the same to draw as a day.
// No 'server-only': the portal benchmark (scripts/bench/portal-bare.ts) runs the VM page's queries outside Next.
import { normalizeToBase } from '../../monitoring/perfdata';
import type { Database } from '../connection';
import { ROLLUP_PERIOD_MS, type RollupPeriod, rollupBuckets, rollupState } from './perf-rollups';
import { arrayRows } from './vm-state-history';
import type { OwnedVm } from './vms';

export interface SeriesInfo {
  service: string;
  label: string;
  /** Unit of the latest sample, as sent (e.g. MB, %, s, c, ''). */
  unit: string;
  latest: { at: Date; value: number | null };
}

export interface SeriesPoint {
  /** Start of the bucket (or the sample time when not bucketed). */
  at: Date;
  /** Average over the bucket; null when the plugin sent U. */
  value: number | null;
  low: number | null;
  high: number | null;
  samples: number;
}

export interface SeriesData {
  service: string;
  label: string;
  /** Base unit after normalization (B for byte units, s for time units), else the unit as sent. */
  unit: string;
  from: Date;
  to: Date;
  bucketMs: number | null;
  points: SeriesPoint[];
  /** Thresholds and range of the latest sample in the window, in `unit`. */
  warn: number | null;
  crit: number | null;
  min: number | null;
  max: number | null;
}

const EPOCH_MS = "TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', s.sampled_at) DIV 1000";

/** Windows longer than a month read the rollups (./perf-rollups.ts); shorter ones, and the latest sample, read raw samples. */
const ROLLUPS_BEYOND_MS = 31 * 86_400_000;
/** Samples stored more than this after the rollups last moved, for a time before it, show once they are rolled up. */
const LATE_MARGIN_MS = 86_400_000;

/** Daily rows beyond half a year, hourly below; buckets a whole number of rollup periods, aligned to the epoch. */
export function rollupPlan(spanMs: number, points: number): { period: RollupPeriod; bucketMs: number } {
  const period: RollupPeriod = spanMs > 183 * 86_400_000 ? 'day' : 'hour';
  const periodMs = ROLLUP_PERIOD_MS[period];
  return { period, bucketMs: Math.max(1, Math.ceil(spanMs / points / periodMs)) * periodMs };
}

/**
 * The rollups' buckets plus the samples not rolled up yet (ids above the rollups' `through`), bucketed the
 * same way: each sample counted once. Tuples as the raw query's, with the count of values last.
 */
async function rolledUpSamples(
  db: Database,
  series: { vmId: number; service: string; label: string },
  period: RollupPeriod,
  from: Date,
  to: Date,
  bucketMs: number,
): Promise<Array<[number, string, number | null, number | null, number | null, number, number]>> {
  const state = await rollupState(db);
  const tailFrom = state.throughAt ? new Date(Math.max(from.getTime(), Date.parse(state.throughAt) - LATE_MARGIN_MS)) : from;
  const [rolled, tail] = await Promise.all([
    state.through > 0 ? rollupBuckets(db, series, period, from, to, bucketMs) : Promise.resolve([]),
    arrayRows(
      db,
      `SELECT FLOOR((${EPOCH_MS}) / ?) * ? AS bucket, s.unit, COALESCE(SUM(s.value), 0), COUNT(s.value), MIN(s.value), MAX(s.value), COUNT(*)
         FROM perf_samples s WHERE s.vm_id = ? AND s.service = ? AND s.label = ? AND s.sampled_at >= ? AND s.sampled_at < ? AND s.id > ?
        GROUP BY bucket, s.unit`,
      [bucketMs, bucketMs, series.vmId, series.service, series.label, tailFrom, to, state.through],
    ),
  ]);
  const rows = [...rolled, ...(tail as Array<[number, string, number, number, number | null, number | null, number]>)];
  return rows.map(([bucket, unit, sum, valued, low, high, n]) => [Number(bucket), unit, Number(valued) > 0 ? Number(sum) / Number(valued) : null, low, high, Number(n), Number(valued)]);
}

/** One number in base units (bytes, seconds) when its unit has one. */
function toBase(value: number | null, unit: string): { value: number | null; unit: string } {
  const n = normalizeToBase({ label: '', value, unit, warn: null, crit: null, min: null, max: null, warnRange: null, critRange: null });
  return { value: n.value, unit: n.unit };
}

/** Every series the VM has samples for, with its latest value. */
export async function seriesListForVm(db: Database, vm: OwnedVm): Promise<SeriesInfo[]> {
  return (await seriesListForVms(db, [vm])).get(vm.id) ?? [];
}

/** The same for several checked VMs in one query (the dashboard's forecasts), by VM id. */
export async function seriesListForVms(db: Database, checked: readonly OwnedVm[]): Promise<Map<number, SeriesInfo[]>> {
  const out = new Map<number, SeriesInfo[]>(checked.map((vm) => [vm.id, []]));
  if (checked.length === 0) return out;
  const result = await arrayRows(
    db,
    `SELECT s.vm_id, s.service, s.label, s.unit, s.value, ${EPOCH_MS}, s.id
       FROM (SELECT vm_id, service, label, MAX(sampled_at) AS at FROM perf_samples
              WHERE vm_id IN (?) GROUP BY vm_id, service, label) l
       JOIN perf_samples s ON s.vm_id = l.vm_id AND s.service = l.service AND s.label = l.label AND s.sampled_at = l.at
      ORDER BY s.vm_id, s.service, s.label, s.id`,
    [checked.map((vm) => vm.id)],
  );
  const series = new Map<string, SeriesInfo & { vmId: number }>();
  for (const [vmId, service, label, unit, value, at] of result as [number, string, string, string, number | null, number, number][]) {
    series.set(`${vmId}\u0000${service}\u0000${label}`, { vmId: Number(vmId), service, label, unit, latest: { at: new Date(Number(at)), value } });
  }
  for (const { vmId, ...s } of series.values()) out.get(vmId)?.push(s);
  return out;
}

export interface SeriesRequest {
  service: string;
  label: string;
  from: Date;
  to: Date;
  /** At most this many points; more samples are averaged into buckets. */
  points: number;
}

/** One series over a window, in base units. */
export async function seriesForVm(db: Database, vm: OwnedVm, request: SeriesRequest): Promise<SeriesData> {
  const { service, label, from, to } = request;
  const spanMs = to.getTime() - from.getTime();
  const where = 's.vm_id = ? AND s.service = ? AND s.label = ? AND s.sampled_at >= ? AND s.sampled_at < ?';
  const args = [vm.id, service, label, from, to];
  const rolled = spanMs > ROLLUPS_BEYOND_MS ? rollupPlan(spanMs, request.points) : null;
  const [[count = 0] = []] = rolled ? [[Infinity]] : ((await arrayRows(db, `SELECT COUNT(*) FROM perf_samples s WHERE ${where}`, args)) as number[][]);
  const bucketMs = rolled ? rolled.bucketMs : count > request.points ? Math.ceil(spanMs / request.points / 1000) * 1000 : null;

  const [samples, latest] = await Promise.all([
    rolled
      ? rolledUpSamples(db, { vmId: vm.id, service, label }, rolled.period, from, to, rolled.bucketMs)
      : bucketMs === null
      ? arrayRows(db, `SELECT ${EPOCH_MS}, s.unit, s.value, s.value, s.value, 1 FROM perf_samples s WHERE ${where} ORDER BY s.sampled_at, s.id`, args)
      : // Grouped by unit too: a plugin that switched from MB to GB must not be averaged across units.
        arrayRows(
          db,
          `SELECT ? + FLOOR((${EPOCH_MS} - ?) / ?) * ? AS bucket, s.unit, AVG(s.value), MIN(s.value), MAX(s.value), COUNT(*)
             FROM perf_samples s WHERE ${where} GROUP BY bucket, s.unit ORDER BY bucket`,
          [from.getTime(), from.getTime(), bucketMs, bucketMs, ...args],
        ),
    arrayRows(db, `SELECT s.unit, s.warn, s.crit, s.min, s.max FROM perf_samples s WHERE ${where} ORDER BY s.sampled_at DESC, s.id DESC LIMIT 1`, args),
  ]);

  const points = new Map<number, SeriesPoint & { sum: number; valued: number }>();
  let unit = '';
  for (const [bucket, rawUnit, avg, low, high, n, valuedCount] of samples as [number, string, number | null, number | null, number | null, number, number?][]) {
    const at = Number(bucket);
    const a = toBase(avg === null ? null : Number(avg), rawUnit);
    const lo = toBase(low === null ? null : Number(low), rawUnit).value;
    const hi = toBase(high === null ? null : Number(high), rawUnit).value;
    unit = a.unit;
    const p = points.get(at) ?? { at: new Date(at), value: null, low: null, high: null, samples: 0, sum: 0, valued: 0 };
    const count = Number(n);
    const weight = valuedCount ?? count;
    p.samples += count;
    if (a.value !== null && weight > 0) {
      p.sum += a.value * weight;
      p.valued += weight;
      p.value = p.sum / p.valued;
    }
    if (lo !== null) p.low = p.low === null ? lo : Math.min(p.low, lo);
    if (hi !== null) p.high = p.high === null ? hi : Math.max(p.high, hi);
    points.set(at, p);
  }

  const [last] = latest as [string, number | null, number | null, number | null, number | null][];
  const scale = (v: number | null) => (last ? toBase(v, last[0]).value : null);
  if (last) unit = toBase(0, last[0]).unit;
  return {
    service,
    label,
    unit,
    from,
    to,
    bucketMs,
    points: [...points.values()].sort((a, b) => a.at.getTime() - b.at.getTime()).map(({ at, value, low, high, samples: s }) => ({ at, value, low, high, samples: s })),
    warn: scale(last?.[1] ?? null),
    crit: scale(last?.[2] ?? null),
    min: scale(last?.[3] ?? null),
    max: scale(last?.[4] ?? null),
  };
}
