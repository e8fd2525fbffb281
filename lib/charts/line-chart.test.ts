import { describe, expect, it } from 'vitest';
import { formatNumber, formatQuantity, unitScale } from './format';
import { lineChart } from './line-chart';
import { niceTicks, timeTicks } from './ticks';

const H = 3_600_000;
const T0 = Date.parse('2024-07-01T00:00:00Z');
const GiB = 1024 ** 3;

describe('format', () => {
  it('scales bytes in 1024 steps, seconds below one, counters with SI prefixes', () => {
    expect(formatQuantity(42.5 * GiB, 'B')).toBe('42.5 GiB');
    expect(formatQuantity(512, 'B')).toBe('512 B');
    expect(formatQuantity(0.12, 's')).toBe('120 ms');
    expect(formatQuantity(2.5, 's')).toBe('2.5 s');
    expect(formatQuantity(1_234_567, 'c')).toBe('1.23 M');
    expect(formatQuantity(0.87, '')).toBe('0.87');
    expect(formatQuantity(95, '%')).toBe('95%');
    expect(formatQuantity(null, 'B')).toBe('no value');
    expect(unitScale(3 * GiB, 'B')).toEqual({ factor: GiB, suffix: 'GiB' });
  });
  it('keeps three significant digits without trailing zeros', () => {
    expect(formatNumber(1234.5)).toBe('1235');
    expect(formatNumber(1.5)).toBe('1.5');
    expect(formatNumber(0.001234)).toBe('0.00123');
    expect(formatNumber(-2)).toBe('-2');
  });
});

describe('niceTicks', () => {
  it('covers the range with round steps', () => {
    expect(niceTicks(0, 73, 4)).toEqual({ min: 0, max: 80, step: 20, ticks: [0, 20, 40, 60, 80] });
    expect(niceTicks(0.2, 1.7, 4).ticks).toEqual([0, 0.5, 1, 1.5, 2]);
    expect(niceTicks(5, 5).ticks.length).toBeGreaterThan(1);
  });
});

describe('timeTicks', () => {
  it('puts a 24 h window on local hours, naming midnight by its date', () => {
    const ticks = timeTicks(T0 - 23 * H, T0 + H, 'UTC');
    expect(ticks.map((t) => t.label)).toEqual(['06:00', '12:00', '18:00', '07-01']);
  });
  it('uses the viewer’s zone: Berlin midnight is 22:00 UTC in summer', () => {
    const ticks = timeTicks(T0 - 3 * 24 * H, T0 + 4 * 24 * H, 'Europe/Berlin');
    // The window starts at 02:00 Berlin time on 06-28; the first local midnight is the next one.
    expect(ticks[0]).toEqual({ at: Date.parse('2024-06-28T22:00:00Z'), label: '06-29' });
    expect(ticks.every((t) => new Date(t.at).getUTCHours() === 22)).toBe(true);
    expect(ticks.length).toBeLessThanOrEqual(7);
  });
  it('returns nothing for an empty window', () => {
    expect(timeTicks(T0, T0, 'UTC')).toEqual([]);
  });
});

describe('lineChart', () => {
  const hourly = (values: Array<number | null>) => values.map((value, i) => ({ at: T0 + i * H, value }));

  it('draws thresholds as labelled lines inside the value range, even above the data', () => {
    const chart = lineChart({
      title: 'Disk /',
      unit: 'B',
      from: T0,
      to: T0 + 5 * H,
      points: hourly([10, 11, 12, 13, 14, 15].map((g) => g * GiB)),
      thresholds: [
        { kind: 'warning', value: 64 * GiB },
        { kind: 'critical', value: 72 * GiB },
      ],
      floor: 0,
      ceiling: 80 * GiB,
      timeZone: 'UTC',
    });
    expect(chart.empty).toBe(false);
    expect(chart.lines).toHaveLength(1);
    expect(chart.lines[0]).toMatch(/^M62,\d+(\.\d)? (L[\d.]+,[\d.]+ ?){5}$/);
    expect(chart.thresholds.map((t) => t.label)).toEqual(['warning 64 GiB', 'critical 72 GiB']);
    const top = chart.plot.y;
    const bottom = chart.plot.y + chart.plot.height;
    for (const t of chart.thresholds) {
      expect(t.y).toBeGreaterThanOrEqual(top);
      expect(t.y).toBeLessThanOrEqual(bottom);
    }
    expect(chart.thresholds[1]!.y).toBeLessThan(chart.thresholds[0]!.y); // critical is higher up
    expect(chart.yTicks[0]!.label).toBe('0 GiB'); // one unit along the whole axis
    expect(chart.yTicks.at(-1)!.label).toBe('80 GiB');
    expect(chart.description).toContain('lowest 10 GiB, highest 15 GiB');
    expect(chart.description).toContain('Warning level 64 GiB: never reached.');
    expect(chart.table).toHaveLength(6);
    expect(chart.table[0]).toEqual({ period: '2024-07-01 00:00', low: '10 GiB', high: '10 GiB', last: '10 GiB' });
  });

  it('breaks the line at missing values and long silences instead of bridging them', () => {
    const points = [
      ...hourly([1, 2, null, 3, 4]),
      { at: T0 + 20 * H, value: 5 },
      { at: T0 + 21 * H, value: 6 },
    ];
    const chart = lineChart({ title: 'Load', unit: '', from: T0, to: T0 + 21 * H, points, timeZone: 'UTC' });
    expect(chart.lines).toHaveLength(3);
    expect(chart.dots).toHaveLength(0);
    const lone = lineChart({ title: 'Load', unit: '', from: T0, to: T0 + 4 * H, points: hourly([1, null, 2, null, 3]), timeZone: 'UTC' });
    expect(lone.lines).toHaveLength(0);
    expect(lone.dots).toHaveLength(3);
  });

  it('sums long series up in a short data table', () => {
    const chart = lineChart({ title: 'Load', unit: '', from: T0, to: T0 + 47 * H, points: hourly(Array.from({ length: 48 }, (_, i) => i % 7)), timeZone: 'Europe/Berlin' });
    expect(chart.table).toHaveLength(12);
    expect(chart.table[0]).toEqual({ period: '2024-07-01 02:00 – 05:00', low: '0', high: '3', last: '3' });
    expect(chart.table[5]!.period).toBe('2024-07-01 22:00 – 2024-07-02 01:00'); // across midnight: both dates
  });

  it('reports a window without samples as such', () => {
    const chart = lineChart({ title: 'Load', unit: '', from: T0, to: T0 + 24 * H, points: [], thresholds: [{ kind: 'warning', value: 4 }], timeZone: 'UTC' });
    expect(chart.empty).toBe(true);
    expect(chart.lines).toEqual([]);
    expect(chart.description).toBe('No samples between 2024-07-01 00:00 and 2024-07-02 00:00.');
  });

  it('says when a threshold was reached, and draws a band for bucketed data', () => {
    const points = [0, 1, 2, 3].map((i) => ({ at: T0 + i * H, value: 3 + i, low: 2 + i, high: 4 + i }));
    const chart = lineChart({ title: 'Load', unit: '', from: T0, to: T0 + 3 * H, points, thresholds: [{ kind: 'warning', value: 5 }, { kind: 'critical', value: 8 }], timeZone: 'UTC' });
    expect(chart.description).toContain('Warning level 5: reached in 2 of 4 points.');
    expect(chart.description).toContain('Critical level 8: never reached.');
    expect(chart.band).toMatch(/ Z$/);
  });
});
