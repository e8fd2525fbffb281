// State ordering ("worst state" for a VM or a list) and the human wording of one event.
import { HOST_STATES, type MonitoringEvent, type MonitoringState, isOneOf } from './wire';
import { formatDuration } from './duration';

export type UpState = 'OK' | 'UP';
export type DetailLevel = 'summary' | 'technical';

// Higher is worse. A host that is DOWN or UNREACHABLE outranks any service state, because every service
// on it is then unknowable; DOWN outranks UNREACHABLE (unreachable means a parent failed, the host itself
// may be fine). UNKNOWN ranks above WARNING: the check itself is broken, so a problem may be hidden.
const SEVERITY: Readonly<Record<MonitoringState, number>> = {
  OK: 0,
  UP: 0,
  WARNING: 1,
  UNKNOWN: 2,
  CRITICAL: 3,
  UNREACHABLE: 4,
  DOWN: 5,
};

/** 0 (OK/UP) .. 5 (DOWN). */
export function stateSeverity(state: MonitoringState): number {
  return SEVERITY[state];
}

/** Sort comparator, least severe first (reverse the arguments for worst first). */
export function compareStates(a: MonitoringState, b: MonitoringState): number {
  return SEVERITY[a] - SEVERITY[b];
}

/** The most severe state in the list, or null for an empty list. Ties keep the first one seen. */
export function worstState<S extends MonitoringState>(states: Iterable<S>): S | null {
  let worst: S | null = null;
  for (const s of states) if (worst === null || SEVERITY[s] > SEVERITY[worst]) worst = s;
  return worst;
}

export function isUpState(state: MonitoringState): state is UpState {
  return state === 'OK' || state === 'UP';
}

export function isProblemState(state: MonitoringState): boolean {
  return !isUpState(state);
}

/** The healthy state of the same family: UP for host states, OK for service states. */
export function upStateFor(state: MonitoringState): UpState {
  return isOneOf(HOST_STATES, state) ? 'UP' : 'OK';
}

// Customer wording per problem state: [confirmed (HARD), unconfirmed (SOFT)].
const PROBLEM_WORDING: Readonly<Record<Exclude<MonitoringState, UpState>, readonly [string, string]>> = {
  DOWN: ['is down.', 'may be down; we are checking again.'],
  UNREACHABLE: ['is unreachable.', 'may be unreachable; we are checking again.'],
  CRITICAL: ['is critical.', 'may be critical; we are checking again.'],
  WARNING: ['is at warning level.', 'may be at warning level; we are checking again.'],
  UNKNOWN: ['could not be checked.', 'could not be checked; we are trying again.'],
};

/**
 * What the wording reads of an event: a parsed one, or one as stored (lib/vms), where absent text is
 * null or empty; either way absent text is left out.
 */
export type WordedEvent = Pick<
  MonitoringEvent,
  'hostname' | 'service' | 'state' | 'stateType' | 'attempt' | 'maxAttempts' | 'occurredAt' | 'stateDurationSec'
> & { output?: string | null; longOutput?: string | null; perfdata?: string | null };

export interface SummarizeOptions {
  /** How to name the host, e.g. the VM's name in the portal. Defaults to the event's `hostname`. */
  hostLabel?: string;
  /**
   * The state of the same host or service before this event, when known. Only an OK/UP after a problem
   * "has recovered"; the first OK of a service that never failed (or one whose past is not known) "is OK".
   */
  previousState?: MonitoringState | null;
}

/**
 * Describe one event.
 * - `summary`: one plain sentence for a customer, e.g. "Disk space on web-01.acme.example is critical.",
 *   "web-01.acme.example is down.", "HTTP on web-01.acme.example has recovered." (after a problem, else
 *   "is OK." / "is up."). A SOFT problem is
 *   worded as unconfirmed ("may be critical; we are checking again.").
 * - `technical`: several lines: state, HARD/SOFT and attempt, plugin output, long output, perfdata,
 *   time (UTC) and how long the state has lasted.
 */
export function summarizeEvent(event: WordedEvent, level: DetailLevel, options: SummarizeOptions = {}): string {
  const host = options.hostLabel ?? event.hostname;
  const subject = event.service === null ? host : `${event.service} on ${host}`;

  if (level === 'summary') {
    if (isUpState(event.state)) {
      if (options.previousState && isProblemState(options.previousState)) return `${subject} has recovered.`;
      return `${subject} ${event.state === 'UP' ? 'is up' : 'is OK'}.`;
    }
    const [hard, soft] = PROBLEM_WORDING[event.state];
    return `${subject} ${event.stateType === 'SOFT' ? soft : hard}`;
  }

  const lines = [`${subject}: ${event.state} (${event.stateType}, attempt ${event.attempt} of ${event.maxAttempts})`];
  if (event.output) lines.push(`Output: ${event.output}`);
  if (event.longOutput) lines.push(event.longOutput);
  if (event.perfdata) lines.push(`Perfdata: ${event.perfdata}`);
  const at = `At: ${event.occurredAt.toISOString().replace('.000Z', 'Z')}`;
  lines.push(event.stateDurationSec > 0 ? `${at}, in this state for ${formatDuration(event.stateDurationSec, 4)}` : at);
  return lines.join('\n');
}
