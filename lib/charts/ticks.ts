import { formatInZone, localParts, localToInstant } from '../vms/time-zone';

// Axis ticks: round numbers for values, local-time boundaries (hours, midnights) for time, so a chart
// drawn on the server reads in the viewer's time zone.

/** About `count` round values covering [min, max]: steps of 1, 2, 2.5 or 5 times a power of ten. */
export function niceTicks(min: number, max: number, count = 5): { min: number; max: number; step: number; ticks: number[] } {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return { min: 0, max: 1, step: 1, ticks: [0, 1] };
  if (max < min) [min, max] = [max, min];
  if (max === min) {
    const pad = min === 0 ? 1 : Math.abs(min) * 0.1;
    min -= pad;
    max += pad;
  }
  const raw = (max - min) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * power >= raw) ?? 10) * power;
  const lo = Math.floor(min / step + 1e-9) * step;
  const hi = Math.ceil(max / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let v = lo; v <= hi + step / 2; v += step) ticks.push(Number(v.toPrecision(12)));
  return { min: lo, max: hi, step, ticks };
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// Candidate spacings: hours, then whole local days.
const STEPS = [1, 2, 3, 6, 12].map((h) => h * HOUR).concat([1, 2, 5, 7, 14].map((d) => d * DAY));

export interface TimeTick {
  at: number;
  label: string;
}

/**
 * At most `maxTicks` ticks on local-time boundaries in `timeZone` between `from` and `to` (ms). Hour
 * steps fall on hours divisible by the step, day steps on local midnights.
 */
export function timeTicks(from: number, to: number, timeZone: string, maxTicks = 7): TimeTick[] {
  if (!(to > from)) return [];
  const span = to - from;
  const step = STEPS.find((s) => span / s <= maxTicks) ?? Math.ceil(span / maxTicks / DAY) * DAY;
  const daily = step >= DAY;
  const stepHours = daily ? 0 : step / HOUR;
  const stepDays = daily ? step / DAY : 0;

  // Walk wall-clock time in the zone (DST-safe): start at the first boundary at or after `from`.
  const p = localParts(from, timeZone);
  let wall = Date.UTC(p.year, p.month - 1, p.day, daily ? 0 : Math.floor(p.hour / stepHours) * stepHours);
  const ticks: TimeTick[] = [];
  for (let guard = 0; guard < 400 && ticks.length <= maxTicks; guard++) {
    const d = new Date(wall);
    const parts = { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: 0, second: 0 };
    const at = localToInstant(parts, timeZone).getTime();
    if (at > to) break;
    const dayOk = !daily || stepDays === 1 || Math.round(wall / DAY) % stepDays === 0;
    if (at >= from && dayOk && (ticks.length === 0 || at > ticks[ticks.length - 1]!.at)) {
      const midnight = parts.hour === 0;
      // Days as MM-DD; hours as HH:mm, except that midnight names the new day.
      const label = daily || midnight ? formatInZone(at, timeZone, 'date').slice(5) : formatInZone(at, timeZone, 'time');
      ticks.push({ at, label });
    }
    wall += daily ? DAY : stepHours * HOUR;
  }
  return ticks.slice(0, maxTicks);
}
