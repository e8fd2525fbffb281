import type { VmEvent } from '../db/queries/vm-events';
import { summarizeEvent } from '../monitoring/severity';
import type { MonitoringState } from '../monitoring/wire';

// The wording of a VM's events (the rows come from lib/db/queries/vm-events.ts).

/** A plain sentence for customers ("HTTP on web-01.acme.example is critical."); see summarizeEvent for `previousState`. */
export function eventSentence(e: VmEvent, hostname: string, previousState?: MonitoringState | null): string {
  return summarizeEvent({ ...e, hostname }, 'summary', previousState === undefined ? {} : { previousState });
}

/**
 * For a list of events newest first: each one's previous state of the same host or service, from the
 * next older event in the list; undefined for the oldest of each (its past is not in the list).
 */
export function previousStates(events: ReadonlyArray<Pick<VmEvent, 'service' | 'state'>>): Array<MonitoringState | undefined> {
  const out: Array<MonitoringState | undefined> = new Array(events.length).fill(undefined);
  const newer = new Map<string | null, number>();
  for (let i = events.length - 1; i >= 0; i--) {
    // Walking oldest to newest: the event seen last for this subject is the one just before i.
    const e = events[i]!;
    const before = newer.get(e.service);
    if (before !== undefined) out[i] = events[before]!.state;
    newer.set(e.service, i);
  }
  return out;
}

/** The API's JSON for one event: both wordings, so a script needs no second call. */
export function eventToJson(e: VmEvent, hostname: string, previousState?: MonitoringState | null) {
  return {
    id: e.id,
    occurredAt: e.occurredAt.toISOString(),
    kind: e.kind,
    service: e.service,
    state: e.state,
    stateType: e.stateType,
    attempt: e.attempt,
    maxAttempts: e.maxAttempts,
    stateDurationSec: e.stateDurationSec,
    output: e.output,
    longOutput: e.longOutput,
    perfdata: e.perfdata,
    summary: eventSentence(e, hostname, previousState),
  };
}

