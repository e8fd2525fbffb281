import { eventKey } from '../monitoring/event-key';
import { parseEventBody } from '../monitoring/event';
import { parsePerfdata } from '../monitoring/perfdata';
import type { EventToStore } from './store';

/** A message as the broker delivered it. */
export interface IncomingMessage {
  body: string;
  headers: Record<string, string>;
}

export type Classified = { ok: true; event: EventToStore } | { ok: false; reason: string };

/**
 * Pure: turns one message into an event to store, or the reason it is a dead letter.
 * Perfdata check results (our perfdata command marks them `"check": true`) keep their samples and
 * refresh the current state but add no history row: history is state changes.
 */
export function classifyMessage(message: IncomingMessage): Classified {
  const parsed = parseEventBody(message.body);
  if (!parsed.ok) return parsed;
  const { event } = parsed;
  const { check, ...extra } = event.extra;
  if (check !== undefined && typeof check !== 'boolean') return { ok: false, reason: 'check: expected true or false' };
  const samples = event.perfdata ? parsePerfdata(event.perfdata).samples : [];
  return {
    ok: true,
    event: {
      key: eventKey(event),
      check: check === true,
      kind: event.kind,
      hostname: event.hostname,
      hostName: event.hostName ?? null,
      address: event.address ?? null,
      service: event.service,
      state: event.state,
      stateType: event.stateType,
      stateDurationSec: event.stateDurationSec,
      attempt: event.attempt,
      maxAttempts: event.maxAttempts,
      occurredAt: event.occurredAt,
      output: event.output ?? null,
      longOutput: event.longOutput ?? null,
      perfdata: event.perfdata ?? null,
      eventId: event.eventId ?? null,
      source: event.source ?? null,
      extra,
      samples: samples.map((s) => ({ label: s.label, value: s.value, unit: s.unit, warn: s.warn, crit: s.crit, min: s.min, max: s.max })),
    },
  };
}
