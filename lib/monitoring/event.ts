// The ingester's reading of the wire contract (DESIGN.md, "Wire contract: one monitoring event"): a zod
// schema over the fields, states and limits that lib/monitoring/wire.ts owns. The seed's Ruby publisher
// sends exactly its eight fields; everything else is an optional extension our own CLI adds. Unknown
// fields are kept (as `extra`), never rejected. A value the database would refuse is a dead letter here,
// with a reason, instead of a batch the database rejects (lib/ingest/isolate.ts handles whatever still
// gets through).
import { z } from 'zod';
import { type Result, fail, ok } from '../result';
import {
  CONTROL_CHARS,
  EVENT_ID_CHARS,
  HOST_STATES,
  SERVICE_STATES,
  STATE_TYPES,
  TIME_T_MAX,
  TIME_T_MIN,
  WIRE_FIELDS,
  WIRE_LIMITS,
  type EventKind,
  type HostState,
  type MonitoringEvent,
  type ServiceState,
  type WireField,
  charLength,
  isOneOf,
  utf8ByteLength,
} from './wire';

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
const STORED_STRING_FIELDS = ['hostname', 'service', 'host_name', 'address', 'output', 'long_output', 'perfdata', 'source'] as const satisfies readonly WireField[];

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
  // `satisfies`: one validator for each field of the contract, no more, no fewer.
  .looseObject({
    time_t: timeT,
    state: stringField(),
    state_type: upperEnum(STATE_TYPES),
    state_time: counter('a non-negative integer (seconds)', 0, WIRE_LIMITS.stateTimeMax),
    attempt: counter('a non-negative integer', 0, WIRE_LIMITS.attemptMax),
    max_attempts: counter('a non-negative integer', 0, WIRE_LIMITS.attemptMax),
    hostname: identifier(WIRE_LIMITS.hostnameChars),
    // An empty service is treated like null: a host event (normalization below).
    service: stringField()
      .refine((s) => !CONTROL_CHARS.test(s), { error: 'must not contain control characters' })
      .refine((s) => charLength(s) <= WIRE_LIMITS.serviceChars, {
        error: `longer than ${WIRE_LIMITS.serviceChars} characters`,
      })
      .nullish(),
    kind: z
      .enum(['host', 'service'], { error: (iss) => `expected "host" or "service", got ${describe(iss.input)}` })
      .nullish(),
    host_name: identifier(WIRE_LIMITS.hostNameChars).nullish(),
    address: identifier(WIRE_LIMITS.addressChars).nullish(),
    output: text(WIRE_LIMITS.outputBytes).nullish(),
    long_output: text(WIRE_LIMITS.longOutputBytes).nullish(),
    perfdata: text(WIRE_LIMITS.perfdataBytes).nullish(),
    // Not nullish: a null `check` was always refused.
    check: z.boolean({ error: 'expected true or false' }).optional(),
    event_id: stringField()
      .min(1, { error: 'must not be empty' })
      .max(WIRE_LIMITS.eventIdChars, { error: `longer than ${WIRE_LIMITS.eventIdChars} characters` })
      .regex(EVENT_ID_CHARS, { error: 'must be printable ASCII without spaces' })
      .nullish(),
    source: identifier(WIRE_LIMITS.sourceChars).nullish(),
  } satisfies Record<WireField, z.ZodType>)
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

const KNOWN_FIELD_SET: ReadonlySet<string> = new Set(WIRE_FIELDS);

/**
 * Why an unknown field's value cannot be kept in the JSON `extra` column, or null. `depth` is the
 * nesting level of `value` (the message object is level 1). Stops at the limit, so a deep value
 * costs no more than a shallow one.
 */
function extraProblem(value: unknown, depth: number): string | null {
  if (typeof value === 'string') return isWellFormed(value) ? null : LONE_SURROGATE;
  if (typeof value !== 'object' || value === null) return null;
  if (depth > WIRE_LIMITS.extraDepth) return `nested deeper than ${WIRE_LIMITS.extraDepth} levels (the database's JSON limit)`;
  const isArray = Array.isArray(value);
  for (const key in value) {
    if (!isArray && !isWellFormed(key)) return `a key ${LONE_SURROGATE}`;
    const problem = extraProblem((value as Record<string, unknown>)[key], depth + 1);
    if (problem) return problem;
  }
  return null;
}

type Wire = z.output<typeof eventWireSchema>;

const isCount = (v: unknown, max: number): boolean => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= max;
/** identifier(): not blank, no control characters, and (cheaply) no more UTF-16 units than the limit's characters. */
const isIdentifier = (v: unknown, maxChars: number): boolean =>
  typeof v === 'string' && v.length <= maxChars && v.trim() !== '' && !CONTROL_CHARS.test(v);
/** text(), nullish: a UTF-16 unit is at most 3 UTF-8 bytes, so most texts need no byte count. */
const isText = (v: unknown, maxBytes: number): boolean =>
  v == null || (typeof v === 'string' && (v.length * 3 <= maxBytes || utf8ByteLength(v) <= maxBytes));

/**
 * The schema's verdict without zod, for the common shape: the object itself when every field passes
 * checks at least as strict as the schema's (so the schema would accept it and return the same
 * values: state_type already upper case, nothing to transform), or null, for the schema to decide and
 * word the errors. It never accepts what the schema refuses. zod's safeParse of a whole event was the
 * ingester's largest cost of its own (bench:ingest's CPU profile, issue 18). Exported for its test, which
 * holds it against the schema.
 */
export function fastWire(o: Record<string, unknown>): Wire | null {
  const t = o.time_t;
  if (typeof t !== 'number' || !Number.isInteger(t) || t < TIME_T_MIN || t > TIME_T_MAX) return null;
  const state = o.state;
  if (typeof state !== 'string') return null;
  if (o.state_type !== 'HARD' && o.state_type !== 'SOFT') return null;
  if (!isCount(o.state_time, WIRE_LIMITS.stateTimeMax) || !isCount(o.attempt, WIRE_LIMITS.attemptMax) || !isCount(o.max_attempts, WIRE_LIMITS.attemptMax)) return null;
  if (!isIdentifier(o.hostname, WIRE_LIMITS.hostnameChars)) return null;
  const service = o.service;
  if (service != null && (typeof service !== 'string' || service.length > WIRE_LIMITS.serviceChars || CONTROL_CHARS.test(service))) return null;
  const kind = o.kind;
  if (kind != null && kind !== 'host' && kind !== 'service') return null;
  if (o.host_name != null && !isIdentifier(o.host_name, WIRE_LIMITS.hostNameChars)) return null;
  if (o.address != null && !isIdentifier(o.address, WIRE_LIMITS.addressChars)) return null;
  if (o.source != null && !isIdentifier(o.source, WIRE_LIMITS.sourceChars)) return null;
  if (!isText(o.output, WIRE_LIMITS.outputBytes) || !isText(o.long_output, WIRE_LIMITS.longOutputBytes) || !isText(o.perfdata, WIRE_LIMITS.perfdataBytes)) return null;
  if (o.check !== undefined && typeof o.check !== 'boolean') return null;
  const id = o.event_id;
  if (id != null && (typeof id !== 'string' || id.length < 1 || id.length > WIRE_LIMITS.eventIdChars || !EVENT_ID_CHARS.test(id))) return null;
  // The schema's refinement: kind, service and state agree.
  const hasService = typeof service === 'string' && service.trim() !== '';
  if ((kind === 'host' && hasService) || (kind === 'service' && !hasService)) return null;
  if (!isOneOf<string>(hasService ? SERVICE_STATES : HOST_STATES, state.trim().toUpperCase())) return null;
  return o as Wire;
}

/**
 * Validate an already-decoded JSON value and normalize it. Never throws.
 * Normalization: identifiers (hostname, service, host_name, address, source) are trimmed; state and
 * state_type upper-cased; empty/null optional text becomes absent; an empty service means a host event.
 */
export function parseEvent(value: unknown): Result<MonitoringEvent> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return fail(`expected a JSON object, got ${describe(value)}`);
  }
  let w = fastWire(value as Record<string, unknown>);
  if (w === null) {
    const parsed = eventWireSchema.safeParse(value);
    if (!parsed.success) return fail(formatIssues(parsed.error.issues));
    w = parsed.data;
  }
  for (const field of STORED_STRING_FIELDS) {
    const v = w[field];
    if (typeof v === 'string' && !isWellFormed(v)) return fail(`${field}: ${LONE_SURROGATE}`);
  }

  // Extra fields come from the raw object: zod drops a literal "__proto__" key, and
  // Object.fromEntries defines own properties, so no key can touch a prototype.
  let unknown: Array<[string, unknown]> | null = null;
  for (const k of Object.keys(value)) {
    if (!KNOWN_FIELD_SET.has(k)) (unknown ??= []).push([k, (value as Record<string, unknown>)[k]]);
  }
  const extra: Record<string, unknown> = unknown === null ? {} : Object.fromEntries(unknown);
  if (unknown !== null) {
    for (const [k, v] of unknown) {
      const problem = isWellFormed(k) ? extraProblem(v, 2) : `a key ${LONE_SURROGATE}`;
      if (problem) return fail(oneLine(`${isWellFormed(k) ? k.slice(0, 40) : 'unknown field'}: ${problem}`));
    }
  }

  const base: Omit<MonitoringEvent, 'kind' | 'service' | 'state'> = {
    hostname: w.hostname.trim(),
    stateType: w.state_type,
    stateDurationSec: w.state_time,
    attempt: w.attempt,
    maxAttempts: w.max_attempts,
    occurredAt: new Date(w.time_t * 1000),
    extra,
  };
  // Set only when present, in this order.
  const hostName = trimmedOrUndefined(w.host_name);
  if (hostName !== undefined) base.hostName = hostName;
  const address = trimmedOrUndefined(w.address);
  if (address !== undefined) base.address = address;
  const output = emptyToUndefined(w.output);
  if (output !== undefined) base.output = output;
  const longOutput = emptyToUndefined(w.long_output);
  if (longOutput !== undefined) base.longOutput = longOutput;
  const perfdata = emptyToUndefined(w.perfdata?.trim());
  if (perfdata !== undefined) base.perfdata = perfdata;
  const eventId = emptyToUndefined(w.event_id);
  if (eventId !== undefined) base.eventId = eventId;
  const source = trimmedOrUndefined(w.source);
  if (source !== undefined) base.source = source;
  if (w.check === true) base.check = true;

  const state = w.state.trim().toUpperCase();
  const service = w.service?.trim() || null;
  const event: MonitoringEvent =
    service === null
      ? { kind: 'host', service: null, state: state as HostState, ...base }
      : { kind: 'service', service, state: state as ServiceState, ...base };
  return ok(event);
}

/** Decode and validate one message body. Never throws; `error` is a single line. */
export function parseEventBody(body: string): Result<MonitoringEvent> {
  if (typeof body !== 'string') return fail(`expected a string body, got ${describe(body)}`);
  const bytes = utf8ByteLength(body);
  if (bytes > WIRE_LIMITS.bodyBytes) {
    return fail(`body too large: ${bytes} bytes (limit ${WIRE_LIMITS.bodyBytes})`);
  }
  const text = body.replace(/^\uFEFF/, '');
  if (text.trim() === '') return fail('empty body');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return fail(`invalid JSON: ${oneLine(err instanceof Error ? err.message : String(err))}`);
  }
  return parseEvent(value);
}
