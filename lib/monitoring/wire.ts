// The wire contract for one monitoring event (DESIGN.md, "Wire contract: one monitoring event"), written
// once: the field names in body order, the states, the limits, the destination rule and the body
// builder. No zod and no dependency: the Nagios-side commands bundle this module (they are forked for
// every event); lib/monitoring/event.ts builds the ingester's schema on it; the views word events with
// the types below.
//
// A body, keys in this order:
//   {"time_t":1266427384,"state":"WARNING","state_type":"HARD","state_time":86492,"attempt":6,
//    "hostname":"service-host.example.com","max_attempts":6,"service":"SERVICE NAME",      <- the seed's 8
//    "kind":"service","host_name":"web1","address":"10.0.0.1","output":"…","long_output":"…","perfdata":"…",
//    "check":true,"event_id":"<uuid>","source":"<nagios name>"}
// The seed's publisher sends its eight fields alone; the others are the extensions our CLI adds. Host
// events have "service":null and "kind":"host". "check":true marks a periodic check result
// (porthole-perfdata): its samples and current state are kept, but it adds no history row.

/** The seed's eight fields, in the seed's order. */
export const SEED_FIELDS = ['time_t', 'state', 'state_type', 'state_time', 'attempt', 'hostname', 'max_attempts', 'service'] as const;

/** Every field of the contract, in the order a body is written; anything else on the wire is `extra`. */
export const WIRE_FIELDS = [
  ...SEED_FIELDS,
  'kind',
  'host_name',
  'address',
  'output',
  'long_output',
  'perfdata',
  'check',
  'event_id',
  'source',
] as const;

export type WireField = (typeof WIRE_FIELDS)[number];

export const HOST_STATES = ['UP', 'DOWN', 'UNREACHABLE'] as const;
export const SERVICE_STATES = ['OK', 'WARNING', 'CRITICAL', 'UNKNOWN'] as const;
export const STATE_TYPES = ['HARD', 'SOFT'] as const;

export type HostState = (typeof HOST_STATES)[number];
export type ServiceState = (typeof SERVICE_STATES)[number];
export type MonitoringState = HostState | ServiceState;
export type StateType = (typeof STATE_TYPES)[number];
export type EventKind = 'host' | 'service';

/** Whether `value` is one of `allowed` (a type guard for the state lists above). */
export function isOneOf<T extends string>(allowed: readonly T[], value: string): value is T {
  return (allowed as readonly string[]).includes(value);
}

// ---------------------------------------------------------------------------------------------
// Limits
//
// Every limit is the real limit of the column the value is stored in (drizzle/0000_init.sql:
// monitoring_events, service_states, perf_samples), so an event that validates can always be
// written; lib/ingest/limits.int.test.ts reads the live schema and fails if they drift apart.
// The ingester turns a value beyond them into a dead letter; the CLI refuses an identifier beyond
// them as an argument error and truncates free text rather than lose the event.

// Plausible epoch seconds: 2000-01-01 .. 2100-01-01 (UTC), well inside DATETIME's 1000..9999 (no
// TIMESTAMP column, so nothing ends in 2038). Rejects milliseconds and zero/garbage clocks.
export const TIME_T_MIN = 946_684_800;
export const TIME_T_MAX = 4_102_444_800;

// Identifier limits are in characters (VARCHAR(255)/(128) count characters; every table is utf8mb4,
// so 4-byte characters fit); text limits are UTF-8 bytes (TEXT holds 65,535 bytes).
export const WIRE_LIMITS = {
  bodyBytes: 256 * 1024,
  hostnameChars: 255,
  serviceChars: 255,
  hostNameChars: 255,
  addressChars: 255,
  sourceChars: 128,
  eventIdChars: 128,
  outputBytes: 8 * 1024,
  longOutputBytes: 65_535,
  perfdataBytes: 8 * 1024,
  /** attempt, max_attempts: SMALLINT UNSIGNED. */
  attemptMax: 65_535,
  /** state_time: INT UNSIGNED (state_duration_sec); state_since = time_t - state_time stays after 1000-01-01. */
  stateTimeMax: 4_294_967_295,
  /**
   * Nesting of the unknown fields kept in the JSON `extra` column, counting the message object itself:
   * MariaDB's JSON_VALID (the column's CHECK) refuses 32 levels or more (measured on 10.11).
   */
  extraDepth: 31,
} as const;

// ---------------------------------------------------------------------------------------------
// Text

export const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;
/** event_id: printable ASCII without spaces, safe in logs, URLs and a unique index. */
export const EVENT_ID_CHARS = /^[\x21-\x7e]+$/;

export function utf8ByteLength(s: string): number {
  return Buffer.byteLength(s, 'utf8'); // counts without encoding a copy
}

export function charLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** Why `value` is not a usable single-line identifier (host, service, source), or null when it is. */
export function identifierProblem(value: string, maxChars: number): string | null {
  if (value.trim() === '') return 'is empty';
  if (CONTROL_CHARS.test(value)) return 'contains control characters';
  if (charLength(value) > maxChars) return `is longer than ${maxChars} characters`;
  return null;
}

/** Cuts `s` to at most `maxBytes` UTF-8 bytes without splitting a character. */
export function truncateUtf8(s: string, maxBytes: number): string {
  if (s.length * 3 <= maxBytes || utf8ByteLength(s) <= maxBytes) return s;
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

// ---------------------------------------------------------------------------------------------
// Destinations

/**
 * Why `value` cannot name the one broker destination events travel on, or null: `/queue/NAME` or
 * `/topic/NAME`, NAME printable ASCII without spaces, and no "," (composite), "*" or ">" (wildcards).
 * The CLI's DESTINATION argument and EVENTS_DESTINATION are both checked with it.
 */
export function destinationProblem(value: string): string | null {
  const m = /^\/(queue|topic)\/(.+)$/.exec(value);
  if (!m) return 'must start with /queue/ or /topic/';
  const name = m[2]!;
  if (!/^[\x21-\x7e]+$/.test(name)) return 'name must be printable ASCII without spaces';
  if (/[,*>]/.test(name)) return 'must name one destination: no ",", "*" or ">"';
  if (name.length > 200) return 'is longer than 200 characters';
  return null;
}

// ---------------------------------------------------------------------------------------------
// Events in the domain's names

/** The contract's fields of one event, named for TypeScript: what a body is built from and parsed into. */
export interface EventFields {
  kind: EventKind;
  /** What Nagios passed as the host (the seed passes $HOSTADDRESS$, so often an IP). */
  hostname: string;
  /** null for host events. */
  service: string | null;
  state: MonitoringState;
  stateType: StateType;
  /** Seconds in the current state ($SERVICEDURATIONSEC$ / $HOSTDURATIONSEC$, wire `state_time`). */
  stateDurationSec: number;
  attempt: number;
  maxAttempts: number;
  /** Wire `time_t`, whole seconds. */
  occurredAt: Date;
  /** Nagios host_name. */
  hostName?: string;
  address?: string;
  output?: string;
  longOutput?: string;
  perfdata?: string;
  /** A periodic check result rather than a state change. */
  check?: boolean;
  eventId?: string;
  /** Which Nagios sent it. */
  source?: string;
}

interface EventBase extends Omit<EventFields, 'kind' | 'service' | 'state'> {
  /** Unknown wire fields, kept verbatim. */
  extra: Record<string, unknown>;
}

export interface HostEvent extends EventBase {
  kind: 'host';
  service: null;
  state: HostState;
}

export interface ServiceEvent extends EventBase {
  kind: 'service';
  service: string;
  state: ServiceState;
}

/** A validated, normalized event (lib/monitoring/event.ts). Narrow on `kind` for the matching `state`. */
export type MonitoringEvent = HostEvent | ServiceEvent;

// ---------------------------------------------------------------------------------------------
// The body

/**
 * The message body: JSON with the fields in `WIRE_FIELDS` order, the seed's eight first. A host event's
 * service is written as null whatever it holds. Optional fields are written when given (output and
 * perfdata even when empty, as the CLI always sends them); free text over its limit is cut to what the
 * ingester accepts, so an event is never lost for a long plugin output.
 */
export function buildEventBody(e: EventFields): string {
  const values: Partial<Record<WireField, unknown>> = {
    time_t: Math.floor(e.occurredAt.getTime() / 1000),
    state: e.state,
    state_type: e.stateType,
    state_time: e.stateDurationSec,
    attempt: e.attempt,
    hostname: e.hostname,
    max_attempts: e.maxAttempts,
    service: e.kind === 'host' ? null : e.service,
    kind: e.kind,
    host_name: e.hostName || undefined,
    address: e.address || undefined,
    output: e.output === undefined ? undefined : truncateUtf8(e.output, WIRE_LIMITS.outputBytes),
    long_output: e.longOutput ? truncateUtf8(e.longOutput, WIRE_LIMITS.longOutputBytes) : undefined,
    perfdata: e.perfdata === undefined ? undefined : truncatePerfdata(e.perfdata, WIRE_LIMITS.perfdataBytes),
    check: e.check ? true : undefined,
    event_id: e.eventId,
    source: e.source,
  };
  const wire: Record<string, unknown> = {};
  for (const field of WIRE_FIELDS) if (values[field] !== undefined) wire[field] = values[field];
  return JSON.stringify(wire);
}
