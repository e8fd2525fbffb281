// Usage forecasts from perfdata samples, for upgrade prompts: when a disk fills up, and whether the
// monthly transfer quota lasts the month. Pure: every "now" is passed in.
// Feed values in one unit (use normalizeToBase from ./perfdata for bytes).
import { type Result, fail, ok } from '../result';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

export interface LinearFit {
  /** Change in y per unit of x. */
  slope: number;
  intercept: number;
  /** Coefficient of determination 0..1 (how well a line explains the data); null when y is constant. */
  r2: number | null;
  n: number;
}

/** Ordinary least squares y = slope * x + intercept; null with fewer than 2 points or no spread in x. */
export function linearFit(points: readonly { x: number; y: number }[]): LinearFit | null {
  const n = points.length;
  if (n < 2) return null;
  let mx = 0;
  let my = 0;
  for (const p of points) {
    mx += p.x;
    my += p.y;
  }
  mx /= n;
  my /= n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (const p of points) {
    const dx = p.x - mx;
    const dy = p.y - my;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  if (sxx === 0) return null;
  const slope = sxy / sxx;
  return { slope, intercept: my - slope * mx, r2: syy === 0 ? null : (sxy * sxy) / (sxx * syy), n };
}

function validTime(d: Date): number | null {
  const t = d instanceof Date ? d.getTime() : Number.NaN;
  return Number.isNaN(t) ? null : t;
}

// ---------------------------------------------------------------------------------------------
// Disk filling

export interface DiskSample {
  at: Date;
  /** Used space (e.g. bytes). */
  used: number;
  /** Capacity reported with this sample (perfdata `max`), if any. */
  max?: number | null;
}

export interface DiskForecastOptions {
  /** Defaults to the latest sample's time. Samples after `now` are ignored. */
  now?: Date;
  /** Capacity; defaults to the latest sample's `max` (a resized disk counts at its new size). */
  capacity?: number;
  /** Fit only the samples this many days before the latest one (default 14). */
  windowDays?: number;
  /** Minimum samples in the window (default 3). */
  minSamples?: number;
  /** Minimum time the window's samples must span (default 6 hours): a short span extrapolates noise. */
  minSpanHours?: number;
  /** Beyond this many days a fill date is not reported (default 3650). */
  maxHorizonDays?: number;
}

export interface DiskForecast {
  /** The latest sample used: the forecast starts from its actual level. */
  asOf: Date;
  used: number;
  capacity: number;
  /** used / capacity * 100. */
  usedPct: number;
  /** Least-squares growth per day over the window (negative when shrinking). */
  ratePerDay: number;
  growing: boolean;
  /** Days from `now` until full; 0 when already full; null when not growing or beyond the horizon. */
  daysUntilFull: number | null;
  fullAt: Date | null;
  sampleCount: number;
  r2: number | null;
}

/**
 * When the disk fills up at the current rate. The rate is a least-squares line over the recent window;
 * the projection starts from the latest *actual* level (not the fitted one), so it can never claim
 * "full" while the latest sample says otherwise.
 */
export function forecastDiskFull(samples: readonly DiskSample[], options: DiskForecastOptions = {}): Result<DiskForecast> {
  const windowMs = (options.windowDays ?? 14) * DAY_MS;
  const minSamples = options.minSamples ?? 3;
  const minSpanMs = (options.minSpanHours ?? 6) * HOUR_MS;
  const maxHorizonDays = options.maxHorizonDays ?? 3650;
  const nowOpt = options.now === undefined ? null : validTime(options.now);
  if (options.now !== undefined && nowOpt === null) return fail('now is not a valid date');

  const usable = samples
    .map((s) => ({ t: validTime(s.at), used: s.used, max: s.max ?? null }))
    .filter((s): s is { t: number; used: number; max: number | null } => s.t !== null && Number.isFinite(s.used))
    .filter((s) => nowOpt === null || s.t <= nowOpt)
    .sort((a, b) => a.t - b.t);
  const latest = usable[usable.length - 1];
  if (!latest) return fail('no samples');

  const capacity = options.capacity ?? latest.max;
  if (capacity === null || !Number.isFinite(capacity) || capacity <= 0) {
    return fail('no capacity: pass one or send perfdata with a max');
  }

  const recent = usable.filter((s) => s.t >= latest.t - windowMs);
  if (recent.length < minSamples) {
    return fail(`too few samples: ${recent.length} in the window, need ${minSamples}`);
  }
  const first = recent[0] ?? latest;
  const span = latest.t - first.t;
  if (span < minSpanMs) {
    return fail(`samples span ${(span / HOUR_MS).toFixed(1)} hours, need ${minSpanMs / HOUR_MS}`);
  }

  // x in days since the first sample keeps the numbers small and the slope per day.
  const fit = linearFit(recent.map((s) => ({ x: (s.t - first.t) / DAY_MS, y: s.used })));
  if (fit === null) return fail('samples span no time');

  const now = nowOpt ?? latest.t;
  const ratePerDay = fit.slope;
  const growing = ratePerDay > 0;
  let fullAtMs: number | null = null;
  if (latest.used >= capacity) fullAtMs = latest.t;
  else if (growing) fullAtMs = latest.t + ((capacity - latest.used) / ratePerDay) * DAY_MS;

  let daysUntilFull = fullAtMs === null ? null : Math.max(0, (fullAtMs - now) / DAY_MS);
  if (daysUntilFull !== null && daysUntilFull > maxHorizonDays) {
    daysUntilFull = null;
    fullAtMs = null;
  }

  return ok({
    asOf: new Date(latest.t),
    used: latest.used,
    capacity,
    usedPct: (latest.used / capacity) * 100,
    ratePerDay,
    growing,
    daysUntilFull,
    fullAt: fullAtMs === null ? null : new Date(fullAtMs),
    sampleCount: recent.length,
    r2: fit.r2,
  });
}

// ---------------------------------------------------------------------------------------------
// Monthly transfer quota

export interface TransferSample {
  at: Date;
  /** Cumulative transfer since the start of the period (e.g. bytes). */
  total: number;
}

export interface TransferForecastOptions {
  /** Defaults to the latest sample's time. Samples after `now` are ignored. */
  now?: Date;
  /** The billing period; defaults to the UTC calendar month containing `now`. */
  period?: { start: Date; end: Date };
  /** Minimum elapsed time into the period before projecting (default 24 hours): one early burst
   *  would otherwise project an absurd month. */
  minElapsedHours?: number;
}

export interface TransferForecast {
  periodStart: Date;
  periodEnd: Date;
  /** The latest sample used. */
  asOf: Date;
  used: number;
  quota: number;
  /** Average since the period start. */
  ratePerDay: number;
  /** Linear from the period start: used / elapsed * period length. */
  projectedTotal: number;
  projectedPct: number;
  willExceed: boolean;
  alreadyExceeded: boolean;
  /** When the quota is (or was) crossed: the first sample over it, else the projected crossing; null if never. */
  exceedsOn: Date | null;
}

/** The UTC calendar month containing `at`. */
export function utcMonthOf(at: Date): { start: Date; end: Date } {
  const y = at.getUTCFullYear();
  const m = at.getUTCMonth();
  return { start: new Date(Date.UTC(y, m, 1)), end: new Date(Date.UTC(y, m + 1, 1)) };
}

/**
 * Project the period's total transfer linearly from the period start (the counter is assumed to start at
 * 0 then and to be cumulative; the latest sample is taken as the current total).
 */
export function forecastTransferQuota(
  samples: readonly TransferSample[],
  quota: number,
  options: TransferForecastOptions = {},
): Result<TransferForecast> {
  if (!Number.isFinite(quota) || quota <= 0) return fail('quota must be a positive number');
  const minElapsedMs = (options.minElapsedHours ?? 24) * HOUR_MS;
  const nowOpt = options.now === undefined ? null : validTime(options.now);
  if (options.now !== undefined && nowOpt === null) return fail('now is not a valid date');

  const valid = samples
    .map((s) => ({ t: validTime(s.at), total: s.total }))
    .filter((s): s is { t: number; total: number } => s.t !== null && Number.isFinite(s.total))
    .filter((s) => nowOpt === null || s.t <= nowOpt)
    .sort((a, b) => a.t - b.t);

  const anchor = nowOpt ?? valid[valid.length - 1]?.t;
  if (anchor === undefined) return fail('no samples');
  const period = options.period ?? utcMonthOf(new Date(anchor));
  const startMs = validTime(period.start);
  const endMs = validTime(period.end);
  if (startMs === null || endMs === null || endMs <= startMs) return fail('invalid period');

  const inPeriod = valid.filter((s) => s.t >= startMs && s.t < endMs);
  const latest = inPeriod[inPeriod.length - 1];
  if (!latest) return fail('no samples in the period');
  const elapsed = latest.t - startMs;
  if (elapsed < minElapsedMs) {
    return fail(`only ${(elapsed / HOUR_MS).toFixed(1)} hours of the period have samples, need ${minElapsedMs / HOUR_MS}`);
  }

  const used = latest.total;
  const ratePerMs = used / elapsed;
  const projectedTotal = ratePerMs * (endMs - startMs);
  const alreadyExceeded = used >= quota;
  const willExceed = alreadyExceeded || projectedTotal > quota;
  let exceedsOn: Date | null = null;
  if (alreadyExceeded) {
    const firstOver = inPeriod.find((s) => s.total >= quota) ?? latest;
    exceedsOn = new Date(firstOver.t);
  } else if (willExceed && ratePerMs > 0) {
    exceedsOn = new Date(latest.t + (quota - used) / ratePerMs);
  }

  return ok({
    periodStart: new Date(startMs),
    periodEnd: new Date(endMs),
    asOf: new Date(latest.t),
    used,
    quota,
    ratePerDay: ratePerMs * DAY_MS,
    projectedTotal,
    projectedPct: (projectedTotal / quota) * 100,
    willExceed,
    alreadyExceeded,
    exceedsOn,
  });
}
