// Usage from raw perfdata series, for plan prompts: transfer counted from interface byte counters, and
// a disk outlook that gives a range instead of one falsely precise date. Pure: every "now" is passed in.
import { linearFit } from './forecast';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const TWO_32 = 2 ** 32;
const TWO_64 = 2 ** 64;

export class UsageError extends Error {
  override name = 'UsageError';
}

function validTime(d: Date): number | null {
  const t = d instanceof Date ? d.getTime() : Number.NaN;
  return Number.isNaN(t) ? null : t;
}

function periodMs(period: { start: Date; end: Date }): { start: number; end: number } {
  const start = validTime(period.start);
  const end = validTime(period.end);
  if (start === null || end === null || end <= start) throw new UsageError('invalid period');
  return { start, end };
}

// ---------------------------------------------------------------------------------------------
// Transfer from cumulative counters

/** A Nagios counter (UOM "c"): cumulative bytes since the interface came up. */
export interface CounterSample {
  at: Date;
  value: number;
}

/** The top quarter of a counter's range: a drop from there is a wrap, not a restart. */
function wrapsAt(previous: number): number | null {
  if (previous >= 0.75 * TWO_32 && previous < TWO_32) return TWO_32;
  if (previous >= 0.75 * TWO_64) return TWO_64;
  return null;
}

interface Step {
  t: number;
  /** Bytes counted in [start, end) between the previous sample and this one. */
  inPeriod: number;
  kind: 'rise' | 'wrap' | 'reset';
  /** Whether the step's interval overlaps the period at all. */
  overlaps: boolean;
}

/** Consecutive-sample deltas, each weighted by the share of its interval inside the period. */
function steps(samples: readonly CounterSample[], start: number, end: number): { steps: Step[]; inside: number[] } {
  const valid = samples
    .map((s) => ({ t: validTime(s.at), value: s.value }))
    .filter((s): s is { t: number; value: number } => s.t !== null && Number.isFinite(s.value) && s.value >= 0)
    .sort((a, b) => a.t - b.t);
  const out: Step[] = [];
  for (let i = 1; i < valid.length; i++) {
    const prev = valid[i - 1];
    const cur = valid[i];
    if (!prev || !cur) continue;
    let delta: number;
    let kind: Step['kind'] = 'rise';
    if (cur.value >= prev.value) delta = cur.value - prev.value;
    else {
      const range = wrapsAt(prev.value);
      kind = range === null ? 'reset' : 'wrap';
      // A reset restarted from 0, so everything the counter now shows is new; what it counted
      // between the previous sample and the restart is lost.
      delta = range === null ? cur.value : range - prev.value + cur.value;
    }
    const dt = cur.t - prev.t;
    const overlap = Math.min(cur.t, end) - Math.max(prev.t, start);
    // Spread evenly over the interval: the best guess without samples in between.
    const share = dt === 0 ? (cur.t >= start && cur.t < end ? 1 : 0) : Math.max(0, overlap) / dt;
    out.push({ t: cur.t, inPeriod: delta * share, kind, overlaps: share > 0 });
  }
  return { steps: out, inside: valid.filter((s) => s.t >= start && s.t < end).map((s) => s.t) };
}

/**
 * Bytes counted in [period.start, period.end) from a cumulative counter. A drop is a wrap when the
 * previous value lies within the top 1/4 of the 32-bit or 64-bit range (2^32 or 2^64 minus previous plus
 * value), else a reset (the counter restarted from 0: the new value counts). Samples out of order are
 * sorted; non-finite or negative values are skipped. An interval straddling either end of the period
 * counts in proportion to the part inside it, so consecutive periods add up to the whole.
 * Near 2^64 a double resolves only ~4 KB, so a 64-bit wrap is exact to that.
 */
export function counterTotal(
  samples: readonly CounterSample[],
  period: { start: Date; end: Date },
): { total: number; resets: number; wraps: number; samples: number } {
  const { start, end } = periodMs(period);
  const { steps: all, inside } = steps(samples, start, end);
  let total = 0;
  let resets = 0;
  let wraps = 0;
  for (const s of all) {
    if (!s.overlaps) continue;
    total += s.inPeriod;
    if (s.kind === 'reset') resets++;
    if (s.kind === 'wrap') wraps++;
  }
  return { total, resets, wraps, samples: inside.length };
}

/**
 * The same, as a cumulative series from the period start: the total at each sample time inside the
 * period, ready for forecastTransferQuota (TransferSample: at, total). It stops at the last sample
 * inside the period, so it can be below counterTotal by the share of an interval straddling the end.
 */
export function cumulativeInPeriod(samples: readonly CounterSample[], period: { start: Date; end: Date }): Array<{ at: Date; total: number }> {
  const { start, end } = periodMs(period);
  const { steps: all, inside } = steps(samples, start, end);
  const out: Array<{ at: Date; total: number }> = [];
  let total = 0;
  let next = 0;
  for (const t of inside) {
    // Duplicate timestamps: every step up to and including this time.
    while (next < all.length && (all[next]?.t ?? Infinity) <= t) total += all[next++]?.inPeriod ?? 0;
    out.push({ at: new Date(t), total });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Disk outlook

/**
 * The samples after the last big deletion: a drop between consecutive samples of at least
 * `minDropFraction` (default 0.05) of capacity; the first sample at the lower level is kept. A forecast
 * fitted across a deletion would be wrong. Samples are sorted; ones with invalid times or values dropped.
 */
export function samplesSinceLastDeletion<T extends { at: Date; used: number }>(samples: readonly T[], capacity: number, minDropFraction = 0.05): T[] {
  const sorted = samples
    .filter((s) => validTime(s.at) !== null && Number.isFinite(s.used))
    .sort((a, b) => a.at.getTime() - b.at.getTime());
  if (!Number.isFinite(capacity) || capacity <= 0) return sorted;
  const minDrop = minDropFraction * capacity;
  let from = 0;
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1];
    const cur = sorted[i];
    if (prev && cur && prev.used - cur.used >= minDrop) from = i;
  }
  return sorted.slice(from);
}

export interface DiskOutlook {
  status: 'full' | 'filling' | 'not-growing' | 'not-enough-data';
  used: number;
  capacity: number;
  usedPct: number;
  ratePerDay: number | null;
  /** A range, not false precision: days until full at the fitted rate ± 2 standard errors of the slope; high null = "or later / maybe never" when the lower rate is ≤ 0. */
  daysUntilFull: { low: number; high: number | null } | null;
  fullBetween: { earliest: Date; latest: Date | null } | null;
  /** Used bytes projected `horizonDays` ahead of now at the fitted rate (never below used). */
  projectedUsed: (horizonDays: number) => number;
  asOf: Date | null;
  sampleCount: number;
  /** Plain words for customers. */
  message: string;
}

export interface DiskOutlookOptions {
  now: Date;
  /** Defaults to the latest sample's `max` (a resized disk counts at its new size). */
  capacity?: number;
  /** Fit only the samples this many days before the latest one (default 14). */
  windowDays?: number;
  /** Default 6; at least 3, since the slope's standard error needs n − 2 ≥ 1. */
  minSamples?: number;
  /** Default 24: shorter spans mostly measure the daily rhythm (logs, backups), not growth. */
  minSpanHours?: number;
}

/**
 * Below 0.01 % of capacity a day the disk would take over 27 years to fill from empty: nothing to tell
 * a customer about, and well inside the jitter of a busy filesystem.
 */
const TINY_RATE_FRACTION = 1e-4;
/** Beyond this a day-and-month date without a year would mislead. */
const FAR_DAYS = 365;

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** "12 December", in UTC. */
function dayMonth(d: Date): string {
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()] ?? ''}`;
}

function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

/** "9–12 days", "about 10 days", "20–30 hours", "30 hours to 4 days"; low rounded down, high up, so the words contain the range. */
function durationRange(lowDays: number, highDays: number | null): string {
  const inHours = lowDays < 2;
  const low = inHours ? Math.floor(lowDays * 24) : Math.floor(lowDays);
  const lowUnit = inHours ? 'hour' : 'day';
  if (highDays === null) return `${plural(low, lowUnit)} or later`;
  const highInHours = highDays < 2;
  const high = highInHours ? Math.ceil(highDays * 24) : Math.ceil(highDays);
  if (inHours !== highInHours) return `${plural(low, 'hour')} to ${plural(high, 'day')}`;
  if (low === high) return `about ${plural(low, lowUnit)}`;
  return `${low}–${plural(high, lowUnit)}`;
}

function dateRange(earliest: Date, latest: Date | null): string {
  if (latest === null) return `from ${dayMonth(earliest)}`;
  const a = dayMonth(earliest);
  const b = dayMonth(latest);
  if (a === b) return `on ${a}`;
  const sameMonth = earliest.getUTCMonth() === latest.getUTCMonth() && earliest.getUTCFullYear() === latest.getUTCFullYear();
  return sameMonth ? `between ${earliest.getUTCDate()} and ${b}` : `between ${a} and ${b}`;
}

function spanWords(hours: number): string {
  if (hours % 24 === 0) return hours === 24 ? 'a day' : `${hours / 24} days`;
  return plural(hours, 'hour');
}

/**
 * How a disk is filling: 'full', 'filling' (with a range of days until full), 'not-growing', or
 * 'not-enough-data'. The rate is a least-squares line over the recent window since the last big
 * deletion; the projection starts from the latest actual level, as forecastDiskFull does.
 */
export function diskOutlook(samples: readonly { at: Date; used: number; max?: number | null }[], options: DiskOutlookOptions): DiskOutlook {
  const now = validTime(options.now);
  if (now === null) throw new UsageError('now is not a valid date');
  const windowMs = (options.windowDays ?? 14) * DAY_MS;
  const minSamples = Math.max(3, options.minSamples ?? 6);
  const minSpanHours = options.minSpanHours ?? 24;

  const valid = samples
    .filter((s) => {
      const t = validTime(s.at);
      return t !== null && t <= now && Number.isFinite(s.used) && s.used >= 0;
    })
    .sort((a, b) => a.at.getTime() - b.at.getTime());
  const latest = valid[valid.length - 1];
  const capacity = options.capacity ?? latest?.max ?? null;
  const used = latest?.used ?? 0;
  const base = {
    used,
    capacity: capacity ?? 0,
    usedPct: capacity !== null && capacity > 0 ? (used / capacity) * 100 : 0,
    asOf: latest ? latest.at : null,
  };
  const noForecast = (status: DiskOutlook['status'], message: string, sampleCount: number): DiskOutlook => ({
    ...base,
    status,
    ratePerDay: null,
    daysUntilFull: status === 'full' ? { low: 0, high: 0 } : null,
    fullBetween: status === 'full' && latest ? { earliest: latest.at, latest: latest.at } : null,
    projectedUsed: () => used,
    sampleCount,
    message,
  });

  if (!latest) return noForecast('not-enough-data', 'Not enough data yet: we have no measurements of this disk.', 0);
  if (capacity === null || !Number.isFinite(capacity) || capacity <= 0) {
    return noForecast('not-enough-data', 'Not enough data yet: we don’t know the size of this disk.', 0);
  }
  if (used >= capacity) return noForecast('full', 'This disk is full.', 0);

  const since = samplesSinceLastDeletion(valid, capacity);
  const latestMs = latest.at.getTime();
  const recent = since.filter((s) => s.at.getTime() >= latestMs - windowMs);
  const first = recent[0];
  const span = first ? latestMs - first.at.getTime() : 0;
  const after = since.length < valid.length ? ' since the last big deletion' : ' yet';
  const tooFew = recent.length < minSamples;
  const tooShort = span < minSpanHours * HOUR_MS;
  if (tooFew || tooShort) {
    const need = tooFew && tooShort
      ? `at least ${minSamples} measurements over ${spanWords(minSpanHours)}`
      : tooShort
        ? `at least ${spanWords(minSpanHours)} of measurements`
        : `at least ${minSamples} measurements`;
    return noForecast('not-enough-data', `Not enough data${after}: we need ${need}.`, recent.length);
  }

  const firstMs = first?.at.getTime() ?? latestMs;
  const points = recent.map((s) => ({ x: (s.at.getTime() - firstMs) / DAY_MS, y: s.used }));
  const fit = linearFit(points);
  if (fit === null) return noForecast('not-enough-data', `Not enough data${after}: we need at least ${spanWords(minSpanHours)} of measurements.`, recent.length);

  const se = slopeStandardError(points, fit.slope, fit.intercept);
  const rate = fit.slope;
  const fastest = rate + 2 * se;
  const slowest = rate - 2 * se;
  const sinceLatestDays = (now - latestMs) / DAY_MS;
  const projectedUsed = (horizonDays: number) => Math.max(used, used + rate * (sinceLatestDays + horizonDays));
  const common = { ...base, ratePerDay: rate, projectedUsed, sampleCount: recent.length };

  if (slowest <= 0 && rate <= TINY_RATE_FRACTION * capacity) {
    return { ...common, status: 'not-growing', daysUntilFull: null, fullBetween: null, message: 'Not growing.' };
  }

  const remaining = capacity - used;
  const daysFromNow = (r: number) => Math.max(0, remaining / r - sinceLatestDays);
  const low = daysFromNow(fastest);
  const high = slowest > 0 ? daysFromNow(slowest) : null;
  const earliest = new Date(now + low * DAY_MS);
  const latestFull = high === null ? null : new Date(now + high * DAY_MS);

  let message: string;
  if (low > FAR_DAYS) message = 'At the current rate this disk will not be full for more than a year.';
  else if (high === null) {
    message = `At the current rate this disk could be full in ${durationRange(low, null)} (${dateRange(earliest, null)}), but its growth is too uneven to say when.`;
  } else if (high > FAR_DAYS) {
    message = `At the current rate this disk is full in ${durationRange(low, null)} (${dateRange(earliest, null)}), possibly more than a year.`;
  } else message = `At the current rate this disk is full in ${durationRange(low, high)} (${dateRange(earliest, latestFull)}).`;

  return { ...common, status: 'filling', daysUntilFull: { low, high }, fullBetween: { earliest, latest: latestFull }, message };
}

/** Standard error of an OLS slope: sqrt(residual variance / Σ(x − x̄)²); 0 for a perfect line. */
function slopeStandardError(points: readonly { x: number; y: number }[], slope: number, intercept: number): number {
  const n = points.length;
  if (n < 3) return Number.POSITIVE_INFINITY;
  let mx = 0;
  for (const p of points) mx += p.x;
  mx /= n;
  let sxx = 0;
  let ssr = 0;
  for (const p of points) {
    sxx += (p.x - mx) ** 2;
    ssr += (p.y - (slope * p.x + intercept)) ** 2;
  }
  return Math.sqrt(ssr / (n - 2) / sxx);
}
