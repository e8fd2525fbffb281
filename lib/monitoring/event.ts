// The wire contract for one monitoring event (DESIGN.md, "Wire contract: one monitoring event").
// The seed's Ruby publisher sends exactly the eight fields of `SeedWireFields`; everything else is an
// optional extension our own CLI adds. Unknown fields are kept (as `extra`), never rejected.
import { z } from 'zod';

export const HOST_STATES = ['UP', 'DOWN', 'UNREACHABLE'] as const;
export const SERVICE_STATES = ['OK', 'WARNING', 'CRITICAL', 'UNKNOWN'] as const;
export const STATE_TYPES = ['HARD', 'SOFT'] as const;

export type HostState = (typeof HOST_STATES)[number];
export type ServiceState = (typeof SERVICE_STATES)[number];
export type MonitoringState = HostState | ServiceState;
export type StateType = (typeof STATE_TYPES)[number];
export type EventKind = 'host' | 'service';

// Every limit below is the real limit of the column the value is stored in (drizzle/0000_init.sql:
// monitoring_events, service_states, perf_samples), so an event that validates can always be
// written; lib/ingest/limits.int.test.ts reads the live schema and fails if they drift apart.
// A value the database would refuse is a dead letter here, with a reason, instead of a batch the
// database rejects (lib/ingest/isolate.ts handles whatever still gets through).

// Plausible epoch seconds: 2000-01-01 .. 2100-01-01 (UTC), well inside DATETIME's 1000..9999 (no
// TIMESTAMP column, so nothing ends in 2038). Rejects milliseconds and zero/garbage clocks.
export const TIME_T_MIN = 946_684_800;
export const TIME_T_MAX = 4_102_444_800;

// Identifier limits are in characters (VARCHAR(255)/(128) count characters; every table is utf8mb4,
// so 4-byte characters fit); text limits are UTF-8 bytes (TEXT holds 65,535 bytes).
export const EVENT_LIMITS = {
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

/** Field names that are part of the contract (seed fields and our extensions); anything else is `extra`. */
export const KNOWN_WIRE_FIELDS = [
  'time_t',
  'state',
  'state_type',
  'state_time',
  'attempt',
  'hostname',
  'max_attempts',
  'service',
  'kind',
  'host_name',
  'address',
  'output',
  'long_output',
  'perfdata',
  'event_id',
  'source',
] as const;

interface EventBase {
  /** What Nagios passed as the host (the seed passes $HOSTADDRESS$, so often an IP). Trimmed. */
  hostname: string;
  /** Nagios host_name, when the publisher sent it. */
  hostName?: string;
  address?: string;
  stateType: StateType;
  /** Seconds in the current state ($SERVICEDURATIONSEC$ / $HOSTDURATIONSEC$, wire `state_time`). */
  stateDurationSec: number;
  attempt: number;
  maxAttempts: number;
  /** From `time_t` (whole seconds). */
  occurredAt: Date;
  output?: string;
  longOutput?: string;
  perfdata?: string;
  eventId?: string;
  /** Which Nagios sent it. */
  source?: string;
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

/** A validated, normalized event. Narrow on `kind` to get the matching `state` and `service` types. */
export type MonitoringEvent = HostEvent | ServiceEvent;

export type ParseEventResult = { ok: true; event: MonitoringEvent } | { ok: false; reason: string };

// ---------------------------------------------------------------------------------------------
// Schema

/** Short, single-line rendering of a bad input value for error messages. */
function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  const json = JSON.stringify(value) ?? String(value);
  const short = json.length > 40 ? `${json.slice(0, 37)}...` : json;
  return `${typeof value} ${short}`;
}

export function utf8ByteLength(s: string): number {
  return Buffer.byteLength(s, 'utf8'); // counts without encoding a copy
}

function charLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;
// Printable ASCII without spaces: safe in logs, URLs and a unique index.
const EVENT_ID_CHARS = /^[\x21-\x7e]+$/;

function counter(what: string, min: number, max: number) {
  return z
    .int({ error: (iss) => (iss.input === undefined ? 'required' : `expected ${what}, got ${describe(iss.input)}`) })
    .min(min, { error: (iss) => `expected ${what}, got ${String(iss.input)}` })
    .max(max, { error: (iss) => `${String(iss.input)} is too large (max ${max})` });
}

// ES2024's String.prototype.isWellFormed (Node >= 20); the project's lib setting is ES2023.
const isWellFormed = (s: string): boolean => (s as unknown as { isWellFormed(): boolean }).isWellFormed();
const LONE_SURROGATE = 'must be well-formed Unicode (it contains a lone surrogate escape such as \\ud800)';

function stringField() {
  return z.string({
    error: (iss) => (iss.input === undefined ? 'required' : `expected a string, got ${describe(iss.input)}`),
  });
}

// Free-form strings that are stored; checked for lone surrogates after the schema, in a plain loop
// (a zod refinement per field cost about 10% of the parse). state/state_type/kind are enums and
// event_id printable ASCII, so they cannot hold one.
const STORED_STRING_FIELDS = ['hostname', 'service', 'host_name', 'address', 'output', 'long_output', 'perfdata', 'source'] as const;

/** A single-line identifier: not blank, no control characters, at most `maxChars` characters. */
function identifier(maxChars: number) {
  return stringField()
    .refine((s) => s.trim() !== '', { error: 'must not be empty' })
    .refine((s) => !CONTROL_CHARS.test(s), { error: 'must not contain control characters' })
    .refine((s) => charLength(s) <= maxChars, { error: `longer than ${maxChars} characters` });
}

/** Free text (newlines allowed), at most `maxBytes` UTF-8 bytes. */
function text(maxBytes: number) {
  return stringField().refine((s) => utf8ByteLength(s) <= maxBytes, {
    error: (iss) => `${utf8ByteLength(String(iss.input))} bytes, longer than the ${maxBytes} byte limit`,
  });
}

const timeT = z
  .int({ error: (iss) => (iss.input === undefined ? 'required' : `expected epoch seconds, got ${describe(iss.input)}`) })
  .superRefine((v, ctx) => {
    if (v > 1e11) {
      ctx.addIssue({ code: 'custom', message: `${v} looks like milliseconds, expected epoch seconds` });
    } else if (v < TIME_T_MIN || v > TIME_T_MAX) {
      ctx.addIssue({ code: 'custom', message: `${v} is not a plausible epoch seconds value (2000-01-01..2100-01-01)` });
    }
  });

const upperEnum = <T extends readonly [string, ...string[]]>(values: T) =>
  stringField()
    .transform((s) => s.trim().toUpperCase())
    .pipe(z.enum(values, { error: (iss) => `expected ${values.join(' or ')}, got ${describe(iss.input)}` }));

/**
 * The wire schema (validation only). Accepts the seed's eight fields alone; extension fields may be
 * absent or null. Unknown keys pass through. `state` is checked against the event kind in the refinement
 * below, where the kind is known. Case of `state`/`state_type` is tolerated (normalized to upper case).
 *
 * `attempt > max_attempts` is accepted: Nagios reports it when max_check_attempts was lowered on reload
 * and for passive/freshness results, and the contract is never to reject real Nagios output.
 */
export const eventWireSchema = z
  .looseObject({
    time_t: timeT,
    state: stringField(),
    state_type: upperEnum(STATE_TYPES),
    state_time: counter('a non-negative integer (seconds)', 0, EVENT_LIMITS.stateTimeMax),
    attempt: counter('a non-negative integer', 0, EVENT_LIMITS.attemptMax),
    max_attempts: counter('a non-negative integer', 0, EVENT_LIMITS.attemptMax),
    hostname: identifier(EVENT_LIMITS.hostnameChars),
    // An empty service is treated like null: a host event (normalization below).
    service: stringField()
      .refine((s) => !CONTROL_CHARS.test(s), { error: 'must not contain control characters' })
      .refine((s) => charLength(s) <= EVENT_LIMITS.serviceChars, {
        error: `longer than ${EVENT_LIMITS.serviceChars} characters`,
      })
      .nullish(),
    kind: z
      .enum(['host', 'service'], { error: (iss) => `expected "host" or "service", got ${describe(iss.input)}` })
      .nullish(),
    host_name: identifier(EVENT_LIMITS.hostNameChars).nullish(),
    address: identifier(EVENT_LIMITS.addressChars).nullish(),
    output: text(EVENT_LIMITS.outputBytes).nullish(),
    long_output: text(EVENT_LIMITS.longOutputBytes).nullish(),
    perfdata: text(EVENT_LIMITS.perfdataBytes).nullish(),
    event_id: stringField()
      .min(1, { error: 'must not be empty' })
      .max(EVENT_LIMITS.eventIdChars, { error: `longer than ${EVENT_LIMITS.eventIdChars} characters` })
      .regex(EVENT_ID_CHARS, { error: 'must be printable ASCII without spaces' })
      .nullish(),
    source: identifier(EVENT_LIMITS.sourceChars).nullish(),
  })
  .superRefine((wire, ctx) => {
    const hasService = wire.service != null && wire.service.trim() !== '';
    if (wire.kind === 'host' && hasService) {
      ctx.addIssue({ code: 'custom', path: ['kind'], message: 'kind is "host" but a service is given' });
      return;
    }
    if (wire.kind === 'service' && !hasService) {
      ctx.addIssue({ code: 'custom', path: ['service'], message: 'required for a service event' });
      return;
    }
    const kind: EventKind = hasService ? 'service' : 'host';
    const allowed: readonly string[] = kind === 'host' ? HOST_STATES : SERVICE_STATES;
    if (!allowed.includes(wire.state.trim().toUpperCase())) {
      ctx.addIssue({
        code: 'custom',
        path: ['state'],
        message: `expected one of ${allowed.join(', ')} for a ${kind} event, got ${describe(wire.state)}`,
      });
    }
  });

export type WireEventInput = z.input<typeof eventWireSchema>;

/** What the publisher puts on the wire: the seed fields plus any extensions and extra fields. */
export interface WireEvent {
  time_t: number;
  state: MonitoringState;
  state_type: StateType;
  state_time: number;
  attempt: number;
  hostname: string;
  max_attempts: number;
  service: string | null;
  kind?: EventKind;
  host_name?: string;
  address?: string;
  output?: string;
  long_output?: string;
  perfdata?: string;
  event_id?: string;
  source?: string;
  [extra: string]: unknown;
}

// ---------------------------------------------------------------------------------------------
// Parsing

function formatIssues(issues: z.ZodError['issues']): string {
  const shown = issues.slice(0, 4).map((i) => (i.path.length ? `${i.path.map(String).join('.')}: ${i.message}` : i.message));
  const more = issues.length > shown.length ? `; and ${issues.length - shown.length} more` : '';
  return oneLine(shown.join('; ') + more);
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

function emptyToUndefined(s: string | null | undefined): string | undefined {
  return s == null || s === '' ? undefined : s;
}

function trimmedOrUndefined(s: string | null | undefined): string | undefined {
  return s == null ? undefined : s.trim() || undefined;
}

const KNOWN_FIELD_SET: ReadonlySet<string> = new Set(KNOWN_WIRE_FIELDS);

/**
 * Why an unknown field's value cannot be kept in the JSON `extra` column, or null. `depth` is the
 * nesting level of `value` (the message object is level 1). Stops at the limit, so a deep value
 * costs no more than a shallow one.
 */
function extraProblem(value: unknown, depth: number): string | null {
  if (typeof value === 'string') return isWellFormed(value) ? null : LONE_SURROGATE;
  if (typeof value !== 'object' || value === null) return null;
  if (depth > EVENT_LIMITS.extraDepth) return `nested deeper than ${EVENT_LIMITS.extraDepth} levels (the database's JSON limit)`;
  const isArray = Array.isArray(value);
  for (const key in value) {
    if (!isArray && !isWellFormed(key)) return `a key ${LONE_SURROGATE}`;
    const problem = extraProblem((value as Record<string, unknown>)[key], depth + 1);
    if (problem) return problem;
  }
  return null;
}

/**
 * Validate an already-decoded JSON value and normalize it. Never throws.
 * Normalization: identifiers (hostname, service, host_name, address, source) are trimmed; state and
 * state_type upper-cased; empty/null optional text becomes absent; an empty service means a host event.
 */
export function parseEvent(value: unknown): ParseEventResult {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, reason: `expected a JSON object, got ${describe(value)}` };
  }
  const parsed = eventWireSchema.safeParse(value);
  if (!parsed.success) return { ok: false, reason: formatIssues(parsed.error.issues) };
  const w = parsed.data;
  for (const field of STORED_STRING_FIELDS) {
    const v = w[field];
    if (typeof v === 'string' && !isWellFormed(v)) return { ok: false, reason: `${field}: ${LONE_SURROGATE}` };
  }

  // Extra fields come from the raw object: zod drops a literal "__proto__" key, and
  // Object.fromEntries defines own properties, so no key can touch a prototype.
  const extra = Object.fromEntries(
    Object.entries(value as Record<string, unknown>).filter(([k]) => !KNOWN_FIELD_SET.has(k)),
  );
  for (const [k, v] of Object.entries(extra)) {
    const problem = isWellFormed(k) ? extraProblem(v, 2) : `a key ${LONE_SURROGATE}`;
    if (problem) return { ok: false, reason: oneLine(`${isWellFormed(k) ? k.slice(0, 40) : 'unknown field'}: ${problem}`) };
  }

  const base: EventBase = {
    hostname: w.hostname.trim(),
    stateType: w.state_type,
    stateDurationSec: w.state_time,
    attempt: w.attempt,
    maxAttempts: w.max_attempts,
    occurredAt: new Date(w.time_t * 1000),
    extra,
  };
  const optional = {
    hostName: trimmedOrUndefined(w.host_name),
    address: trimmedOrUndefined(w.address),
    output: emptyToUndefined(w.output),
    longOutput: emptyToUndefined(w.long_output),
    perfdata: emptyToUndefined(w.perfdata?.trim()),
    eventId: emptyToUndefined(w.event_id),
    source: trimmedOrUndefined(w.source),
  };
  for (const [k, v] of Object.entries(optional)) {
    if (v !== undefined) (base as unknown as Record<string, unknown>)[k] = v;
  }

  const state = w.state.trim().toUpperCase();
  const service = w.service?.trim() || null;
  const event: MonitoringEvent =
    service === null
      ? { kind: 'host', service: null, state: state as HostState, ...base }
      : { kind: 'service', service, state: state as ServiceState, ...base };
  return { ok: true, event };
}

/** Decode and validate one message body. Never throws; `reason` is a single line. */
export function parseEventBody(body: string): ParseEventResult {
  if (typeof body !== 'string') return { ok: false, reason: `expected a string body, got ${describe(body)}` };
  const bytes = utf8ByteLength(body);
  if (bytes > EVENT_LIMITS.bodyBytes) {
    return { ok: false, reason: `body too large: ${bytes} bytes (limit ${EVENT_LIMITS.bodyBytes})` };
  }
  const text = body.replace(/^\uFEFF/, '');
  if (text.trim() === '') return { ok: false, reason: 'empty body' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, reason: `invalid JSON: ${oneLine(err instanceof Error ? err.message : String(err))}` };
  }
  return parseEvent(value);
}

/**
 * The wire form of an event (for publishers and re-play). Extra fields are written first so they can
 * never override contract fields. `parseEvent(toWireEvent(e))` yields `e` again.
 */
export function toWireEvent(event: MonitoringEvent): WireEvent {
  const wire: WireEvent = {
    ...event.extra,
    time_t: Math.floor(event.occurredAt.getTime() / 1000),
    state: event.state,
    state_type: event.stateType,
    state_time: event.stateDurationSec,
    attempt: event.attempt,
    hostname: event.hostname,
    max_attempts: event.maxAttempts,
    service: event.service,
    kind: event.kind,
  };
  if (event.hostName !== undefined) wire.host_name = event.hostName;
  if (event.address !== undefined) wire.address = event.address;
  if (event.output !== undefined) wire.output = event.output;
  if (event.longOutput !== undefined) wire.long_output = event.longOutput;
  if (event.perfdata !== undefined) wire.perfdata = event.perfdata;
  if (event.eventId !== undefined) wire.event_id = event.eventId;
  if (event.source !== undefined) wire.source = event.source;
  return wire;
}
