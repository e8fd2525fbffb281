// The event ids the Nagios-side commands put in `event_id` (the wire contract is lib/monitoring/wire.ts).
import { createHash, randomUUID } from 'node:crypto';

/** A fresh id for a state-change event. */
export function newEventId(): string {
  return randomUUID();
}

/**
 * A stable id for a perfdata check result: a name-based UUID (version 8 layout) of sha256(source, line).
 * The same line from the same Nagios always gets the same id, so a file re-sent after a partial failure
 * is deduplicated by the ingester; identical lines are the same check result anyway.
 */
export function checkEventId(source: string, line: string): string {
  const h = createHash('sha256').update(source).update('\u0000').update(line).digest();
  h[6] = (h[6]! & 0x0f) | 0x80;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.toString('hex', 0, 16);
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}
