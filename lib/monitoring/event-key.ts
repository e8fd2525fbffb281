// The idempotency key the ingester stores under a unique index, so a redelivered message
// (broker redelivery, spool re-send, dead-letter re-play) is stored once.
import { createHash } from 'node:crypto';
import type { MonitoringEvent } from './wire';

/** The event fields the key is derived from (a stored row can be keyed again with these). */
export type EventKeyInput = Pick<
  MonitoringEvent,
  'hostname' | 'service' | 'state' | 'stateType' | 'stateDurationSec' | 'attempt' | 'maxAttempts' | 'occurredAt' | 'eventId' | 'source'
>;

// Bump only with a data migration: every stored key depends on it.
const KEY_VERSION = 'porthole-event-key-v1';

/**
 * The canonical string hashed into the key. A JSON array keeps field boundaries unambiguous
 * (no separator can be forged inside a hostname) and tells null from "".
 *
 * - With `eventId`: `source` + `eventId` (the publisher promises event_id is unique per event, and
 *   `source` scopes it to one Nagios). Content is ignored, so a re-send with extra fields is still one event.
 * - Without it (seed format): the seed's eight fields after normalization (trimmed names, upper-case
 *   states, whole-second time) plus `source` when sent. A redelivered seed message maps to the same key.
 *   Trade-off: two genuinely distinct seed-format events with identical fields in the same second
 *   collapse into one. They are indistinguishable on the wire, so this is accepted.
 */
export function eventKeyMaterial(event: EventKeyInput): string {
  if (event.eventId !== undefined) {
    return JSON.stringify([KEY_VERSION, 'id', event.source ?? null, event.eventId]);
  }
  return JSON.stringify([
    KEY_VERSION,
    'content',
    event.source ?? null,
    Math.floor(event.occurredAt.getTime() / 1000),
    event.hostname,
    event.service,
    event.state,
    event.stateType,
    event.stateDurationSec,
    event.attempt,
    event.maxAttempts,
  ]);
}

/** Stable idempotency key: 64 lower-case hex characters (sha256 of `eventKeyMaterial`). */
export function eventKey(event: EventKeyInput): string {
  return createHash('sha256').update(eventKeyMaterial(event), 'utf8').digest('hex');
}
