import { parseInstant } from '../vms/time-zone';
import { fail, ok, type Result } from '../result';

// A customer's maintenance window: while it covers a VM, no alert about that VM is sent (the delivery log
// says "maintenance window" instead). Pure: the API and the VM page both check input here.

/** Longer windows are almost always a forgotten "off switch"; a rule's enabled flag is for that. */
export const MAX_WINDOW_DAYS = 31;
/** How far ahead a window may be planned. */
export const MAX_LEAD_DAYS = 366;
const DAY = 86_400_000;

export interface MaintenanceInput {
  startsAt: Date;
  endsAt: Date;
  reason: string | null;
}

export interface RawMaintenance {
  /** ISO 8601 with a zone, or a local date-time read in `timeZone`; empty or absent means now. */
  startsAt?: unknown;
  endsAt?: unknown;
  /** Instead of `endsAt`: minutes from the start. */
  minutes?: unknown;
  reason?: unknown;
}

/**
 * Checks a window a customer asks for. Every problem is listed, so a form can show them all at once.
 * A start in the past (a form left open) becomes now; an end must lie ahead.
 */
export function parseMaintenance(raw: RawMaintenance, timeZone: string, now: Date): Result<MaintenanceInput, string[]> {
  const problems: string[] = [];
  const instant = (value: unknown, field: string): Date | null | undefined => {
    if (value === undefined || value === null || value === '') return undefined;
    const at = typeof value === 'string' ? parseInstant(value, timeZone) : null;
    if (!at) problems.push(`${field}: “${String(value).slice(0, 40)}” is not a date and time (for example 2026-12-03T22:00).`);
    return at;
  };
  const start = instant(raw.startsAt, 'startsAt');
  let end = instant(raw.endsAt, 'endsAt');
  const minutesGiven = raw.minutes !== undefined && raw.minutes !== null && raw.minutes !== '';
  if (minutesGiven) {
    const minutes = typeof raw.minutes === 'string' ? Number(raw.minutes) : raw.minutes;
    if (end !== undefined) problems.push('Give either endsAt or minutes, not both.');
    else if (typeof minutes !== 'number' || !Number.isInteger(minutes) || minutes < 1 || minutes > MAX_WINDOW_DAYS * 1440)
      problems.push(`minutes: a whole number from 1 to ${MAX_WINDOW_DAYS * 1440}.`);
    else end = new Date(Math.max((start ?? now).getTime(), now.getTime()) + minutes * 60_000);
  }
  if (end === undefined && !minutesGiven) problems.push('Say when the window ends (endsAt, or minutes).');
  let reason: string | null = null;
  if (raw.reason !== undefined && raw.reason !== null) {
    if (typeof raw.reason !== 'string') problems.push('reason: text, at most 255 characters.');
    else {
      reason = raw.reason.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim() || null;
      if (reason && [...reason].length > 255) problems.push('reason: at most 255 characters.');
    }
  }
  if (problems.length > 0 || start === null || !end) return fail(problems);
  const startsAt = start && start > now ? start : now;
  if (end <= now) return fail(['The window would already be over: choose an end in the future.']);
  if (end <= startsAt) return fail(['The window must end after it starts.']);
  if (end.getTime() - startsAt.getTime() > MAX_WINDOW_DAYS * DAY) return fail([`A window is at most ${MAX_WINDOW_DAYS} days long; to stop a rule for longer, turn the rule off.`]);
  if (startsAt.getTime() - now.getTime() > MAX_LEAD_DAYS * DAY) return fail([`A window can be planned at most ${MAX_LEAD_DAYS} days ahead.`]);
  return ok({ startsAt, endsAt: end, reason });
}

export type WindowPhase = 'upcoming' | 'active' | 'over';

export const windowPhase = (w: { startsAt: Date; endsAt: Date }, now: Date): WindowPhase =>
  w.endsAt <= now ? 'over' : w.startsAt > now ? 'upcoming' : 'active';
