import type { VmEvent } from '../db/queries/vm-events';
import type { ServiceStateDetail } from '../db/queries/vms';
import type { Availability } from '../monitoring/availability';
import { formatDuration } from '../monitoring/duration';
import { type BreakdownEntry, type SlaDefinition, slaBreakdown } from '../monitoring/sla';
import type { MonitoringState } from '../monitoring/wire';
import type { SubjectAvailability } from './availability';
import { formatSharePercent, formatUpPercent } from './format';
import { eventSentence } from './history';
import type { AvailabilityCell, AvailabilityRow, StateRow, TimelineRow } from './live-rows';
import { formatDateTime } from './time-format';

export type { AvailabilityCell, AvailabilityRow, LiveDelta, StateRow, TimelineRow } from './live-rows';

// What the VM page's rows show, worded on the server, as compact arrays (their shapes: live-rows.ts): the page hands them to its
// client components (React's inline data then holds one short array per row, not an element tree with
// repeated keys), and the live stream sends the same arrays for what changed (lib/vms/live-hub.ts).
// Pure: the time zone, detail level and SLA definition are the viewer's, passed in.

export interface ViewOptions {
  timeZone: string;
  detail: 'summary' | 'technical';
  hostname: string;
}

export function timelineRow(e: VmEvent, previous: MonitoringState | undefined, o: ViewOptions): TimelineRow {
  const at = e.occurredAt.toISOString();
  return [
    e.id,
    at,
    formatDateTime(at, o.timeZone),
    e.service,
    e.state,
    e.stateType,
    o.detail === 'summary' ? eventSentence(e, o.hostname, previous) : null,
    o.detail === 'technical' ? [e.attempt, e.maxAttempts, e.output, e.longOutput, e.perfdata] : null,
  ];
}

export function stateRow(s: ServiceStateDetail, timeZone: string): StateRow {
  const since = s.since.toISOString();
  const last = s.lastCheckAt.toISOString();
  return [s.service, s.state, s.stateType, s.attempt, s.maxAttempts, since, formatDateTime(since, timeZone), last, formatDateTime(last, timeZone), s.output];
}

/** How a state counted, in words; nothing for plain up and down time. */
function countsNote(e: BreakdownEntry): string {
  if (e.counts === 'left-out') return ', not counted';
  if (e.key === 'WARNING') return e.counts === 'up' ? ', degraded, counted as available' : ', counted as down';
  if ((e.key === 'UNKNOWN' || e.key === 'UNREACHABLE') && e.counts === 'down') return ', counted as down';
  return '';
}

export function availabilityCell(a: Availability, kind: 'host' | 'service', sla: SlaDefinition): AvailabilityCell {
  const b = slaBreakdown(a, kind, sla);
  // Only what happened: a zero line per state on every row would bury the one that matters.
  const entries = b.entries
    .filter((e) => e.ms > 0)
    .map((e): [string, string, 0 | 1] => [e.key, `${e.label} ${formatDuration(e.ms / 1000)} (${formatSharePercent(e.pctOfWindow)})${countsNote(e)}`, e.counts === 'left-out' ? 1 : 0]);
  return [b.slaPct, a.availabilityPctOfWindow ?? null, b.slaPct === null ? null : formatUpPercent(b.slaPct), entries];
}

export function availabilityRow(r: SubjectAvailability, sla: SlaDefinition): AvailabilityRow {
  return [r.service, r.windows.map((a) => availabilityCell(a, r.service === null ? 'host' : 'service', sla))];
}

