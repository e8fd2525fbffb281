// Argument and environment checking for the Nagios-side commands. Pure functions: every problem is
// returned as one line for the usage message, nothing is sent or spooled when anything is wrong.
import { isAbsolute } from 'node:path';
import { type BrokerEndpoint, parseBrokerUrl } from '../stomp/broker-url';
import { DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_RECEIPT_TIMEOUT_MS } from '../stomp/session';
import {
  HOST_STATES,
  SERVICE_STATES,
  STATE_TYPES,
  WIRE_LIMITS,
  destinationProblem,
  identifierProblem,
  isOneOf,
  type EventFields,
  type EventKind,
  type MonitoringState,
} from '../monitoring/wire';
import { type Result, fail as bad, ok } from '../result';

// ---------------------------------------------------------------------------------------------
// Usage texts

export const USAGE = {
  'notify-service-by-stomp':
    'usage: notify-service-by-stomp BROKER DESTINATION $HOSTADDRESS$ "$SERVICEDESC$" $SERVICESTATE$ $SERVICESTATETYPE$ ' +
    '$SERVICEDURATIONSEC$ $SERVICEATTEMPT$ $MAXSERVICEATTEMPTS$ ["$SERVICEOUTPUT$" ["$SERVICEPERFDATA$" [$LASTSERVICESTATECHANGE$]]]',
  'notify-host-by-stomp':
    'usage: notify-host-by-stomp BROKER DESTINATION $HOSTADDRESS$ $HOSTSTATE$ $HOSTSTATETYPE$ ' +
    '$HOSTDURATIONSEC$ $HOSTATTEMPT$ $MAXHOSTATTEMPTS$ ["$HOSTOUTPUT$" ["$HOSTPERFDATA$" [$LASTHOSTSTATECHANGE$]]]',
  stompcat: 'usage: stompcat [--raw] [--count N] BROKER DESTINATION',
  'porthole-spool-flush': 'usage: porthole-spool-flush [BROKER]        (default: $PORTHOLE_BROKER)',
  'porthole-perfdata': 'usage: porthole-perfdata BROKER DESTINATION /ABSOLUTE/PATH/TO/service-or-host-perfdata',
} as const;

export type CommandName = keyof typeof USAGE;

export const BROKER_HELP =
  'BROKER is host, host:port (default port 61613), stomp://user:pass@host:port or failover:(stomp://a:61613,stomp://b:61613)';
export const DESTINATION_HELP = 'DESTINATION is /queue/NAME or /topic/NAME';

export const ENV_HELP = [
  'environment:',
  '  PORTHOLE_SPOOL_DIR           spool for events the broker did not confirm (default /var/spool/porthole)',
  '  PORTHOLE_CONNECT_TIMEOUT_MS  per broker, TCP connect + STOMP CONNECTED (default 2000)',
  '  PORTHOLE_RECEIPT_TIMEOUT_MS  give up on a connection when no receipt arrives for this long (default 10000)',
  '  PORTHOLE_SOURCE              name of this Nagios in every event (default: the host name)',
].join('\n');

// ---------------------------------------------------------------------------------------------
// Single values

export function parseBroker(value: string | undefined): Result<BrokerEndpoint[]> {
  if (value === undefined) return bad('BROKER is missing');
  try {
    return ok(parseBrokerUrl(value));
  } catch (error) {
    return bad(`BROKER: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** `/queue/NAME` or `/topic/NAME`, one destination (the rule is lib/monitoring/wire.ts'). */
export function parseDestination(value: string | undefined): Result<string> {
  if (value === undefined) return bad('DESTINATION is missing');
  const problem = destinationProblem(value);
  return problem ? bad(`DESTINATION ${problem} (got ${quote(value)})`) : ok(value);
}

/** A non-negative decimal integer that fits a signed 32-bit column (Nagios counters and durations). */
export function parseCount(label: string, value: string | undefined): Result<number> {
  if (value === undefined) return bad(`${label} is missing`);
  if (!/^\d{1,10}$/.test(value)) return bad(`${label} must be a non-negative integer (got ${quote(value)})`);
  const n = Number(value);
  if (n > 2_147_483_647) return bad(`${label} is too large (got ${value})`);
  return ok(n);
}

function parseEnum<T extends string>(label: string, value: string | undefined, allowed: readonly T[]): Result<T> {
  if (value === undefined) return bad(`${label} is missing`);
  const upper = value.trim().toUpperCase();
  if (!isOneOf(allowed, upper)) return bad(`${label} must be one of ${allowed.join(', ')} (got ${quote(value)})`);
  return ok(upper);
}

function parseIdentifier(label: string, value: string | undefined, maxChars: number): Result<string> {
  if (value === undefined) return bad(`${label} is missing`);
  const problem = identifierProblem(value, maxChars);
  return problem ? bad(`${label} ${problem} (got ${quote(value)})`) : ok(value);
}

function quote(value: string): string {
  const s = JSON.stringify(value);
  return s.length > 60 ? `${s.slice(0, 57)}..."` : s;
}

// ---------------------------------------------------------------------------------------------
// notify-service-by-stomp / notify-host-by-stomp

/** The event's fields from the arguments (output and perfdata '' when not given), and where to send it. */
export interface NotifyArgs
  extends Pick<EventFields, 'kind' | 'hostname' | 'service' | 'state' | 'stateType' | 'stateDurationSec' | 'attempt' | 'maxAttempts'> {
  endpoints: BrokerEndpoint[];
  destination: string;
  output: string;
  perfdata: string;
  /** $LASTSERVICESTATECHANGE$ / $LASTHOSTSTATECHANGE$ when given: the event gets the id the perfdata file path gives it too. */
  lastStateChange: number | null;
}

/**
 * The seed's positional arguments plus optional output, perfdata and last state change (DESIGN.md,
 * "The Nagios-side commands"; the last one names the event as the perfdata file does, lib/cli/event-id.ts).
 */
export function parseNotifyArgs(kind: EventKind, argv: readonly string[]): Result<NotifyArgs> {
  const service = kind === 'service';
  const required = service ? 9 : 8;
  if (argv.length < required) return bad(`expected at least ${required} arguments, got ${argv.length}`);
  if (argv.length > required + 3) return bad(`expected at most ${required + 3} arguments, got ${argv.length} (quote arguments with spaces)`);

  const broker = parseBroker(argv[0]);
  if (!broker.ok) return broker;
  const destination = parseDestination(argv[1]);
  if (!destination.ok) return destination;
  const hostname = parseIdentifier('HOSTADDRESS', argv[2], WIRE_LIMITS.hostnameChars);
  if (!hostname.ok) return hostname;
  let i = 3;
  let serviceDesc: string | null = null;
  if (service) {
    const desc = parseIdentifier('SERVICEDESC', argv[i++], WIRE_LIMITS.serviceChars);
    if (!desc.ok) return desc;
    serviceDesc = desc.value;
  }
  const p = service ? 'SERVICE' : 'HOST';
  const state = parseEnum<MonitoringState>(`${p}STATE`, argv[i++], service ? SERVICE_STATES : HOST_STATES);
  if (!state.ok) return state;
  const stateType = parseEnum(`${p}STATETYPE`, argv[i++], STATE_TYPES);
  if (!stateType.ok) return stateType;
  const duration = parseCount(`${p}DURATIONSEC`, argv[i++]);
  if (!duration.ok) return duration;
  const attempt = parseCount(`${p}ATTEMPT`, argv[i++]);
  if (!attempt.ok) return attempt;
  const maxAttempts = parseCount(`MAX${p}ATTEMPTS`, argv[i++]);
  if (!maxAttempts.ok) return maxAttempts;
  const output = argv[i++] ?? '';
  const perfdata = argv[i++] ?? '';
  let lastStateChange: number | null = null;
  if (argv[i] !== undefined) {
    const change = parseCount(`LAST${p}STATECHANGE`, argv[i]);
    if (!change.ok) return change;
    lastStateChange = change.value;
  }

  return ok({
    kind,
    endpoints: broker.value,
    destination: destination.value,
    hostname: hostname.value,
    service: serviceDesc,
    state: state.value,
    stateType: stateType.value,
    stateDurationSec: duration.value,
    attempt: attempt.value,
    maxAttempts: maxAttempts.value,
    output,
    perfdata,
    lastStateChange,
  });
}

// ---------------------------------------------------------------------------------------------
// Environment

export interface CliEnv {
  spoolDir: string;
  connectTimeoutMs: number;
  receiptTimeoutMs: number;
  source: string;
}

export const DEFAULT_SPOOL_DIR = '/var/spool/porthole';

/**
 * Options come from the environment only, so the positional contract stays the seed's. Empty values
 * count as unset. Nothing is resolved against the working directory: the spool path must be absolute.
 */
export function parseCliEnv(env: Readonly<Record<string, string | undefined>>, defaultSource: string): Result<CliEnv> {
  const get = (name: string) => (env[name] === '' ? undefined : env[name]);

  const spoolDir = get('PORTHOLE_SPOOL_DIR') ?? DEFAULT_SPOOL_DIR;
  if (!isAbsolute(spoolDir)) return bad(`PORTHOLE_SPOOL_DIR must be an absolute path (got ${quote(spoolDir)})`);

  const connect = parseMillis('PORTHOLE_CONNECT_TIMEOUT_MS', get('PORTHOLE_CONNECT_TIMEOUT_MS'), DEFAULT_CONNECT_TIMEOUT_MS);
  if (!connect.ok) return connect;
  const receipt = parseMillis('PORTHOLE_RECEIPT_TIMEOUT_MS', get('PORTHOLE_RECEIPT_TIMEOUT_MS'), DEFAULT_RECEIPT_TIMEOUT_MS);
  if (!receipt.ok) return receipt;

  const source = get('PORTHOLE_SOURCE') ?? defaultSource;
  const problem = identifierProblem(source, WIRE_LIMITS.sourceChars);
  if (problem) return bad(`PORTHOLE_SOURCE ${problem}`);

  return ok({ spoolDir, connectTimeoutMs: connect.value, receiptTimeoutMs: receipt.value, source });
}

function parseMillis(name: string, value: string | undefined, fallback: number): Result<number> {
  if (value === undefined) return ok(fallback);
  if (!/^\d{1,7}$/.test(value) || Number(value) < 1 || Number(value) > 600_000) {
    return bad(`${name} must be milliseconds between 1 and 600000 (got ${quote(value)})`);
  }
  return ok(Number(value));
}
