// The one JSON builder for every message the Nagios-side commands publish (DESIGN.md, "Wire contract").
//
// State-change event (notify-service-by-stomp / notify-host-by-stomp), keys in this order:
//   {"time_t":1266427384,"state":"WARNING","state_type":"HARD","state_time":86492,"attempt":6,
//    "hostname":"service-host.example.com","max_attempts":6,"service":"SERVICE NAME",      <- the seed's 8
//    "kind":"service","output":"…","perfdata":"…","event_id":"<uuid>","source":"<nagios name>"}
//   Host events: "service":null and "kind":"host". `host_name` / `long_output` are added when Nagios
//   exports environment macros (NAGIOS_HOSTNAME, NAGIOS_LONGSERVICEOUTPUT / NAGIOS_LONGHOSTOUTPUT).
//
// Check result (porthole-perfdata, one per line of Nagios' service_perfdata_file): the same shape with
//   "kind":"service", "host_name" ($HOSTNAME$), "address" ($HOSTADDRESS$), and "check":true, which tells
//   the ingester this is a periodic check result (samples and current state) and not a state change
//   (no history row). `hostname` is $HOSTADDRESS$ as in the seed (or $HOSTNAME$ when the address is empty).
//   Its event_id is derived from the line (see `checkEventId`), so a re-sent file is stored once.
//
// No zod here: this module is bundled into executables that Nagios starts for every event.
import { createHash, randomUUID } from 'node:crypto';

export const SERVICE_STATES = ['OK', 'WARNING', 'CRITICAL', 'UNKNOWN'] as const;
export const HOST_STATES = ['UP', 'DOWN', 'UNREACHABLE'] as const;
export const STATE_TYPES = ['SOFT', 'HARD'] as const;

export type EventKind = 'host' | 'service';

/**
 * Limits the ingester enforces (lib/monitoring/event.ts EVENT_LIMITS; a unit test keeps them equal).
 * Identifiers beyond them are argument errors; free text beyond them is truncated rather than lost.
 */
export const WIRE_LIMITS = {
  hostnameChars: 255,
  serviceChars: 255,
  sourceChars: 128,
  outputBytes: 8 * 1024,
  longOutputBytes: 65_535,
  perfdataBytes: 8 * 1024,
} as const;

export interface EventFields {
  kind: EventKind;
  /** Epoch seconds. */
  timeT: number;
  state: string;
  stateType: string;
  /** Seconds in the current state (wire `state_time`). */
  stateTime: number;
  attempt: number;
  maxAttempts: number;
  /** What Nagios passed as the host (the seed passes $HOSTADDRESS$). */
  hostname: string;
  /** null for host events. */
  service: string | null;
  hostName?: string;
  address?: string;
  output: string;
  longOutput?: string;
  perfdata: string;
  /** A perfdata check result rather than a state change. */
  check?: boolean;
  eventId: string;
  source: string;
}

/** The message body: JSON with the seed's fields first, in the seed's order. */
export function buildEventBody(e: EventFields): string {
  const wire: Record<string, unknown> = {
    time_t: e.timeT,
    state: e.state,
    state_type: e.stateType,
    state_time: e.stateTime,
    attempt: e.attempt,
    hostname: e.hostname,
    max_attempts: e.maxAttempts,
    service: e.kind === 'host' ? null : e.service,
    kind: e.kind,
  };
  if (e.hostName) wire.host_name = e.hostName;
  if (e.address) wire.address = e.address;
  wire.output = truncateUtf8(e.output, WIRE_LIMITS.outputBytes);
  if (e.longOutput) wire.long_output = truncateUtf8(e.longOutput, WIRE_LIMITS.longOutputBytes);
  wire.perfdata = truncatePerfdata(e.perfdata, WIRE_LIMITS.perfdataBytes);
  if (e.check) wire.check = true;
  wire.event_id = e.eventId;
  wire.source = e.source;
  return JSON.stringify(wire);
}

export function nowTimeT(): number {
  return Math.floor(Date.now() / 1000);
}

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

/** Cuts `s` to at most `maxBytes` UTF-8 bytes without splitting a character. */
export function truncateUtf8(s: string, maxBytes: number): string {
  if (s.length * 3 <= maxBytes || Buffer.byteLength(s, 'utf8') <= maxBytes) return s;
  const buf = Buffer.from(s, 'utf8');
  let end = maxBytes;
  while (end > 0 && (buf[end]! & 0xc0) === 0x80) end--; // back off to a character boundary
  return buf.toString('utf8', 0, end);
}

/** Like `truncateUtf8`, but drops whole perfdata items (space separated) rather than cutting one in half. */
export function truncatePerfdata(s: string, maxBytes: number): string {
  const cut = truncateUtf8(s, maxBytes);
  if (cut === s) return s;
  const space = cut.lastIndexOf(' ');
  return space > 0 ? cut.slice(0, space) : '';
}

const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

/** Why `value` is not a usable single-line identifier (host, service, source), or null when it is. */
export function identifierProblem(value: string, maxChars: number): string | null {
  if (value.trim() === '') return 'is empty';
  if (CONTROL_CHARS.test(value)) return 'contains control characters';
  if ([...value].length > maxChars) return `is longer than ${maxChars} characters`;
  return null;
}
