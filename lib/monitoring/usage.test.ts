import { describe, it, expect } from 'vitest';
import { forecastTransferQuota, utcMonthOf } from './forecast';
import { UsageError, counterTotal, cumulativeInPeriod, diskOutlook, samplesSinceLastDeletion } from './usage';
import type { CounterSample } from './usage';

const HOUR = 3_600_000;
const DAY = 86_400_000;
const GIB = 1024 ** 3;
const T0 = Date.parse('2024-12-01T00:00:00Z');
const at = (days: number) => new Date(T0 + days * DAY);

/** Deterministic noise in [-1, 1) (a small LCG), so "noisy" tests are repeatable. */
function noise(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0;
    return (s / 2 ** 32) * 2 - 1;
  };
}

/** One sample every `stepHours` for `days` days: used = f(day), on a 100 GiB disk. */
function series(days: number, stepHours: number, f: (d: number) => number, startDay = 0) {
  const n = Math.round((days * 24) / stepHours);
  return Array.from({ length: n + 1 }, (_, i) => {
    const d = startDay + (i * stepHours) / 24;
    return { at: at(d), used: f(d), max: 100 * GIB };
  });
}

describe('counterTotal', () => {
  const march = utcMonthOf(new Date('2024-03-10T00:00:00Z'));
  const c = (iso: string, value: number): CounterSample => ({ at: new Date(iso), value });

  it('sums the rises inside the period', () => {
    const r = counterTotal([c('2024-03-02T00:00:00Z', 0), c('2024-03-03T00:00:00Z', 100), c('2024-03-04T00:00:00Z', 300)], march);
    expect(r).toEqual({ total: 300, resets: 0, wraps: 0, samples: 3 });
  });

  it('adds a 32-bit wrap', () => {
    const r = counterTotal([c('2024-03-02T00:00:00Z', 2 ** 32 - 1000), c('2024-03-02T01:00:00Z', 500)], march);
    expect(r).toMatchObject({ total: 1500, wraps: 1, resets: 0 });
  });

  it('adds a 64-bit wrap', () => {
    const r = counterTotal([c('2024-03-02T00:00:00Z', 2 ** 64 - 2 ** 20), c('2024-03-02T01:00:00Z', 2 ** 20)], march);
    expect(r).toMatchObject({ total: 2 ** 21, wraps: 1, resets: 0 });
  });

  it('counts the new value after a reset (a drop from below the top quarter)', () => {
    const r = counterTotal(
      [c('2024-03-02T00:00:00Z', 1e9), c('2024-03-02T01:00:00Z', 3e9), c('2024-03-02T02:00:00Z', 5e6), c('2024-03-02T03:00:00Z', 6e6)],
      march,
    );
    // 3e9 is under ¾ of 2^32 (3.22e9), so the drop is a reboot, not a wrap.
    expect(r).toMatchObject({ total: 2e9 + 5e6 + 1e6, resets: 1, wraps: 0 });
  });

  it('splits an interval straddling the 1st in proportion', () => {
    const samples = [c('2024-02-29T23:00:00Z', 1000), c('2024-03-01T01:00:00Z', 3000), c('2024-03-01T02:00:00Z', 4000)];
    expect(counterTotal(samples, march).total).toBe(2000);
    const feb = counterTotal(samples, utcMonthOf(new Date('2024-02-10T00:00:00Z')));
    expect(feb).toMatchObject({ total: 1000, samples: 1 });
    // And at the end of the period: March gets the part of an interval into April that lies in March.
    const end = counterTotal([c('2024-03-31T22:00:00Z', 0), c('2024-04-01T02:00:00Z', 4000)], march);
    expect(end.total).toBe(2000);
  });

  it('counts a leap-day February in full (Feb 2028, 29 days)', () => {
    // 1000 bytes an hour from noon on 31 January to noon on 1 March.
    const start = Date.parse('2028-01-31T12:00:00Z');
    const samples = Array.from({ length: 30 * 24 + 1 }, (_, h) => ({ at: new Date(start + h * HOUR), value: h * 1000 }));
    const feb = utcMonthOf(new Date('2028-02-29T12:00:00Z'));
    const r = counterTotal(samples, feb);
    expect(r).toEqual({ total: 29 * 24 * 1000, resets: 0, wraps: 0, samples: 29 * 24 });
  });

  it('sorts samples out of order and skips invalid values', () => {
    const ordered = [c('2024-03-02T00:00:00Z', 0), c('2024-03-03T00:00:00Z', 100), c('2024-03-04T00:00:00Z', 300)];
    const messy = [
      ordered[2],
      c('2024-03-02T12:00:00Z', Number.NaN),
      ordered[0],
      c('2024-03-03T12:00:00Z', -5),
      c('2024-03-03T13:00:00Z', Number.POSITIVE_INFINITY),
      { at: new Date('x'), value: 7 },
      ordered[1],
    ].filter((s): s is CounterSample => s !== undefined);
    expect(counterTotal(messy, march)).toEqual(counterTotal(ordered, march));
  });

  it('is zero without two samples, and rejects an invalid period', () => {
    expect(counterTotal([], march)).toEqual({ total: 0, resets: 0, wraps: 0, samples: 0 });
    expect(counterTotal([c('2024-03-02T00:00:00Z', 5)], march)).toEqual({ total: 0, resets: 0, wraps: 0, samples: 1 });
    expect(() => counterTotal([], { start: march.end, end: march.start })).toThrow(UsageError);
  });
});

describe('cumulativeInPeriod', () => {
  it('gives the running total at each sample inside the period', () => {
    const samples: CounterSample[] = [
      { at: new Date('2024-03-01T04:00:00Z'), value: 3000 },
      { at: new Date('2024-02-29T22:00:00Z'), value: 0 },
      { at: new Date('2024-03-01T02:00:00Z'), value: 2000 },
      { at: new Date('2024-03-01T05:00:00Z'), value: 100 }, // reset
      { at: new Date('2024-04-01T05:00:00Z'), value: 999 },
    ];
    const r = cumulativeInPeriod(samples, utcMonthOf(new Date('2024-03-10T00:00:00Z')));
    expect(r).toEqual([
      { at: new Date('2024-03-01T02:00:00Z'), total: 1000 },
      { at: new Date('2024-03-01T04:00:00Z'), total: 2000 },
      { at: new Date('2024-03-01T05:00:00Z'), total: 2100 },
    ]);
  });

  it('feeds forecastTransferQuota', () => {
    // 1 GB a day through February 2028, sampled every 6 hours up to the 10th.
    const start = Date.parse('2028-02-01T00:00:00Z');
    const samples = Array.from({ length: 10 * 4 + 1 }, (_, i) => ({ at: new Date(start + i * 6 * HOUR), value: 5e12 + i * 0.25e9 }));
    const feb = utcMonthOf(new Date(start));
    const f = forecastTransferQuota(cumulativeInPeriod(samples, feb), 20e9, { now: new Date(start + 10 * DAY), period: feb });
    expect(f.ok && f.value.projectedTotal).toBeCloseTo(29e9, -3);
    expect(f.ok && f.value.willExceed).toBe(true);
  });
});

describe('samplesSinceLastDeletion', () => {
  const s = (d: number, used: number) => ({ at: at(d), used });

  it('keeps the samples from the last drop of at least 5 % of capacity', () => {
    const samples = [s(0, 50), s(1, 40), s(2, 45), s(3, 46), s(4, 42), s(5, 43)];
    // 50 → 40 is a deletion; 46 → 42 (4 %) is not.
    expect(samplesSinceLastDeletion(samples, 100)).toEqual(samples.slice(1));
    expect(samplesSinceLastDeletion(samples, 100, 0.03)).toEqual(samples.slice(4));
  });

  it('sorts first and keeps everything without a deletion or a capacity', () => {
    const samples = [s(2, 45), s(0, 50), s(1, 40)];
    expect(samplesSinceLastDeletion(samples, 100)).toEqual([s(1, 40), s(2, 45)]);
    expect(samplesSinceLastDeletion(samples, 0)).toEqual([s(0, 50), s(1, 40), s(2, 45)]);
  });
});

describe('diskOutlook', () => {
  it('gives a narrow range that contains the truth for linear growth', () => {
    // 1 GiB a day from 50 GiB, hourly for 10 days, with ±50 MiB of jitter: full on day 50.
    const jitter = noise(1);
    const samples = series(10, 1, (d) => (50 + d) * GIB + jitter() * 0.05 * GIB);
    const o = diskOutlook(samples, { now: at(10) });
    expect(o.status).toBe('filling');
    expect(o.ratePerDay ?? 0).toBeCloseTo(GIB, -7);
    const { low, high } = o.daysUntilFull ?? { low: 0, high: null };
    expect(low).toBeLessThanOrEqual(40);
    expect(high).not.toBeNull();
    expect(high ?? 0).toBeGreaterThanOrEqual(40);
    expect((high ?? 0) - low).toBeLessThan(1);
    expect(o.fullBetween?.earliest.getTime()).toBeLessThanOrEqual(at(50).getTime());
    expect(o.fullBetween?.latest?.getTime()).toBeGreaterThanOrEqual(at(50).getTime());
    expect(o.message).toBe('At the current rate this disk is full in 39–41 days (between 19 and 20 January).');
    expect(o.sampleCount).toBe(241);
    expect(o.projectedUsed(30)).toBeCloseTo(o.used + 30 * (o.ratePerDay ?? 0), 0);
  });

  it('states an exact line as "about"', () => {
    const o = diskOutlook(series(10, 6, (d) => (50 + d) * GIB), { now: at(10) });
    expect(o.daysUntilFull?.low).toBeCloseTo(40, 6);
    expect(o.daysUntilFull?.high).toBeCloseTo(40, 6);
    expect(o.message).toBe('At the current rate this disk is full in about 40 days (on 20 January).');
  });

  it('says hours when the disk fills within two days', () => {
    // 97 GiB at 2 GiB a day: full in 36 hours.
    const o = diskOutlook(series(5, 6, (d) => (87 + 2 * d) * GIB), { now: at(5) });
    expect(o.daysUntilFull?.low).toBeCloseTo(1.5, 6);
    expect(o.message).toBe('At the current rate this disk is full in about 36 hours (on 7 December).');
  });

  it('measures from now, and projects from the latest level', () => {
    const o = diskOutlook(series(10, 6, (d) => (50 + d) * GIB), { now: at(12) });
    expect(o.daysUntilFull?.low).toBeCloseTo(38, 6);
    expect(o.projectedUsed(0)).toBeCloseTo(62 * GIB, -3);
    expect(o.asOf).toEqual(at(10));
  });

  it('fits only the samples after a deletion in the middle', () => {
    // 1 GiB a day to 57 GiB, then 30 GiB deleted, then 2 GiB a day for 5 days.
    const before = series(7, 6, (d) => (50 + d) * GIB);
    const after = series(5, 6, (d) => (30 + 2 * (d - 7.25)) * GIB, 7.25);
    const o = diskOutlook([...before, ...after], { now: at(12.25) });
    expect(o.status).toBe('filling');
    expect(o.sampleCount).toBe(after.length);
    expect(o.ratePerDay ?? 0).toBeCloseTo(2 * GIB, -3);
    expect(o.daysUntilFull?.low).toBeCloseTo(30, 6); // 60 GiB left at 2 GiB a day
  });

  it('reports a flat or shrinking disk as not growing', () => {
    const jitter = noise(7);
    const flat = series(10, 1, () => 70 * GIB + jitter() * 0.01 * GIB);
    const shrinking = series(10, 6, (d) => (70 - 0.1 * d) * GIB);
    for (const samples of [flat, shrinking]) {
      const o = diskOutlook(samples, { now: at(10) });
      expect(o.status).toBe('not-growing');
      expect(o.message).toBe('Not growing.');
      expect(o.daysUntilFull).toBeNull();
      expect(o.fullBetween).toBeNull();
      expect(o.projectedUsed(90)).toBeGreaterThanOrEqual(o.used);
    }
    expect(diskOutlook(shrinking, { now: at(10) }).projectedUsed(90)).toBe(69 * GIB);
  });

  it('gives a wider range for noisy growth, still containing the truth', () => {
    // 1 GiB a day with ±4 GiB of noise, every 6 hours for 14 days: full on day 50 (36 days after day 14).
    const jitter = noise(42);
    const truth = (d: number) => (50 + d) * GIB;
    const samples = series(14, 6, (d) => truth(d) + jitter() * 4 * GIB);
    const o = diskOutlook(samples, { now: at(14) });
    const quiet = diskOutlook(series(14, 6, truth), { now: at(14) });
    expect(o.status).toBe('filling');
    // Days from the latest actual level at the true rate.
    const trueDays = (100 * GIB - o.used) / GIB;
    const { low, high } = o.daysUntilFull ?? { low: Infinity, high: null };
    expect(low).toBeLessThanOrEqual(trueDays);
    expect(high ?? 0).toBeGreaterThanOrEqual(trueDays);
    const width = (high ?? 0) - low;
    expect(width).toBeGreaterThan(2);
    expect(width).toBeGreaterThan(((quiet.daysUntilFull?.high ?? 0) - (quiet.daysUntilFull?.low ?? 0)) * 10);
  });

  it('says "or later" when the growth is too uneven to bound', () => {
    // A small upward trend buried in large swings.
    const used = [50, 54, 50.5, 55, 51, 54.5, 51.5]; // no drop reaches the 5 % of a deletion
    const samples = used.map((u, i) => ({ at: at(i * 0.5), used: u * GIB, max: 100 * GIB }));
    const o = diskOutlook(samples, { now: at(3) });
    expect(o.status).toBe('filling');
    expect(o.ratePerDay ?? 0).toBeGreaterThan(0);
    expect(o.daysUntilFull?.high).toBeNull();
    expect(o.fullBetween?.latest).toBeNull();
    expect(o.message).toMatch(/^At the current rate this disk could be full in \d+ days or later \(from \d+ \w+\), but its growth is too uneven to say when\.$/);
  });

  it('needs enough points over a long enough span', () => {
    const few = series(3, 18, (d) => (50 + d) * GIB); // 5 samples
    expect(few).toHaveLength(5);
    const o = diskOutlook(few, { now: at(3) });
    expect(o).toMatchObject({ status: 'not-enough-data', ratePerDay: null, daysUntilFull: null, sampleCount: 5 });
    expect(o.message).toBe('Not enough data yet: we need at least 6 measurements.');
    expect(o.projectedUsed(90)).toBe(53 * GIB);

    const short = series(20 / 24, 1, (d) => (50 + d) * GIB);
    expect(diskOutlook(short, { now: at(1) }).message).toBe('Not enough data yet: we need at least a day of measurements.');
    expect(diskOutlook(short, { now: at(1), minSpanHours: 12 }).status).toBe('filling');
    expect(diskOutlook([], { now: at(1) })).toMatchObject({ status: 'not-enough-data', asOf: null, sampleCount: 0, used: 0 });
  });

  it('says so when the data after a deletion is too short', () => {
    const samples = [...series(5, 6, (d) => (50 + d) * GIB), { at: at(5.1), used: 20 * GIB, max: 100 * GIB }];
    expect(diskOutlook(samples, { now: at(6) }).message).toBe('Not enough data since the last big deletion: we need at least 6 measurements over a day.');
  });

  it('reports a full disk', () => {
    const samples = [...series(3, 6, (d) => (95 + d) * GIB).slice(0, -1), { at: at(3), used: 100 * GIB, max: 100 * GIB }];
    const o = diskOutlook(samples, { now: at(3) });
    expect(o).toMatchObject({ status: 'full', usedPct: 100, daysUntilFull: { low: 0, high: 0 }, message: 'This disk is full.' });
    expect(o.fullBetween).toEqual({ earliest: at(3), latest: at(3) });
  });

  it('sorts samples out of order and ignores samples after now', () => {
    const samples = series(10, 6, (d) => (50 + d) * GIB);
    const future = { at: at(11), used: 99 * GIB, max: 100 * GIB };
    const a = diskOutlook(samples, { now: at(10) });
    const b = diskOutlook([future, ...samples].reverse(), { now: at(10) });
    expect({ ...b, projectedUsed: null }).toEqual({ ...a, projectedUsed: null });
  });

  it('takes capacity from the option, else the latest max', () => {
    const samples = series(10, 6, (d) => (50 + d) * GIB);
    expect(diskOutlook(samples, { now: at(10), capacity: 80 * GIB }).daysUntilFull?.low).toBeCloseTo(20, 6);
    const resized = [...samples.slice(0, -1), { at: at(10), used: 60 * GIB, max: 200 * GIB }];
    expect(diskOutlook(resized, { now: at(10) }).capacity).toBe(200 * GIB);
    const noMax = samples.map(({ at: t, used }) => ({ at: t, used }));
    expect(diskOutlook(noMax, { now: at(10) })).toMatchObject({ status: 'not-enough-data', message: 'Not enough data yet: we don’t know the size of this disk.' });
  });

  it('rejects an invalid now', () => {
    expect(() => diskOutlook([], { now: new Date('x') })).toThrow(UsageError);
  });
});
