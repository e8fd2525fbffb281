import { describe, expect, it } from 'vitest';
import { diskOutlook } from '../monitoring/usage';
import { diskProjection, transferOutlook } from './vm-forecast';

const GB = 1e9;
const HOUR = 3_600_000;
const NOW = new Date('2026-12-15T12:00:00Z');

/** Hourly counter samples from `from` to NOW at `perDay` bytes a day, starting at `start`. */
const counter = (from: Date, perDay: number, start = 0) => {
  const samples = [];
  for (let t = from.getTime(); t <= NOW.getTime(); t += HOUR) samples.push({ at: new Date(t), value: start + ((t - from.getTime()) / 86_400_000) * perDay });
  return samples;
};

describe('transferOutlook', () => {
  it('counts in and out together and projects to the month end against the quota', () => {
    const month = new Date('2026-12-01T00:00:00Z');
    const o = transferOutlook([{ samples: counter(month, 40 * GB) }, { samples: counter(month, 10 * GB, 5e12) }], 1000 * GB, NOW)!;
    expect(o.status).toBe('will-run-out');
    expect(o.used / GB).toBeCloseTo(50 * 14.5, 0);
    expect(o.projected! / GB).toBeCloseTo(50 * 31, -1);
    expect(o.runsOutOn!.toISOString().slice(0, 10)).toBe('2026-12-21');
    expect(o.message).toMatch(/runs out around 21 December, before the month ends/);
  });

  it('within the quota; a reboot resetting the counter is counted, not lost', () => {
    const month = new Date('2026-12-01T00:00:00Z');
    const before = counter(month, 10 * GB, 3e12).filter((s) => s.at < new Date('2026-12-08T00:00:00Z'));
    const after = counter(new Date('2026-12-08T00:00:00Z'), 10 * GB);
    const o = transferOutlook([{ samples: [...before, ...after] }], 1000 * GB, NOW)!;
    expect(o).toMatchObject({ status: 'within', resets: 1 });
    expect(o.used / GB).toBeCloseTo(145, -1);
  });

  it('says so when there is too little of the month, and nothing without a traffic check', () => {
    const early = new Date('2026-12-01T06:00:00Z');
    expect(transferOutlook([{ samples: counter(new Date('2026-12-01T00:00:00Z'), 10 * GB).filter((s) => s.at <= early) }], 1000 * GB, early)!.status).toBe('not-enough-data');
    expect(transferOutlook([], 1000 * GB, NOW)).toBeNull();
  });

  it('already over the quota', () => {
    const o = transferOutlook([{ samples: counter(new Date('2026-12-01T00:00:00Z'), 100 * GB) }], 1000 * GB, NOW)!;
    expect(o.status).toBe('exceeded');
  });
});

describe('diskProjection', () => {
  const samples = Array.from({ length: 7 * 24 + 1 }, (_, i) => ({ at: new Date(NOW.getTime() - (7 * 24 - i) * HOUR), used: 20e9 + (i / 24) * 0.2e9, max: 25e9 }));

  it('draws a third of the chart range ahead, or to full if that comes first, never above the capacity', () => {
    const o = diskOutlook(samples, { now: NOW });
    const week = diskProjection(o, 7 * 86_400_000)!;
    expect(week.points[0]).toEqual({ at: NOW.getTime(), value: samples.at(-1)!.used });
    expect(week.points[1]!.at - NOW.getTime()).toBeCloseTo((7 * 86_400_000) / 3, -3);
    const month = diskProjection(o, 90 * 86_400_000)!;
    expect(month.points[1]!.value).toBeCloseTo(25e9, -6);
    expect(month.summary).toMatch(/full in/);
  });

  it('nothing for a disk that is not filling', () => {
    const flat = samples.map((s) => ({ ...s, used: 20e9 }));
    expect(diskProjection(diskOutlook(flat, { now: NOW }), 7 * 86_400_000)).toBeNull();
  });
});
