import { parseEventBody } from '../monitoring/event';
import { eventKey } from '../monitoring/event-key';
import { parsePerfdata } from '../monitoring/perfdata';
import { TIME_T_MIN } from '../monitoring/wire';
import { type Result, fail, ok } from '../result';
import type { EventToStore } from '../db/queries/event-store';

/** A message as the broker delivered it. */
export interface IncomingMessage {
  body: string;
  headers: Record<string, string>;
}

/** INGEST_MAX_CLOCK_SKEW_SECONDS' default: how far an event's time may lie after its receipt. */
export const DEFAULT_MAX_CLOCK_SKEW_SECONDS = 300;

export interface ClockCheck {
  /** When the message reached the broker (see `brokerReceivedAtMs`), ms since the epoch. */
  receivedAtMs: number;
  maxClockSkewSec: number;
}

/**
 * When the broker received the message: ActiveMQ stamps every message it accepts with a STOMP
 * `timestamp` header (ms since the epoch; verified on 5.17). A publisher can set that header
 * itself, so it is never trusted past our own clock; a missing, zero (JMS: "not stamped") or
 * implausible one means "now".
 */
export function brokerReceivedAtMs(headers: Record<string, string>, nowMs: number): number {
  const stamped = Number(headers.timestamp);
  if (!Number.isSafeInteger(stamped) || stamped < TIME_T_MIN * 1000) return nowMs;
  return Math.min(stamped, nowMs);
}

/**
 * Pure: why an event dated `occurredAtMs` cannot be believed, or null. An event from after its own
 * receipt (beyond the allowed skew) comes from a clock that runs ahead; stored, it would stay the
 * newest state of its service (late events never overwrite newer ones) and top the history until
 * that time came. Earlier events are fine at any age: a backlog or a spool flush is old by nature.
 */
export function clockSkewReason(occurredAtMs: number, { receivedAtMs, maxClockSkewSec }: ClockCheck): string | null {
  const aheadSec = Math.floor((occurredAtMs - receivedAtMs) / 1000);
  if (aheadSec <= maxClockSkewSec) return null;
  return (
    `time_t ${new Date(occurredAtMs).toISOString()} is ${aheadSec} s after the broker received the message ` +
    `(${new Date(receivedAtMs).toISOString()}), more than the allowed clock skew of ${maxClockSkewSec} s: the sender's clock is ahead`
  );
}

/**
 * Pure: turns one message into an event to store, or the reason it is a dead letter.
 * Perfdata check results (our perfdata command marks them `"check": true`) keep their samples and
 * refresh the current state but add no history row: history is state changes. An event dated after
 * its receipt (beyond the clock skew) is a dead letter too, so it never becomes a current state.
 */
export function classifyMessage(message: IncomingMessage, clock: ClockCheck): Result<EventToStore> {
  const parsed = parseEventBody(message.body);
  if (!parsed.ok) return parsed;
  const event = parsed.value;
  const skew = clockSkewReason(event.occurredAt.getTime(), clock);
  if (skew !== null) return fail(skew);
  const samples = event.perfdata ? parsePerfdata(event.perfdata).samples : [];
  // Every field spelled out, absent ones as null: one object shape for every event, which the batch
  // writer reads field by field (spreading the parsed event made this step twice as slow).
  return ok({
    key: eventKey(event),
    check: event.check === true,
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
    extra: event.extra,
    samples, // the parsed samples as they are (the batch writer reads the fields it stores)
  });
}
