// The viewer's time zone on the server: pages read it from a cookie the browser sets (see
// app/_components/time-zone-sync.tsx), so that form defaults, date inputs and chart axes rendered on the
// server show the viewer's local time. Pure functions over Intl; no dependencies.

export const DEFAULT_TIME_ZONE = 'UTC';
export const TIME_ZONE_COOKIE = 'porthole_tz';

const formatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** An IANA zone name the runtime knows, else UTC. Never throws. */
export function resolveTimeZone(raw: string | null | undefined): string {
  if (!raw || raw.length > 64 || !/^[A-Za-z0-9_+\-/]+$/.test(raw)) return DEFAULT_TIME_ZONE;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: raw }).resolvedOptions().timeZone;
  } catch {
    return DEFAULT_TIME_ZONE;
  }
}

export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The wall-clock time in `timeZone` at an instant. */
export function localParts(at: Date | number, timeZone: string): LocalParts {
  const t = typeof at === 'number' ? at : at.getTime();
  return utcParts(t + zoneOffsetMs(t, timeZone));
}

function utcParts(t: number): LocalParts {
  const d = new Date(t);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds() };
}

/** What Intl says the wall clock reads: the one source of truth, and slow (a page writes hundreds of times). */
function intlParts(t: number, timeZone: string): LocalParts {
  const values: Record<string, number> = {};
  for (const p of partsFormatter(timeZone).formatToParts(t)) {
    if (p.type !== 'literal') values[p.type] = Number(p.value);
  }
  return {
    year: values.year ?? 1970,
    month: values.month ?? 1,
    day: values.day ?? 1,
    hour: values.hour ?? 0,
    minute: values.minute ?? 0,
    second: values.second ?? 0,
  };
}

function intlOffsetMs(at: number, timeZone: string): number {
  const p = intlParts(at, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - (at - (((at % 1000) + 1000) % 1000));
}

// A zone's offset changes only at its transitions, which fall on quarter hours of UTC: an offset that is
// the same at both ends of a quarter hour holds throughout it, so it is asked of Intl once per quarter.
const QUARTER_HOUR_MS = 900_000;
const MAX_CACHED_QUARTERS = 100_000; // per zone: about three years of distinct quarter hours
const offsets = new Map<string, Map<number, number>>();

/** How far `timeZone` is ahead of UTC at an instant, in ms (e.g. +7,200,000 for CEST). */
export function zoneOffsetMs(at: number, timeZone: string): number {
  if (timeZone === 'UTC' || timeZone === 'Etc/UTC') return 0;
  const quarter = Math.floor(at / QUARTER_HOUR_MS);
  let zone = offsets.get(timeZone);
  const known = zone?.get(quarter);
  if (known !== undefined) return known;
  const start = quarter * QUARTER_HOUR_MS;
  const offset = intlOffsetMs(start, timeZone);
  // A transition inside the quarter (none is known): this instant's own offset, not kept.
  if (intlOffsetMs(start + QUARTER_HOUR_MS - 1, timeZone) !== offset) return intlOffsetMs(at, timeZone);
  if (!zone || zone.size >= MAX_CACHED_QUARTERS) offsets.set(timeZone, (zone = new Map()));
  zone.set(quarter, offset);
  return offset;
}

/**
 * The instant a wall-clock time in `timeZone` names. A time skipped by a DST change moves forward by the
 * change; a repeated time takes its first occurrence (as browsers do).
 */
export function localToInstant(p: LocalParts, timeZone: string): Date {
  const guess = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  const first = guess - zoneOffsetMs(guess, timeZone);
  const second = guess - zoneOffsetMs(first, timeZone);
  if (first === second) {
    // Repeated hour: an hour earlier may name the same wall-clock time too.
    const earlier = first - 3_600_000;
    return new Date(guess - zoneOffsetMs(earlier, timeZone) === earlier ? earlier : first);
  }
  return new Date(Math.max(first, second));
}

const ZONED = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?(Z|[+-]\d{2}:?\d{2})$/i;
const LOCAL = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/;

function validParts(y: number, mo: number, d: number, h: number, mi: number, s: number): boolean {
  if (y < 2000 || y > 2099 || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return false;
  return d <= new Date(Date.UTC(y, mo, 0)).getUTCDate();
}

/**
 * An instant from user input: ISO 8601 with a zone (`2024-05-01T12:00:00Z`, `...+02:00`) is absolute;
 * a date or date-time without one (`2024-05-01`, `2024-05-01T12:00`, what `<input type="datetime-local">`
 * sends) is read in `timeZone`. Null when it is not such a time or lies outside 2000..2099.
 */
export function parseInstant(text: string, timeZone: string): Date | null {
  const s = text.trim();
  const z = ZONED.exec(s);
  if (z) {
    const [y, mo, d, h, mi, sec] = [z[1], z[2], z[3], z[4], z[5], z[6] ?? '0'].map(Number) as [number, number, number, number, number, number];
    if (!validParts(y, mo, d, h, mi, sec)) return null;
    const ms = Number((z[7] ?? '0').padEnd(3, '0'));
    const zone = z[8]!.toUpperCase();
    let offset = 0;
    if (zone !== 'Z') {
      const sign = zone.startsWith('-') ? -1 : 1;
      const digits = zone.slice(1).replace(':', '');
      const oh = Number(digits.slice(0, 2));
      const om = Number(digits.slice(2));
      if (oh > 14 || om > 59) return null;
      offset = sign * (oh * 60 + om) * 60_000;
    }
    return new Date(Date.UTC(y, mo - 1, d, h, mi, sec, ms) - offset);
  }
  const l = LOCAL.exec(s);
  if (!l) return null;
  const [y, mo, d, h, mi, sec] = [l[1], l[2], l[3], l[4] ?? '0', l[5] ?? '0', l[6] ?? '0'].map(Number) as [number, number, number, number, number, number];
  if (!validParts(y, mo, d, h, mi, sec)) return null;
  return localToInstant({ year: y, month: mo, day: d, hour: h, minute: mi, second: sec }, timeZone);
}

const two = (n: number) => String(n).padStart(2, '0');

/** `YYYY-MM-DDTHH:mm` in `timeZone`: the value of a datetime-local input. */
export function toLocalInputValue(at: Date, timeZone: string): string {
  const p = localParts(at, timeZone);
  return `${p.year}-${two(p.month)}-${two(p.day)}T${two(p.hour)}:${two(p.minute)}`;
}

/** A short label in `timeZone` for chart axes and text alternatives. */
export function formatInZone(at: Date | number, timeZone: string, style: 'datetime' | 'date' | 'time' | 'day-time'): string {
  const p = localParts(at, timeZone);
  const date = `${p.year}-${two(p.month)}-${two(p.day)}`;
  const time = `${two(p.hour)}:${two(p.minute)}`;
  if (style === 'date') return date;
  if (style === 'time') return time;
  if (style === 'day-time') return `${two(p.month)}-${two(p.day)} ${time}`;
  return `${date} ${time}`;
}

/** "UTC", "Europe/Berlin (UTC+02:00)": names the zone that times are shown in. */
export function describeTimeZone(timeZone: string, at: Date = new Date()): string {
  if (timeZone === 'UTC') return 'UTC';
  const offset = Math.round(zoneOffsetMs(at.getTime(), timeZone) / 60_000);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${timeZone} (UTC${sign}${two(Math.floor(abs / 60))}:${two(abs % 60)})`;
}
