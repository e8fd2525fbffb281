/** Calendar days as 'YYYY-MM-DD' strings: readable in golden files and comparable as text. */
export type IsoDay = string;

/** What callers may pass as "today": a Date (its UTC day counts) or an ISO day string. */
export type DayInput = Date | string;

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

/** UTC midnight of an ISO day in ms, or undefined when the text is not a real calendar day. */
export function isoDayToUtcMs(text: string): number | undefined {
  const m = ISO_DAY.exec(text);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  // Date.UTC rolls 2025-02-30 over to March; a round trip catches it.
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return undefined;
  return ms;
}

export function isIsoDay(text: string): boolean {
  return isoDayToUtcMs(text) !== undefined;
}

export function toIsoDay(input: DayInput): IsoDay {
  if (input instanceof Date) {
    if (Number.isNaN(input.getTime())) throw new Error('Invalid date: got an Invalid Date object');
    return input.toISOString().slice(0, 10);
  }
  if (!isIsoDay(input)) throw new Error(`Invalid date "${input}": expected YYYY-MM-DD`);
  return input;
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: IsoDay, to: IsoDay): number {
  const a = isoDayToUtcMs(from);
  const b = isoDayToUtcMs(to);
  if (a === undefined || b === undefined) throw new Error(`Invalid date in daysBetween("${from}", "${to}")`);
  return Math.round((b - a) / MS_PER_DAY);
}
