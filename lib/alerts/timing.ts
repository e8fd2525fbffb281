import type { Rule, Weekday } from './rule';
import { WEEKDAYS } from './rule';

// Times in the rule's own time zone, with Intl only: quiet windows (across midnight and DST) and digests.

export interface ZonedTime {
  year: number;
  month: number;
  day: number;
  weekday: Weekday;
  /** Minutes since local midnight. */
  minutes: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, hourCycle: 'h23', weekday: 'short', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' });
    formatters.set(timeZone, f);
  }
  return f;
}

export function zonedTime(at: Date, timeZone: string): ZonedTime {
  const parts = Object.fromEntries(formatter(timeZone).formatToParts(at).map((p) => [p.type, p.value]));
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    weekday: parts.weekday!.toLowerCase().slice(0, 3) as Weekday,
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

/** The instant a local date and time in `timeZone` names (a time skipped by DST lands just after the gap). */
export function zonedToUtc(year: number, month: number, day: number, minutes: number, timeZone: string): Date {
  const wanted = Date.UTC(year, month - 1, day, 0, minutes);
  let guess = wanted;
  for (let i = 0; i < 3; i++) {
    const z = zonedTime(new Date(guess), timeZone);
    const seen = Date.UTC(z.year, z.month - 1, z.day, 0, z.minutes);
    if (seen === wanted) return new Date(guess);
    guess += wanted - seen;
  }
  return new Date(guess);
}

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
const previousDay = (d: Weekday): Weekday => WEEKDAYS[(WEEKDAYS.indexOf(d) + 6) % 7]!;

/** Local calendar arithmetic that normalises month ends. */
function addDays(z: Pick<ZonedTime, 'year' | 'month' | 'day'>, days: number) {
  const d = new Date(Date.UTC(z.year, z.month - 1, z.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

type Quiet = NonNullable<Rule['quiet']>;

function windowEnd(quiet: Quiet, timeZone: string, at: Date): Date | null {
  const z = zonedTime(at, timeZone);
  for (const w of quiet.windows) {
    const from = toMinutes(w.from);
    const to = toMinutes(w.to);
    if (from < to) {
      if (w.days.includes(z.weekday) && z.minutes >= from && z.minutes < to) return zonedToUtc(z.year, z.month, z.day, to, timeZone);
    } else {
      // Across midnight (or a whole day when from = to): it began on a chosen day.
      if (w.days.includes(z.weekday) && z.minutes >= from) {
        const next = addDays(z, 1);
        return zonedToUtc(next.year, next.month, next.day, to, timeZone);
      }
      if (w.days.includes(previousDay(z.weekday)) && z.minutes < to) return zonedToUtc(z.year, z.month, z.day, to, timeZone);
    }
  }
  return null;
}

/** Inside a quiet window at `at`, and when the quiet ends (windows that touch count as one). */
export function quietWindowAt(quiet: Quiet, timeZone: string, at: Date): { inside: false } | { inside: true; endsAt: Date } {
  let end = windowEnd(quiet, timeZone, at);
  if (!end) return { inside: false };
  for (let i = 0; i < 14; i++) {
    const next = windowEnd(quiet, timeZone, end);
    if (!next || next.getTime() <= end.getTime()) break;
    end = next;
  }
  return { inside: true, endsAt: end };
}

/** The next digest time after `after`: the next full local hour, or the next local HH:MM. */
export function nextDigestAt(digest: NonNullable<Rule['digest']>, timeZone: string, after: Date): Date {
  const z = zonedTime(after, timeZone);
  if (digest.every === 'hourly') {
    const hour = Math.floor(z.minutes / 60) + 1;
    const at = zonedToUtc(z.year, z.month, z.day, hour * 60, timeZone);
    return at.getTime() > after.getTime() ? at : new Date(after.getTime() + 3_600_000);
  }
  const minutes = toMinutes(digest.at);
  const today = zonedToUtc(z.year, z.month, z.day, minutes, timeZone);
  if (today.getTime() > after.getTime()) return today;
  const next = addDays(z, 1);
  return zonedToUtc(next.year, next.month, next.day, minutes, timeZone);
}
