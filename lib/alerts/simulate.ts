import { type DecisionEvent, decide, isProblem } from './decide';
import type { Rule } from './rule';

// "Over the last 7 days this rule would have sent N messages": decide() replayed over stored history,
// with the context the notifier would have had, derived from the events themselves.

export interface SimulatedMessage<E extends DecisionEvent = DecisionEvent> {
  at: Date;
  events: E[];
}

export interface Simulation<E extends DecisionEvent = DecisionEvent> {
  sent: SimulatedMessage<E>[];
  suppressed: Record<string, number>;
}

export function simulateRule<E extends DecisionEvent>(rule: Rule, events: readonly E[], { maintenance = [] as Array<{ vmId: number; from: Date; to: Date }> } = {}): Simulation<E> {
  const hostState = new Map<number, string>();
  const current = new Map<string, string>();
  const notified = new Map<string, string>();
  const sentTimes: number[] = [];
  const waiting: Array<{ due: number; key: string; state: string; event: E }> = [];
  const groups = new Map<string, SimulatedMessage<E>>();
  const sent: SimulatedMessage<E>[] = [];
  const suppressed: Record<string, number> = {};
  const send = (at: Date, e: E) => {
    sent.push({ at, events: [e] });
    sentTimes.push(at.getTime());
  };
  const flushUntil = (t: number) => {
    for (const w of waiting.filter((x) => x.due <= t)) {
      waiting.splice(waiting.indexOf(w), 1);
      // only a send counts as notified: a problem that cleared while waiting leaves no recovery to send
      if (current.get(w.key) === w.state) {
        send(new Date(w.due), w.event);
        notified.set(w.key, w.state);
      }
      else suppressed.resolved = (suppressed.resolved ?? 0) + 1;
    }
  };
  for (const e of events) {
    const t = new Date(e.occurredAt).getTime();
    flushUntil(t);
    const key = `${e.vmId}:${e.service}`;
    const decision = decide(rule, e, {
      now: new Date(t),
      hostState: hostState.get(e.vmId) ?? null,
      inMaintenance: maintenance.some((m) => m.vmId === e.vmId && m.from.getTime() <= t && m.to.getTime() > t),
      sentLastHour: sentTimes.filter((s) => s > t - 3_600_000).length,
      lastNotifiedState: notified.get(key) ?? null,
      contactVerified: true,
    });
    current.set(key, e.state);
    if (e.kind === 'host') hostState.set(e.vmId, e.state);
    if (decision.status === 'no-match') continue;
    if (decision.status === 'suppressed') {
      suppressed[decision.reason] = (suppressed[decision.reason] ?? 0) + 1;
      continue;
    }
    if (decision.status !== 'waiting') notified.set(key, e.state);
    if (decision.status === 'pending' || decision.status === 'held') send(decision.status === 'held' ? decision.dueAt : new Date(t), e);
    else if (decision.status === 'waiting') waiting.push({ due: decision.dueAt.getTime(), key, state: e.state, event: e });
    else {
      const open = [...groups.entries()].find(([, g]) => g.at.getTime() > t);
      if (open) open[1].events.push(e);
      else {
        const message: SimulatedMessage<E> = { at: decision.dueAt, events: [e] };
        groups.set(`${decision.groupKey}`, message);
        sent.push(message);
        sentTimes.push(decision.dueAt.getTime());
      }
    }
    if (!isProblem(e.state)) notified.delete(key);
  }
  flushUntil(Number.POSITIVE_INFINITY);
  sent.sort((a, b) => a.at.getTime() - b.at.getTime());
  return { sent, suppressed };
}
