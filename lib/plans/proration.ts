// Proration of a plan change within a billing period: the customer pays (or is credited) the price
// difference for the days left, today included. Pure: `at` is passed in. Money is integer minor units
// (cents) throughout; floats appear only when formatting for display.
import { utcMonthOf } from '../monitoring/forecast';

const DAY_MS = 86_400_000;

export class ProrationError extends Error {
  override name = 'ProrationError';
}

/** [start, end), UTC. */
export interface BillingPeriod {
  start: Date;
  end: Date;
}

/**
 * The billing period containing `at`: from the account's billing day (1–28, so every month has it) at
 * 00:00 UTC to the same day of the next month. Day 1 is the UTC calendar month.
 */
export function billingPeriodOf(at: Date, billingDay = 1): BillingPeriod {
  if (!(at instanceof Date) || Number.isNaN(at.getTime())) throw new ProrationError('at is not a valid date');
  if (!Number.isInteger(billingDay) || billingDay < 1 || billingDay > 28) throw new ProrationError(`the billing day must be 1–28, got ${billingDay}`);
  if (billingDay === 1) return utcMonthOf(at);
  const y = at.getUTCFullYear();
  const m = at.getUTCMonth() - (at.getUTCDate() < billingDay ? 1 : 0);
  // Date.UTC carries a month of -1 or 12 into the year.
  return { start: new Date(Date.UTC(y, m, billingDay)), end: new Date(Date.UTC(y, m + 1, billingDay)) };
}

export interface Proration {
  /** Whole UTC days from the start of at's UTC day (today counts) to the period end. */
  daysLeft: number;
  /** Whole days in the period. */
  daysInPeriod: number;
  fromPriceMinor: number;
  toPriceMinor: number;
  /** to − from, per period. */
  differenceMinor: number;
  /** differenceMinor × daysLeft / daysInPeriod, rounded per ROUNDING_RULE; negative for a downgrade (a credit). */
  amountMinor: number;
  period: BillingPeriod;
  /** e.g. "14 days left of 31 × (€20.00 − €6.00) = €6.32, rounded to the nearest cent (half a cent away from zero)". */
  explanation: string;
}

export const ROUNDING_RULE =
  'The amount is rounded to the nearest cent; an exact half cent is rounded away from zero, so both a charge and a credit of half a cent become a whole cent.';

/** Integer a × b / c rounded half away from zero, exact for any safe integers (BigInt: no float error). */
function mulDivRound(a: number, b: number, c: number): number {
  const num = BigInt(a) * BigInt(b);
  const den = BigInt(c);
  const negative = num < BigInt(0);
  const abs = negative ? -num : num;
  // floor((2·|num| + den) / (2·den)) = round half up of |num| / den.
  const rounded = (BigInt(2) * abs + den) / (BigInt(2) * den);
  const result = Number(rounded);
  return negative && result !== 0 ? -result : result;
}

function checkPrice(label: string, price: number): void {
  if (!Number.isSafeInteger(price) || price < 0) {
    throw new ProrationError(`${label} must be a non-negative whole number of minor units, got ${price}`);
  }
}

function timeOf(label: string, d: Date): number {
  const t = d instanceof Date ? d.getTime() : Number.NaN;
  if (Number.isNaN(t)) throw new ProrationError(`${label} is not a valid date`);
  return t;
}

/**
 * What a change from one plan price to another costs (or credits) for the rest of the period.
 * The period must start and end at UTC midnight (day counts are whole days); defaults to at's UTC month.
 */
export function prorate(fromPriceMinor: number, toPriceMinor: number, at: Date, period?: BillingPeriod): Proration {
  checkPrice('fromPriceMinor', fromPriceMinor);
  checkPrice('toPriceMinor', toPriceMinor);
  const atMs = timeOf('at', at);
  const p = period ?? billingPeriodOf(at);
  const startMs = timeOf('period.start', p.start);
  const endMs = timeOf('period.end', p.end);
  if (endMs <= startMs) throw new ProrationError('the period ends before it starts');
  if (startMs % DAY_MS !== 0 || endMs % DAY_MS !== 0) {
    throw new ProrationError('the period must start and end at midnight UTC');
  }
  if (atMs < startMs || atMs >= endMs) {
    throw new ProrationError(`${at.toISOString()} is outside the period ${p.start.toISOString()}–${p.end.toISOString()}`);
  }

  const dayStartMs = atMs - (((atMs % DAY_MS) + DAY_MS) % DAY_MS);
  const daysLeft = (endMs - dayStartMs) / DAY_MS;
  const daysInPeriod = (endMs - startMs) / DAY_MS;
  const differenceMinor = toPriceMinor - fromPriceMinor;
  const amountMinor = mulDivRound(differenceMinor, daysLeft, daysInPeriod);
  const explanation =
    `${daysLeft} ${daysLeft === 1 ? 'day' : 'days'} left of ${daysInPeriod} × ` +
    `(${formatMinor(toPriceMinor)} − ${formatMinor(fromPriceMinor)}) = ${formatMinor(amountMinor)}, ` +
    'rounded to the nearest cent (half a cent away from zero)';

  return {
    daysLeft,
    daysInPeriod,
    fromPriceMinor,
    toPriceMinor,
    differenceMinor,
    amountMinor,
    period: { start: new Date(startMs), end: new Date(endMs) },
    explanation,
  };
}

/**
 * "€6.32", "−€1.05" (a true minus sign, as in the explanation). Display only: the division to major
 * units is the one place a float appears. The currency's own minor unit is used (JPY has none).
 */
export function formatMinor(minor: number, currency = 'EUR'): string {
  const format = new Intl.NumberFormat('en-GB', { style: 'currency', currency });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  const text = format.format(Math.abs(minor) / 10 ** digits);
  return minor < 0 ? `−${text}` : text;
}
