// The file Nagios writes with `service_perfdata_file` and the messages porthole-perfdata makes of it.
//
// nagios.cfg (Nagios turns the `\t` into tabs):
//
//   process_performance_data=1
//   service_perfdata_file=/var/lib/nagios4/porthole-service-perfdata
//   service_perfdata_file_template=$TIMET$\t$HOSTNAME$\t$HOSTADDRESS$\t$SERVICEDESC$\t$SERVICESTATE$\t$SERVICESTATETYPE$\t$SERVICEDURATIONSEC$\t$SERVICEATTEMPT$\t$MAXSERVICEATTEMPTS$\t$SERVICEOUTPUT$\t$SERVICEPERFDATA$
//   service_perfdata_file_mode=a
//   service_perfdata_file_processing_interval=60
//   service_perfdata_file_processing_command=porthole-process-service-perfdata
//
//   define command {
//     command_name porthole-process-service-perfdata
//     command_line /usr/local/bin/porthole-perfdata mq.example.com /queue/nagios.events /var/lib/nagios4/porthole-service-perfdata
//   }
//
// Each line becomes one check-result message (lib/monitoring/wire.ts): `check: true`, the line's own
// time_t, host_name ($HOSTNAME$), address ($HOSTADDRESS$), hostname $HOSTADDRESS$ as in the seed (or
// $HOSTNAME$ when the address is empty), and an event_id derived from the line, so a re-sent file is
// stored once.
import {
  type EventFields,
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
import { checkEventId } from './event-id';

/** The value of `service_perfdata_file_template` in nagios.cfg, exactly as written there. */
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

/**
 * One line → one message body. A tab inside the plugin output (Nagios does not strip tabs) would add
 * fields: the first nine and the last are fixed, so everything in between is the output.
 */
export function perfdataLineToBody(line: string, source: string): Result<string> {
  const text = line.endsWith('\r') ? line.slice(0, -1) : line;
  const f = text.split('\t');
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
  lines: number;
  malformed: Array<{ line: number; reason: string }>;
}

/** All lines of a file's text; blank lines are skipped silently, malformed ones are listed. */
export function parsePerfdataText(text: string, source: string): ParsedPerfdataFile {
  const result: ParsedPerfdataFile = { bodies: [], lines: 0, malformed: [] };
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    result.lines += 1;
    const r = perfdataLineToBody(line, source);
    if (r.ok) result.bodies.push(r.value);
    else result.malformed.push({ line: i + 1, reason: r.error });
  }
  return result;
}

function short(s: string): string {
  const q = JSON.stringify(s);
  return q.length > 40 ? `${q.slice(0, 37)}..."` : q;
}
