import { describe, it, expect } from 'vitest';
import { forecastDiskFull, forecastTransferQuota, linearFit, utcMonthOf } from './forecast';
import type { DiskSample, TransferSample } from './forecast';

const DAY = 86_400_000;
const GB = 1024 ** 3;
const T0 = Date.parse('2024-03-01T00:00:00Z');
const day = (d: number) => new Date(T0 + d * DAY);

describe('linearFit', () => {
  it('fits an exact line', () => {
    expect(linearFit([{ x: 0, y: 1 }, { x: 1, y: 3 }, { x: 2, y: 5 }])).toEqual({ slope: 2, intercept: 1, r2: 1, n: 3 });
  });

  it('fits noisy data by least squares', () => {
    const fit = linearFit([{ x: 0, y: 0 }, { x: 1, y: 2 }, { x: 2, y: 1 }, { x: 3, y: 3 }]);
    expect(fit?.slope).toBeCloseTo(0.8, 10);
    expect(fit?.intercept).toBeCloseTo(0.3, 10);
    expect(fit?.r2).toBeCloseTo(0.64, 10);
  });

  it('returns null with fewer than two points or no spread in x; r2 null for constant y', () => {
    expect(linearFit([])).toBeNull();
    expect(linearFit([{ x: 1, y: 1 }])).toBeNull();
    expect(linearFit([{ x: 1, y: 1 }, { x: 1, y: 2 }])).toBeNull();
    expect(linearFit([{ x: 0, y: 4 }, { x: 1, y: 4 }])?.r2).toBeNull();
  });
});

describe('forecastDiskFull', () => {
  // 1 GB/day growth from 50 GB on a 100 GB disk, one sample a day for 10 days.
  const steady: DiskSample[] = Array.from({ length: 11 }, (_, d) => ({ at: day(d), used: (50 + d) * GB, max: 100 * GB }));

  it('projects a steady growth from the latest level', () => {
    const r = forecastDiskFull(steady);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.ratePerDay).toBeCloseTo(GB, 3);
    expect(r.value.growing).toBe(true);
    expect(r.value.used).toBe(60 * GB);
    expect(r.value.capacity).toBe(100 * GB);
    expect(r.value.usedPct).toBe(60);
    expect(r.value.daysUntilFull).toBeCloseTo(40, 6);
    expect(r.value.fullAt?.getTime()).toBeCloseTo(day(50).getTime(), -3);
    expect(r.value.asOf).toEqual(day(10));
    expect(r.value.sampleCount).toBe(11);
    expect(r.value.r2).toBeCloseTo(1, 10);
  });

  it('measures days until full from now, and sorts unordered samples', () => {
    const r = forecastDiskFull([...steady].reverse(), { now: day(12) });
    expect(r.ok && r.value.daysUntilFull).toBeCloseTo(38, 6);
  });

  it('ignores samples after now', () => {
    const withFuture = [...steady, { at: day(20), used: 99 * GB, max: 100 * GB }];
    const r = forecastDiskFull(withFuture, { now: day(10) });
    expect(r.ok && r.value.used).toBe(60 * GB);
  });

  it('fits only the recent window', () => {
    // Shrinking for 30 days, then growing 2 GB/day for the last 7.
    const old: DiskSample[] = Array.from({ length: 30 }, (_, d) => ({ at: day(d), used: (80 - d) * GB, max: 100 * GB }));
    const recent: DiskSample[] = Array.from({ length: 8 }, (_, d) => ({ at: day(30 + d), used: (50 + 2 * d) * GB, max: 100 * GB }));
    const r = forecastDiskFull([...old, ...recent], { windowDays: 7 });
    expect(r.ok && r.value.ratePerDay).toBeCloseTo(2 * GB, 3);
    expect(r.ok && r.value.sampleCount).toBe(8);
  });

  it('reports no fill date when usage is flat or shrinking', () => {
    const flat = steady.map((s) => ({ ...s, used: 70 * GB }));
    const shrinking = steady.map((s, d) => ({ ...s, used: (70 - d) * GB }));
    for (const samples of [flat, shrinking]) {
      const r = forecastDiskFull(samples);
      expect(r.ok).toBe(true);
      if (!r.ok) continue;
      expect(r.value.growing).toBe(false);
      expect(r.value.daysUntilFull).toBeNull();
      expect(r.value.fullAt).toBeNull();
    }
  });

  it('reports no fill date beyond the horizon', () => {
    const slow = steady.map((s, d) => ({ ...s, used: 50 * GB + d * 1024 }));
    const r = forecastDiskFull(slow);
    expect(r.ok && r.value.growing).toBe(true);
    expect(r.ok && r.value.daysUntilFull).toBeNull();
  });

  it('says 0 days when already full', () => {
    const full = [...steady, { at: day(11), used: 100 * GB, max: 100 * GB }];
    const r = forecastDiskFull(full);
    expect(r.ok && r.value.daysUntilFull).toBe(0);
    expect(r.ok && r.value.fullAt).toEqual(day(11));
  });

  it('uses the latest max as capacity unless one is given', () => {
    const resized = [...steady.slice(0, 10), { at: day(10), used: 60 * GB, max: 200 * GB }];
    const grown = forecastDiskFull(resized);
    expect(grown.ok && grown.value.capacity).toBe(200 * GB);
    const r = forecastDiskFull(steady.map(({ at, used }) => ({ at, used })), { capacity: 80 * GB });
    expect(r.ok && r.value.daysUntilFull).toBeCloseTo(20, 6);
  });

  it('explains why there is no forecast', () => {
    expect(forecastDiskFull([])).toEqual({ ok: false, error: 'no samples' });
    expect(forecastDiskFull(steady.slice(0, 2))).toEqual({ ok: false, error: 'too few samples: 2 in the window, need 3' });
    expect(forecastDiskFull(steady.map(({ at, used }) => ({ at, used })))).toEqual({
      ok: false,
      error: 'no capacity: pass one or send perfdata with a max',
    });
    const burst = [0, 1, 2].map((m) => ({ at: new Date(T0 + m * 60_000), used: m * GB, max: 100 * GB }));
    expect(forecastDiskFull(burst)).toEqual({ ok: false, error: 'samples span 0.0 hours, need 6' });
    expect(forecastDiskFull(steady, { now: new Date('x') })).toEqual({ ok: false, error: 'now is not a valid date' });
  });

  it('skips samples with invalid dates or values', () => {
    const dirty = [...steady, { at: new Date('x'), used: 1, max: 1 }, { at: day(5), used: Number.NaN, max: 1 }];
    const r = forecastDiskFull(dirty);
    expect(r.ok && r.value.sampleCount).toBe(11);
  });
});

describe('forecastTransferQuota', () => {
  // March 2024 has 31 days; 10 GB/day.
  const march = (d: number): TransferSample => ({ at: day(d), total: d * 10 * GB });
  const samples = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(march);

  it('projects the month linearly from the month start', () => {
    const r = forecastTransferQuota(samples, 500 * GB, { now: day(10) });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.periodStart).toEqual(new Date('2024-03-01T00:00:00Z'));
    expect(r.value.periodEnd).toEqual(new Date('2024-04-01T00:00:00Z'));
    expect(r.value.used).toBe(100 * GB);
    expect(r.value.ratePerDay).toBeCloseTo(10 * GB, 3);
    expect(r.value.projectedTotal).toBeCloseTo(310 * GB, 3);
    expect(r.value.projectedPct).toBeCloseTo(62, 6);
    expect(r.value.willExceed).toBe(false);
    expect(r.value.alreadyExceeded).toBe(false);
    expect(r.value.exceedsOn).toBeNull();
  });

  it('predicts the day the quota will be exceeded', () => {
    const r = forecastTransferQuota(samples, 250 * GB, { now: day(10) });
    expect(r.ok && r.value.willExceed).toBe(true);
    expect(r.ok && r.value.exceedsOn?.toISOString()).toBe('2024-03-26T00:00:00.000Z');
  });

  it('reports when the quota was already exceeded', () => {
    const r = forecastTransferQuota(samples, 45 * GB, { now: day(10) });
    expect(r.ok && r.value.alreadyExceeded).toBe(true);
    expect(r.ok && r.value.willExceed).toBe(true);
    expect(r.ok && r.value.exceedsOn).toEqual(day(5));
  });

  it('uses only samples in the current month and not after now', () => {
    const feb = { at: new Date('2024-02-28T00:00:00Z'), total: 999 * GB };
    const future = { at: day(20), total: 999 * GB };
    const r = forecastTransferQuota([feb, ...samples, future], 500 * GB, { now: day(10) });
    expect(r.ok && r.value.used).toBe(100 * GB);
  });

  it('defaults now to the latest sample', () => {
    const r = forecastTransferQuota(samples, 500 * GB);
    expect(r.ok && r.value.asOf).toEqual(day(10));
  });

  it('accepts an explicit billing period', () => {
    const period = { start: new Date('2024-02-15T00:00:00Z'), end: new Date('2024-03-15T00:00:00Z') };
    const r = forecastTransferQuota([{ at: new Date('2024-02-25T00:00:00Z'), total: 100 * GB }], 500 * GB, { period, now: day(0) });
    expect(r.ok && r.value.projectedTotal).toBeCloseTo(290 * GB, 3);
  });

  it('does not project zero usage over the quota', () => {
    const r = forecastTransferQuota([{ at: day(5), total: 0 }], 1, { now: day(5) });
    expect(r.ok && r.value.willExceed).toBe(false);
    expect(r.ok && r.value.projectedTotal).toBe(0);
  });

  it('explains why there is no forecast', () => {
    expect(forecastTransferQuota([], 1)).toEqual({ ok: false, error: 'no samples' });
    expect(forecastTransferQuota(samples, 0)).toEqual({ ok: false, error: 'quota must be a positive number' });
    expect(forecastTransferQuota(samples, 1, { now: new Date('2024-04-02T00:00:00Z') })).toEqual({
      ok: false,
      error: 'no samples in the period',
    });
    expect(forecastTransferQuota([{ at: new Date(T0 + 6 * 3_600_000), total: GB }], 10 * GB)).toEqual({
      ok: false,
      error: 'only 6.0 hours of the period have samples, need 24',
    });
    const bad = { start: day(5), end: day(5) };
    expect(forecastTransferQuota(samples, 1, { period: bad })).toEqual({ ok: false, error: 'invalid period' });
  });
});

describe('utcMonthOf', () => {
  it('spans the UTC calendar month, across a year end', () => {
    expect(utcMonthOf(new Date('2024-12-31T23:59:59Z'))).toEqual({
      start: new Date('2024-12-01T00:00:00Z'),
      end: new Date('2025-01-01T00:00:00Z'),
    });
  });
});
