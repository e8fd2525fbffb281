// The stated availability (SLA) figure: one percentage per host or service and period, with a definition
// staff choose (/admin/settings) and every page shows next to the figure. Pure: no database, no framework.
//
// Definition:
// - Down: CRITICAL for services, DOWN for hosts; with `unknownIsDown` also UNKNOWN and UNREACHABLE.
// - WARNING is degraded, not down: it counts as available unless staff switch `warningIsUp` off.
// - UNKNOWN / UNREACHABLE that are not down say nothing either way: left out of the figure, like no data.
// - Time before monitoring first saw a service is "not monitored" and time without data is "no data":
//   neither is counted, so a service added yesterday is not 3 % available over a month.
// - slaPct = available time / counted time * 100, where counted = available + down; null when nothing
//   was counted (no data at all).
import { z } from 'zod';
import type { Availability } from './availability';
import type { MonitoringState } from './wire';

export interface SlaDefinition {
  /** UNKNOWN (services) and UNREACHABLE (hosts) count as down; otherwise they are left out. */
  unknownIsDown: boolean;
  /** WARNING counts as available (degraded, not down); otherwise as down. */
  warningIsUp: boolean;
}

export const DEFAULT_SLA_DEFINITION: SlaDefinition = { unknownIsDown: false, warningIsUp: true };

/** The settings-table key (lib/db/queries/sla-settings.ts) and the shape stored there. */
export const SLA_SETTING_KEY = 'sla.definition';
export const slaDefinitionSchema = z.object({ unknownIsDown: z.boolean(), warningIsUp: z.boolean() }).strict();

/** A stored value, or the default when it is missing or does not validate (reported as `problem`). */
export function slaDefinitionFromStored(value: unknown): { definition: SlaDefinition; problem: string | null } {
  if (value === undefined || value === null) return { definition: DEFAULT_SLA_DEFINITION, problem: null };
  const parsed = slaDefinitionSchema.safeParse(value);
  if (!parsed.success) return { definition: DEFAULT_SLA_DEFINITION, problem: 'The stored availability definition is invalid; the default is used.' };
  return { definition: parsed.data, problem: null };
}

/** The staff form: `down` = "critical" | "critical-unknown", `warning` = "up" | "down". */
export function parseSlaForm(input: { down?: unknown; warning?: unknown }): { ok: true; value: SlaDefinition } | { ok: false; error: string } {
  const down = input.down === 'critical' ? false : input.down === 'critical-unknown' ? true : null;
  const warning = input.warning === 'up' ? true : input.warning === 'down' ? false : null;
  if (down === null) return { ok: false, error: 'Choose which states count as down.' };
  if (warning === null) return { ok: false, error: 'Choose whether a warning counts as available.' };
  return { ok: true, value: { unknownIsDown: down, warningIsUp: warning } };
}

export type SlaClass = 'up' | 'down' | 'left-out';

/** How one state counts towards the figure. */
export function slaClass(state: MonitoringState, d: SlaDefinition): SlaClass {
  switch (state) {
    case 'OK':
    case 'UP':
      return 'up';
    case 'WARNING':
      return d.warningIsUp ? 'up' : 'down';
    case 'CRITICAL':
    case 'DOWN':
      return 'down';
    case 'UNKNOWN':
    case 'UNREACHABLE':
      return d.unknownIsDown ? 'down' : 'left-out';
  }
}

export type SubjectKind = 'host' | 'service';
export type BreakdownKey = MonitoringState | 'NO_DATA' | 'NOT_MONITORED';

export interface BreakdownEntry {
  key: BreakdownKey;
  /** Plain words for customers: "OK", "Warning", "No data", "Not monitored yet". */
  label: string;
  ms: number;
  /** Share of the evaluated period, 0..100; null for an empty period. */
  pctOfWindow: number | null;
  counts: SlaClass;
}

export interface SlaBreakdown {
  windowMs: number;
  /** Every state of the subject's kind plus no data and not monitored, in a fixed order, zeros included. */
  entries: BreakdownEntry[];
  availableMs: number;
  downMs: number;
  /** Not counted: not monitored, no data, and states the definition leaves out. */
  leftOutMs: number;
  countedMs: number;
  /** availableMs / countedMs * 100; null when nothing was counted. */
  slaPct: number | null;
}

const SERVICE_ORDER: readonly MonitoringState[] = ['OK', 'WARNING', 'CRITICAL', 'UNKNOWN'];
const HOST_ORDER: readonly MonitoringState[] = ['UP', 'DOWN', 'UNREACHABLE'];

export const STATE_WORDS: Record<BreakdownKey, string> = {
  OK: 'OK',
  UP: 'Up',
  WARNING: 'Warning',
  CRITICAL: 'Critical',
  UNKNOWN: 'Unknown',
  DOWN: 'Down',
  UNREACHABLE: 'Unreachable',
  NO_DATA: 'No data',
  NOT_MONITORED: 'Not monitored yet',
};

const pct = (part: number, whole: number) => (whole > 0 ? (part / whole) * 100 : null);

/** Pure: the time in each state and the SLA figure of one host or service over one period. */
export function slaBreakdown(a: Availability, kind: SubjectKind, d: SlaDefinition): SlaBreakdown {
  const order = kind === 'host' ? HOST_ORDER : SERVICE_ORDER;
  // A state of the other family (a mislabelled event) is still shown and counted, after the usual ones.
  const extra = (Object.keys(a.states) as MonitoringState[]).filter((s) => !order.includes(s));
  const entries: BreakdownEntry[] = [...order, ...extra].map((state) => {
    const ms = a.states[state]?.ms ?? 0;
    return { key: state, label: STATE_WORDS[state], ms, pctOfWindow: pct(ms, a.windowMs), counts: slaClass(state, d) };
  });
  const notMonitored = Math.min(a.notMonitoredMs ?? 0, a.noDataMs);
  entries.push({ key: 'NO_DATA', label: STATE_WORDS.NO_DATA, ms: a.noDataMs - notMonitored, pctOfWindow: pct(a.noDataMs - notMonitored, a.windowMs), counts: 'left-out' });
  entries.push({ key: 'NOT_MONITORED', label: STATE_WORDS.NOT_MONITORED, ms: notMonitored, pctOfWindow: pct(notMonitored, a.windowMs), counts: 'left-out' });
  let availableMs = 0;
  let downMs = 0;
  let leftOutMs = 0;
  for (const e of entries) {
    if (e.counts === 'up') availableMs += e.ms;
    else if (e.counts === 'down') downMs += e.ms;
    else leftOutMs += e.ms;
  }
  const countedMs = availableMs + downMs;
  return { windowMs: a.windowMs, entries, availableMs, downMs, leftOutMs, countedMs, slaPct: pct(availableMs, countedMs) };
}

/** The definition in plain words, for the page beside the figure and for the API. */
export function describeSlaDefinition(d: SlaDefinition): string {
  const down = d.unknownIsDown ? 'Critical, Unknown, Down and Unreachable count as down' : 'Critical and Down count as down';
  const warning = d.warningIsUp ? 'a Warning counts as available (degraded, not down)' : 'a Warning counts as down';
  const leftOut = d.unknownIsDown
    ? 'Time before monitoring first saw a service (not monitored yet) and time without data are not counted.'
    : 'Unknown and Unreachable (monitoring could not tell), time before monitoring first saw a service (not monitored yet) and time without data are not counted.';
  return `Available = time up as a share of the time counted. ${down}; ${warning}. ${leftOut}`;
}
