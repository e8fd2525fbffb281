// The files Nagios writes with `service_perfdata_file` / `host_perfdata_file` and the messages
// porthole-perfdata makes of them: the zero-fork path (README, "Wiring Nagios"). Nagios appends a line
// per check; porthole-perfdata, run by Nagios every few seconds, sends a whole file over one connection.
//
// nagios.cfg (Nagios turns the `\t` into tabs; the templates are SERVICE_/HOST_STATE_FILE_TEMPLATE):
//
//   process_performance_data=1
//   service_perfdata_file=/var/lib/nagios4/porthole-service-perfdata
//   service_perfdata_file_template=<SERVICE_STATE_FILE_TEMPLATE>
//   service_perfdata_file_mode=a
//   service_perfdata_file_processing_interval=5
//   service_perfdata_file_processing_command=porthole-process-service-perfdata
//   host_perfdata_file=/var/lib/nagios4/porthole-host-perfdata
//   host_perfdata_file_template=<HOST_STATE_FILE_TEMPLATE>
//   (host_perfdata_file_mode, _processing_interval, _processing_command likewise)
//
//   define command {
//     command_name porthole-process-service-perfdata
//     command_line /usr/local/bin/porthole-perfdata mq.example.com /queue/nagios.events /var/lib/nagios4/porthole-service-perfdata
//   }
//
// A line of these templates is a state event (the same wire event, with the same event_id, as the event
// handler sends for it: lib/cli/event-id.ts stateEventId) when Nagios changed the state, or the state
// type, at that check ($LASTSERVICESTATECHANGE$ = $LASTSERVICECHECK$), when it is a SOFT problem
// (Nagios runs the event handler on every SOFT retry) or a host problem (see stateLine); every other
// line is a check result
// (`check: true`: samples and current state, no history row) with an id derived from the line.
// Lines of the older 11-field template ($TIMET$ first, SERVICE_PERFDATA_FILE_TEMPLATE) are
// always check results. Either way hostname is $HOSTADDRESS$ as in the seed ($HOSTNAME$ when the address
// is empty) and a re-sent file is stored once.
import {
  type EventFields,
  HOST_STATES,
  type MonitoringState,
  SERVICE_STATES,
  STATE_TYPES,
  TIME_T_MAX,
  TIME_T_MIN,
  WIRE_LIMITS,
  buildEventBody,
  identifierProblem,
  isOneOf,
} from '../monitoring/wire';
import { type Result, fail, ok } from '../result';
import { checkEventId, stateEventId } from './event-id';

/** The older `service_perfdata_file_template` (check results only), exactly as written in nagios.cfg. */
export const SERVICE_PERFDATA_FILE_TEMPLATE = [
  '$TIMET$',
  '$HOSTNAME$',
  '$HOSTADDRESS$',
  '$SERVICEDESC$',
  '$SERVICESTATE$',
  '$SERVICESTATETYPE$',
  '$SERVICEDURATIONSEC$',
  '$SERVICEATTEMPT$',
  '$MAXSERVICEATTEMPTS$',
  '$SERVICEOUTPUT$',
  '$SERVICEPERFDATA$',
].join('\\t');

const FIELDS = 11;

/** `service_perfdata_file_template`: every service check, with what tells a state change from a check. */
export const SERVICE_STATE_FILE_TEMPLATE = [
  'SERVICE',
  '$TIMET$',
  '$HOSTNAME$',
  '$HOSTADDRESS$',
  '$SERVICEDESC$',
  '$SERVICESTATE$',
  '$SERVICESTATETYPE$',
  '$SERVICEDURATIONSEC$',
  '$SERVICEATTEMPT$',
  '$MAXSERVICEATTEMPTS$',
  '$LASTSERVICESTATECHANGE$',
  '$LASTSERVICECHECK$',
  '$SERVICEOUTPUT$',
  '$SERVICEPERFDATA$',
].join('\\t');

/** `host_perfdata_file_template`: every host check, likewise. */
export const HOST_STATE_FILE_TEMPLATE = [
  'HOST',
  '$TIMET$',
  '$HOSTNAME$',
  '$HOSTADDRESS$',
  '$HOSTSTATE$',
  '$HOSTSTATETYPE$',
  '$HOSTDURATIONSEC$',
  '$HOSTATTEMPT$',
  '$MAXHOSTATTEMPTS$',
  '$LASTHOSTSTATECHANGE$',
  '$LASTHOSTCHECK$',
  '$HOSTOUTPUT$',
  '$HOSTPERFDATA$',
].join('\\t');

/** What a line became: a state event (history) or a check result. */
export interface PerfdataMessage {
  body: string;
  stateEvent: boolean;
}

/**
 * One line → one message. A tab inside the plugin output (Nagios does not strip tabs) would add
 * fields: the fields before the output and the last one are fixed, so everything in between is the output.
 */
export function perfdataLineToMessage(line: string, source: string): Result<PerfdataMessage> {
  const text = line.endsWith('\r') ? line.slice(0, -1) : line;
  const f = text.split('\t');
  if (f[0] === 'SERVICE' || f[0] === 'HOST') return stateLine(f[0] === 'SERVICE' ? 'service' : 'host', f, text, source);
  const legacy = legacyLine(f, text, source);
  return legacy.ok ? ok({ body: legacy.value, stateEvent: false }) : legacy;
}

/** The body alone (see perfdataLineToMessage). */
export function perfdataLineToBody(line: string, source: string): Result<string> {
  const r = perfdataLineToMessage(line, source);
  return r.ok ? ok(r.value.body) : r;
}

function stateLine(kind: 'host' | 'service', f: string[], text: string, source: string): Result<PerfdataMessage> {
  const service = kind === 'service';
  const P = service ? 'SERVICE' : 'HOST';
  const fixed = service ? 12 : 11; // marker … $LAST…CHECK$
  if (f.length < fixed + 2) return fail(`expected ${fixed + 2} tab-separated fields in a ${P} line, got ${f.length}`);
  const [, timeT, hostName, address] = f as [string, string, string, string];
  let i = 4;
  const desc = service ? f[i++]! : null;
  const [state, stateType, duration, attempt, maxAttempts, lastChange, lastCheck] = f.slice(i, i + 7) as [string, string, string, string, string, string, string];
  const output = f.slice(fixed, -1).join('\t');
  const perfdata = f[f.length - 1]!;

  const timeProblem = epochProblem(timeT);
  if (timeProblem) return fail(`TIMET ${timeProblem}`);
  const hostProblem = identifierProblem(hostName, WIRE_LIMITS.hostNameChars);
  if (hostProblem) return fail(`HOSTNAME ${hostProblem}`);
  const addressProblem = address === '' ? null : identifierProblem(address, WIRE_LIMITS.addressChars);
  if (addressProblem) return fail(`HOSTADDRESS ${addressProblem}`);
  if (desc !== null) {
    const serviceProblem = identifierProblem(desc, WIRE_LIMITS.serviceChars);
    if (serviceProblem) return fail(`SERVICEDESC ${serviceProblem}`);
  }
  const states = service ? SERVICE_STATES : HOST_STATES;
  if (!isOneOf<MonitoringState>(states, state)) return fail(`${P}STATE is not one of ${states.join(', ')}: ${short(state)}`);
  if (!isOneOf(STATE_TYPES, stateType)) return fail(`${P}STATETYPE is not SOFT or HARD: ${short(stateType)}`);
  for (const [label, v] of [[`${P}DURATIONSEC`, duration], [`${P}ATTEMPT`, attempt], [`MAX${P}ATTEMPTS`, maxAttempts], [`LAST${P}STATECHANGE`, lastChange], [`LAST${P}CHECK`, lastCheck]] as const) {
    if (!isCount(v)) return fail(`${label} is not a non-negative integer: ${short(v)}`);
  }

  const hostname = address !== '' ? address : hostName;
  const lastStateChange = Number(lastChange);
  // Nagios runs the event handler when a check changes the state or the state type, and on every SOFT
  // problem retry. A service's last_state_change is then the check's own time (also at SOFT → HARD); a
  // host's moves only with the state (verified on 4.4.6), so every host problem line is a state event:
  // the repeats of a HARD DOWN carry the HARD change's id and are stored once with it.
  const changedNow = lastStateChange > 0 && lastStateChange === Number(lastCheck);
  const problem = state !== 'OK' && state !== 'UP';
  const stateEvent = changedNow || (problem && (stateType === 'SOFT' || kind === 'host'));
  const fields: EventFields = {
    kind,
    occurredAt: new Date(Number(timeT) * 1000),
    state,
    stateType,
    stateDurationSec: Number(duration),
    attempt: Number(attempt),
    maxAttempts: Number(maxAttempts),
    hostname,
    service: desc,
    hostName,
    output,
    perfdata,
    ...(stateEvent ? {} : { check: true }),
    eventId: stateEvent
      ? stateEventId(source, { kind, hostname, service: desc, state, stateType, attempt: Number(attempt), lastStateChange })
      : checkEventId(source, text),
    source,
  };
  if (address !== '') fields.address = address;
  return ok({ body: buildEventBody(fields), stateEvent });
}

function epochProblem(v: string): string | null {
  return /^\d{9,10}$/.test(v) && Number(v) >= TIME_T_MIN && Number(v) <= TIME_T_MAX ? null : `is not epoch seconds: ${short(v)}`;
}

function isCount(v: string): boolean {
  return /^\d{1,10}$/.test(v) && Number(v) <= 2_147_483_647;
}

function legacyLine(f: string[], text: string, source: string): Result<string> {
  if (f.length < FIELDS) return fail(`expected ${FIELDS} tab-separated fields, got ${f.length}`);
  const [timeT, hostName, address, service, state, stateType, duration, attempt, maxAttempts] = f as [string, string, string, string, string, string, string, string, string];
  const output = f.slice(9, -1).join('\t');
  const perfdata = f[f.length - 1]!;

  if (!/^\d{9,10}$/.test(timeT) || Number(timeT) < TIME_T_MIN || Number(timeT) > TIME_T_MAX) return fail(`TIMET is not epoch seconds: ${short(timeT)}`);
  const hostProblem = identifierProblem(hostName, WIRE_LIMITS.hostNameChars);
  if (hostProblem) return fail(`HOSTNAME ${hostProblem}`);
  const addressProblem = address === '' ? null : identifierProblem(address, WIRE_LIMITS.addressChars);
  if (addressProblem) return fail(`HOSTADDRESS ${addressProblem}`);
  const serviceProblem = identifierProblem(service, WIRE_LIMITS.serviceChars);
  if (serviceProblem) return fail(`SERVICEDESC ${serviceProblem}`);
  if (!isOneOf(SERVICE_STATES, state)) return fail(`SERVICESTATE is not one of ${SERVICE_STATES.join(', ')}: ${short(state)}`);
  if (!isOneOf(STATE_TYPES, stateType)) return fail(`SERVICESTATETYPE is not SOFT or HARD: ${short(stateType)}`);
  for (const [label, v] of [['SERVICEDURATIONSEC', duration], ['SERVICEATTEMPT', attempt], ['MAXSERVICEATTEMPTS', maxAttempts]] as const) {
    if (!/^\d{1,10}$/.test(v) || Number(v) > 2_147_483_647) return fail(`${label} is not a non-negative integer: ${short(v)}`);
  }

  const fields: EventFields = {
    kind: 'service',
    occurredAt: new Date(Number(timeT) * 1000),
    state,
    stateType,
    stateDurationSec: Number(duration),
    attempt: Number(attempt),
    maxAttempts: Number(maxAttempts),
    hostname: address !== '' ? address : hostName,
    service,
    hostName,
    output,
    perfdata,
    check: true,
    eventId: checkEventId(source, text),
    source,
  };
  if (address !== '') fields.address = address;
  return ok(buildEventBody(fields));
}

export interface ParsedPerfdataFile {
  bodies: string[];
  /** How many of `bodies` are state events (the rest are check results). */
  stateEvents: number;
  lines: number;
  malformed: Array<{ line: number; reason: string }>;
}

/** All lines of a file's text; blank lines are skipped silently, malformed ones are listed. */
export function parsePerfdataText(text: string, source: string): ParsedPerfdataFile {
  const result: ParsedPerfdataFile = { bodies: [], stateEvents: 0, lines: 0, malformed: [] };
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    result.lines += 1;
    const r = perfdataLineToMessage(line, source);
    if (r.ok) {
      result.bodies.push(r.value.body);
      if (r.value.stateEvent) result.stateEvents += 1;
    } else result.malformed.push({ line: i + 1, reason: r.error });
  }
  return result;
}

function short(s: string): string {
  const q = JSON.stringify(s);
  return q.length > 40 ? `${q.slice(0, 37)}..."` : q;
}
