import type { VmEvent } from '../db/queries/vm-events';
import { summarizeEvent } from '../monitoring/severity';

// The wording of a VM's events (the rows come from lib/db/queries/vm-events.ts).

/** A plain sentence for customers ("HTTP on web-01.acme.example is critical."). */
export function eventSentence(e: VmEvent, hostname: string): string {
  return summarizeEvent({ ...e, hostname }, 'summary');
}

/** The API's JSON for one event: both wordings, so a script needs no second call. */
export function eventToJson(e: VmEvent, hostname: string) {
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
    summary: eventSentence(e, hostname),
  };
}

