// The event ids the Nagios-side commands put in `event_id` (the wire contract is lib/monitoring/wire.ts).
import { randomUUID, sha256 } from './fast-crypto';

/** A fresh id for a state-change event whose Nagios state-change time is unknown. */
export function newEventId(): string {
  return randomUUID();
}

/**
 * A stable id for a perfdata check result: a name-based UUID (version 8 layout) of sha256(source, line).
 * The same line from the same Nagios always gets the same id, so a file re-sent after a partial failure
 * is deduplicated by the ingester; identical lines are the same check result anyway.
 */
export function checkEventId(source: string, line: string): string {
  return nameUuid(source, line);
}

/** What names one state change of one host or service, as Nagios itself reports it. */
export interface StateChange {
  kind: 'host' | 'service';
  /** The wire `hostname`: $HOSTADDRESS$ (or $HOSTNAME$ when the address is empty). */
  hostname: string;
  service: string | null;
  state: string;
  stateType: string;
  attempt: number;
  /** $LASTSERVICESTATECHANGE$ / $LASTHOSTSTATECHANGE$: epoch seconds of the state (or hard state) change. */
  lastStateChange: number;
}

/**
 * The one id both wirings give the same state change, so the ingester stores it once whichever path
 * (event handler or perfdata file) brings it first. Nagios 4 sets last_state_change at every state
 * change (a service's also at SOFT → HARD; verified on 4.4.6), and the event handler and the perfdata
 * line of the same check see the same value; with the state type, that names a HARD change once.
 * SOFT retries keep the time and count up the attempt, so
 * a SOFT problem's attempt is part of the name; elsewhere it is not, because the handler of a recovery
 * sees the attempt before Nagios resets it (OK HARD 3) and the perfdata line after (OK HARD 1).
 */
export function stateEventId(source: string, c: StateChange): string {
  const problemRetry = c.stateType === 'SOFT' && c.state !== 'OK' && c.state !== 'UP';
  const name = JSON.stringify(['state-v1', c.kind, c.hostname, c.service ?? '', c.state, c.stateType, c.lastStateChange, problemRetry ? c.attempt : null]);
  return nameUuid(source, name);
}

function nameUuid(source: string, name: string): string {
  const h = sha256(Buffer.from(`${source}\u0000${name}`, 'utf8'));
  h[6] = (h[6]! & 0x0f) | 0x80;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.toString('hex', 0, 16);
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}
