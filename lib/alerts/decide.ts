import { fail, ok, type Result } from '../result';
import { PROBLEM_STATES, type Rule } from './rule';
import { nextDigestAt, quietWindowAt } from './timing';

// What one rule does with one stored event for one contact: the pure heart of alerting. The notifier
// gathers the context (host state, maintenance, counts, what was last notified) and records the answer.

export interface AlertEvent {
  eventId: number;
  vmId: number;
  vmName: string;
  kind: 'host' | 'service';
  /** '' for the host itself. */
  service: string;
  state: string;
  stateType: 'HARD' | 'SOFT';
  attempt: number;
  maxAttempts: number;
  occurredAt: Date;
  output: string | null;
  perfdata: string | null;
  nagiosHostName: string | null;
  address: string | null;
  /** The account's time zone (accounts.time_zone): the times in its messages are written in it. UTC if absent. */
  timeZone?: string;
}

/** What a rule's decision reads of an event: the notifier passes whole events, the preview only these. */
export type DecisionEvent = Pick<AlertEvent, 'vmId' | 'vmName' | 'kind' | 'service' | 'state' | 'stateType' | 'occurredAt'>;

export interface DecisionContext {
  now: Date;
  /** The VM's current host state: a host DOWN or UNREACHABLE speaks for its services. */
  hostState: string | null;
  inMaintenance: boolean;
  /** Messages this rule sent this contact in the last hour. */
  sentLastHour: number;
  /** The last state this rule notified for (vm, service); null if none. */
  lastNotifiedState: string | null;
  contactVerified: boolean;
}

export type SuppressReason = 'inhibited' | 'maintenance' | 'quiet-hours' | 'throttled' | 'duplicate' | 'not-verified' | 'recovery-not-notified';

export type Decision =
  | { status: 'no-match'; reason: string }
  | { status: 'suppressed'; reason: SuppressReason; detail: string }
  | { status: 'pending'; reason: 'send' }
  | { status: 'waiting'; reason: 'for-minutes'; dueAt: Date }
  | { status: 'held'; reason: 'quiet-hours'; dueAt: Date }
  | { status: 'grouped'; reason: 'group'; dueAt: Date; groupKey: string }
  | { status: 'digested'; reason: 'digest'; dueAt: Date; groupKey: string };

const PROBLEMS = new Set<string>(PROBLEM_STATES);
export const isProblem = (state: string) => PROBLEMS.has(state);
export const isRecovery = (state: string) => state === 'OK' || state === 'UP';
const URGENT = new Set(['CRITICAL', 'DOWN']);
export const isUrgent = (state: string) => URGENT.has(state);

/** A name pattern with * (any run) and ? (one character), whole name, case-insensitive. */
export function globMatches(pattern: string, name: string): boolean {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`, 'i').test(name);
}

export function matchRule(rule: Rule, e: DecisionEvent): Result<true, string> {
  if (!rule.enabled) return fail('The rule is switched off.');
  if (rule.vms !== 'all' && !rule.vms.includes(e.vmId)) return fail(`${e.vmName} is not one of the rule's VMs.`);
  if (e.kind === 'host') {
    if (!rule.hostEvents) return fail('The rule is not about the server itself being up or down.');
  } else {
    const s = rule.services;
    if (s.mode === 'none') return fail('The rule is about no services.');
    if (s.mode === 'chosen' && !s.names.includes(e.service)) return fail(`${e.service} is not one of the rule's services.`);
    if (s.mode === 'pattern' && !globMatches(s.pattern, e.service)) return fail(`${e.service} does not match "${s.pattern}".`);
  }
  if (rule.hardOnly && e.stateType === 'SOFT') return fail('The rule waits for confirmed (HARD) states; this one was not confirmed yet.');
  const trigger = isRecovery(e.state) ? 'RECOVERY' : e.state;
  if (!(rule.triggers as string[]).includes(trigger)) return fail(`The rule is not about ${isRecovery(e.state) ? 'recoveries' : e.state}.`);
  return ok(true);
}

export function decide(rule: Rule, e: DecisionEvent, ctx: DecisionContext): Decision {
  const matched = matchRule(rule, e);
  if (!matched.ok) return { status: 'no-match', reason: matched.error };
  if (!ctx.contactVerified) return { status: 'suppressed', reason: 'not-verified', detail: 'The contact is not verified yet.' };
  if (ctx.inMaintenance) return { status: 'suppressed', reason: 'maintenance', detail: 'A maintenance window covers this VM.' };
  if (e.kind === 'service' && (ctx.hostState === 'DOWN' || ctx.hostState === 'UNREACHABLE')) {
    return { status: 'suppressed', reason: 'inhibited', detail: `The server itself is ${ctx.hostState}: that message covers its services.` };
  }
  const recovery = isRecovery(e.state);
  if (recovery && (ctx.lastNotifiedState === null || !isProblem(ctx.lastNotifiedState))) {
    return { status: 'suppressed', reason: 'recovery-not-notified', detail: 'This rule sent no message about the problem, so none about its end.' };
  }
  if (!recovery && ctx.lastNotifiedState === e.state) return { status: 'suppressed', reason: 'duplicate', detail: `This rule already reported ${e.state}.` };
  if (rule.maxPerHour !== null && ctx.sentLastHour >= rule.maxPerHour) {
    return { status: 'suppressed', reason: 'throttled', detail: `The rule allows at most ${rule.maxPerHour} an hour.` };
  }
  if (!recovery && rule.forMinutes > 0) {
    const due = Math.max(ctx.now.getTime(), e.occurredAt.getTime() + rule.forMinutes * 60_000);
    return { status: 'waiting', reason: 'for-minutes', dueAt: new Date(due) };
  }
  return afterWaiting(rule, e.state, ctx.now);
}

/** Quiet hours, digests and groups: applied when a message is ready to go (also after a wait ends). */
export function afterWaiting(rule: Rule, state: string, now: Date): Exclude<Decision, { status: 'no-match' | 'waiting' }> {
  if (rule.quiet) {
    const quiet = quietWindowAt(rule.quiet, rule.timeZone, now);
    if (quiet.inside) {
      if (rule.quiet.action === 'hold') return { status: 'held', reason: 'quiet-hours', dueAt: quiet.endsAt };
      if (rule.quiet.action === 'drop' || !isUrgent(state)) {
        return { status: 'suppressed', reason: 'quiet-hours', detail: rule.quiet.action === 'drop' ? 'Inside quiet hours (dropped).' : 'Inside quiet hours, and not urgent.' };
      }
    }
  }
  if (rule.digest) {
    const dueAt = nextDigestAt(rule.digest, rule.timeZone, now);
    return { status: 'digested', reason: 'digest', dueAt, groupKey: `digest:${dueAt.toISOString()}` };
  }
  if (rule.groupMinutes > 0) {
    const dueAt = new Date(now.getTime() + rule.groupMinutes * 60_000);
    return { status: 'grouped', reason: 'group', dueAt, groupKey: `group:${now.getTime()}` };
  }
  return { status: 'pending', reason: 'send' };
}
