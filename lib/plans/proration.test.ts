import { describe, it, expect } from 'vitest';
import { ProrationError, ROUNDING_RULE, billingPeriodOf, formatMinor, prorate } from './proration';

const at = (iso: string) => new Date(iso);

describe('billingPeriodOf', () => {
  it('is the UTC calendar month, across a year end', () => {
    expect(billingPeriodOf(at('2024-12-31T23:59:59Z'))).toEqual({ start: at('2024-12-01T00:00:00Z'), end: at('2025-01-01T00:00:00Z') });
  });

  it('rejects an invalid date', () => {
    expect(() => billingPeriodOf(new Date('x'))).toThrow(ProrationError);
  });
});

describe('prorate', () => {
  // €6.00 → €20.00: €14.00 a month more.
  it('charges the full difference on the first day of the month', () => {
    const p = prorate(600, 2000, at('2024-03-01T10:00:00Z'));
    expect(p).toMatchObject({ daysLeft: 31, daysInPeriod: 31, differenceMinor: 1400, amountMinor: 1400 });
    expect(p.period).toEqual({ start: at('2024-03-01T00:00:00Z'), end: at('2024-04-01T00:00:00Z') });
  });

  it('counts today on the last day of the month', () => {
    const p = prorate(600, 2000, at('2024-03-31T23:59:59.999Z'));
    expect(p.daysLeft).toBe(1);
    expect(p.amountMinor).toBe(45); // 1400 / 31 = 45.16
  });

  it('prorates mid-month and explains the sum', () => {
    const p = prorate(600, 2000, at('2024-03-18T08:00:00Z'));
    expect(p.daysLeft).toBe(14);
    expect(p.amountMinor).toBe(632); // 1400 × 14 / 31 = 632.26
    expect(p.explanation).toBe('14 days left of 31 × (€20.00 − €6.00) = €6.32, rounded to the nearest cent (half a cent away from zero)');
  });

  it('says "1 day" in the singular', () => {
    expect(prorate(600, 2000, at('2024-03-31T12:00:00Z')).explanation).toMatch(/^1 day left of 31 × /);
  });

  it('handles February in a leap year and not', () => {
    expect(prorate(0, 2900, at('2028-02-29T12:00:00Z'))).toMatchObject({ daysLeft: 1, daysInPeriod: 29, amountMinor: 100 });
    expect(prorate(0, 2900, at('2028-02-15T00:00:00Z'))).toMatchObject({ daysLeft: 15, daysInPeriod: 29, amountMinor: 1500 });
    expect(prorate(0, 2800, at('2027-02-28T23:00:00Z'))).toMatchObject({ daysLeft: 1, daysInPeriod: 28, amountMinor: 100 });
  });

  it('handles 30- and 31-day months', () => {
    expect(prorate(600, 2000, at('2024-04-16T00:00:00Z'))).toMatchObject({ daysLeft: 15, daysInPeriod: 30, amountMinor: 700 });
    expect(prorate(600, 2000, at('2024-05-16T00:00:00Z'))).toMatchObject({ daysLeft: 16, daysInPeriod: 31, amountMinor: 723 });
  });

  it('is zero for the same price', () => {
    const p = prorate(1200, 1200, at('2024-03-18T00:00:00Z'));
    expect(p.amountMinor).toBe(0);
    expect(Object.is(p.amountMinor, -0)).toBe(false);
    expect(p.explanation).toContain('= €0.00');
  });

  it('credits a downgrade as a negative amount', () => {
    const p = prorate(2000, 600, at('2024-03-18T08:00:00Z'));
    expect(p.differenceMinor).toBe(-1400);
    expect(p.amountMinor).toBe(-632);
    expect(p.explanation).toBe('14 days left of 31 × (€6.00 − €20.00) = −€6.32, rounded to the nearest cent (half a cent away from zero)');
  });

  it('rounds an exact half cent away from zero, both ways', () => {
    // 15 of 30 days × 101 = 50.5 exactly.
    expect(prorate(0, 101, at('2024-04-16T00:00:00Z')).amountMinor).toBe(51);
    expect(prorate(101, 0, at('2024-04-16T00:00:00Z')).amountMinor).toBe(-51);
    // 14 of 28 days × 3 = 1.5; and just below a half stays down: 14 of 29 × 1 = 0.48.
    expect(prorate(0, 3, at('2027-02-15T00:00:00Z')).amountMinor).toBe(2);
    expect(prorate(3, 0, at('2027-02-15T00:00:00Z')).amountMinor).toBe(-2);
    expect(prorate(0, 1, at('2028-02-16T00:00:00Z')).amountMinor).toBe(0);
    expect(ROUNDING_RULE).toMatch(/nearest cent.*half cent.*away from zero/);
  });

  it('computes large prices exactly', () => {
    // 99 999 999 × 30 / 31 = 96 774 192.58
    expect(prorate(0, 999_999_99, at('2024-03-02T00:00:00Z')).amountMinor).toBe(96_774_193);
    // 2^53 − 1 × 29 / 31 = 8 426 089 625 402 863.03; in floats it comes out as …864.
    expect(prorate(0, Number.MAX_SAFE_INTEGER, at('2024-03-03T00:00:00Z')).amountMinor).toBe(8_426_089_625_402_863);
    expect(prorate(Number.MAX_SAFE_INTEGER, 0, at('2024-03-03T00:00:00Z')).amountMinor).toBe(-8_426_089_625_402_863);
  });

  it('accepts an explicit period', () => {
    const period = { start: at('2024-02-15T00:00:00Z'), end: at('2024-03-15T00:00:00Z') };
    expect(prorate(0, 2900, at('2024-03-01T09:00:00Z'), period)).toMatchObject({ daysLeft: 14, daysInPeriod: 29, amountMinor: 1400 });
  });

  it('throws a ProrationError for bad prices, dates and periods', () => {
    const mid = at('2024-03-18T00:00:00Z');
    for (const [from, to] of [[1.5, 100], [100, -1], [Number.NaN, 0], [0, Number.POSITIVE_INFINITY], [0, 2 ** 53]]) {
      expect(() => prorate(from ?? 0, to ?? 0, mid)).toThrow(ProrationError);
    }
    const march = { start: at('2024-03-01T00:00:00Z'), end: at('2024-04-01T00:00:00Z') };
    expect(() => prorate(0, 1, at('2024-04-01T00:00:00Z'), march)).toThrow(/outside the period/);
    expect(() => prorate(0, 1, at('2024-02-29T23:59:59Z'), march)).toThrow(/outside the period/);
    expect(() => prorate(0, 1, new Date('x'))).toThrow(ProrationError);
    expect(() => prorate(0, 1, mid, { start: at('2024-03-01T06:00:00Z'), end: march.end })).toThrow(/midnight/);
    expect(() => prorate(0, 1, mid, { start: march.end, end: march.start })).toThrow(ProrationError);
    expect(new ProrationError('x').name).toBe('ProrationError');
  });
});

describe('formatMinor', () => {
  it('formats minor units in the currency, with a true minus sign', () => {
    expect(formatMinor(632)).toBe('€6.32');
    expect(formatMinor(-105)).toBe('−€1.05');
    expect(formatMinor(0)).toBe('€0.00');
    expect(formatMinor(123_456_750, 'GBP')).toBe('£1,234,567.50');
    expect(formatMinor(500, 'JPY')).toBe('JP¥500');
  });
});

describe('billingPeriodOf with an account billing day', () => {
  it('runs from the billing day to the same day of the next month, across years', () => {
    expect(billingPeriodOf(at('2026-03-15T00:00:00Z'), 15)).toEqual({ start: at('2026-03-15T00:00:00Z'), end: at('2026-04-15T00:00:00Z') });
    expect(billingPeriodOf(at('2026-03-14T23:59:59.999Z'), 15)).toEqual({ start: at('2026-02-15T00:00:00Z'), end: at('2026-03-15T00:00:00Z') });
    expect(billingPeriodOf(at('2026-01-03T12:00:00Z'), 28)).toEqual({ start: at('2025-12-28T00:00:00Z'), end: at('2026-01-28T00:00:00Z') });
    expect(billingPeriodOf(at('2026-12-30T12:00:00Z'), 28)).toEqual({ start: at('2026-12-28T00:00:00Z'), end: at('2027-01-28T00:00:00Z') });
    // February has the 28th: a period never skips a month.
    expect(billingPeriodOf(at('2027-02-28T00:00:00Z'), 28)).toEqual({ start: at('2027-02-28T00:00:00Z'), end: at('2027-03-28T00:00:00Z') });
  });

  it('prorates over that period', () => {
    const p = prorate(600, 2000, at('2026-04-10T09:00:00Z'), billingPeriodOf(at('2026-04-10T09:00:00Z'), 15));
    expect([p.daysLeft, p.daysInPeriod]).toEqual([5, 31]);
  });

  it('refuses a day that not every month has', () => {
    for (const day of [0, 29, 31, 1.5, Number.NaN]) expect(() => billingPeriodOf(at('2026-04-10T00:00:00Z'), day)).toThrow(ProrationError);
  });
});
