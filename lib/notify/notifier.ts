import { afterWaiting, decide, matchRule, type Decision } from '../alerts/decide';
import { renderMessage } from '../alerts/render';
import { ruleSchema, type Rule } from '../alerts/rule';
import type { Database } from '../db/connection';
import {
  alertEvents,
  claimDue,
  claimForSending,
  claimOutbox,
  contactsById,
  currentState,
  enabledRules,
  finishOutbox,
  groupMembers,
  hostStates,
  insertDeliveries,
  lastNotifiedStates,
  openGroups,
  recentCounts,
  updateDelivery,
  vmsInMaintenance,
  type AlertEventRow,
  type DueDelivery,
  type NewDelivery,
  type NotifierConnection,
  type StoredContact,
} from '../db/queries/notifier';
import { databaseErrorAction } from '../db/errors';
import { rawTransaction } from '../db/raw-transaction';
import { checkForecasts } from './forecasts';
import type { Channel, Channels, ContactTarget, OutgoingMessage, SendResult } from './channels/types';

// The notifier: turns outbox rows into decisions (one delivery-log row per rule, event and contact),
// then works through the deliveries that are due: sends, retries with back-off, ends waits, flushes
// groups and digests. Every step is a short transaction over rows claimed with SKIP LOCKED, so any
// number of notifiers may run, and a notifier killed at any point loses nothing: an unfinished outbox
// row is still there, and a message whose sender died is sent again when its lease ends (the one repeat
// a crash can cause; webhooks carry an idempotency key for it).


export interface NotifierOptions {
  channels: Channels;
  /** Absolute portal URL for links in messages. */
  portalUrl: string;
  outboxBatch?: number;
  dueBatch?: number;
  pollMs?: number;
  /** How long a sender holds a message before another notifier may take it over. */
  leaseMs?: number;
  maxAttempts?: number;
  /** First retry after this; doubles per attempt up to maxBackoffMs. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Older events are history, not news (a spool flushed days later, an import): they alert nobody. */
  maxEventAgeMs?: number;
  /** How often rules' forecast triggers are checked (lib/notify/forecasts.ts); 0: never. */
  forecastIntervalMs?: number;
  now?: () => Date;
  log?: (line: string) => void;
  /** Told of every delivery attempt's outcome (lib/metrics/workers.ts counts them by channel). */
  observe?: (channel: string, outcome: 'sent' | 'retried' | 'failed') => void;
}

/**
 * A claim that lost a deadlock (two notifiers, or a Galera node's certification at COMMIT) runs again at
 * once: nothing is sent before its COMMIT, so running it again repeats nothing.
 */
const CONFLICT_ATTEMPTS = 4;

/**
 * What a send did is recorded even across a database failover (a Galera node killed, HAProxy moving to
 * the next): the message is out, and an unrecorded one would go out again when its lease ends. Retried
 * for about 6 s, well inside the lease, on the errors that say nothing about the data.
 */
async function recordOutcome(write: () => Promise<unknown>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await write();
      return;
    } catch (error) {
      if (attempt >= 6 || databaseErrorAction(error) !== 'retry') throw error;
      await new Promise((r) => setTimeout(r, 200 * 2 ** (attempt - 1)));
    }
  }
}

const PROBLEM = new Set(['WARNING', 'CRITICAL', 'UNKNOWN', 'DOWN', 'UNREACHABLE']);

export class Notifier {
  readonly stats = { decided: 0, sent: 0, failed: 0, retried: 0 };
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private readonly rules = new Map<number, { raw: string; rule: Rule | null }>();
  private readonly o: Required<Omit<NotifierOptions, 'channels' | 'portalUrl'>> & Pick<NotifierOptions, 'channels' | 'portalUrl'>;

  constructor(
    private readonly db: Database,
    options: NotifierOptions,
  ) {
    this.o = {
      outboxBatch: 200,
      dueBatch: 100,
      pollMs: 250,
      leaseMs: 60_000,
      maxAttempts: 10,
      backoffMs: 5_000,
      maxBackoffMs: 600_000,
      maxEventAgeMs: 24 * 3_600_000,
      forecastIntervalMs: 15 * 60_000,
      now: () => new Date(),
      log: (line) => console.log(`[notifier] ${line}`),
      observe: () => {},
      ...options,
    };
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Finishes the step in flight (a message being sent is recorded), then stops. Safe to call twice. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    await Promise.all(Object.values(this.o.channels).map((c) => c?.close()));
  }

  private async run(): Promise<void> {
    let forecastsDue = 0;
    while (this.running) {
      let busy = false;
      try {
        if (this.o.forecastIntervalMs > 0 && Date.now() >= forecastsDue) {
          forecastsDue = Date.now() + this.o.forecastIntervalMs;
          const checked = await checkForecasts(this.db, this.o.portalUrl, this.o.now());
          if (checked.messages > 0) this.o.log(`forecasts: ${checked.messages} message(s) about ${checked.notices} finding(s) on ${checked.vms} VM(s)`);
        }
        busy = (await this.decideOutbox()) > 0;
        busy = (await this.workDue()) > 0 || busy;
      } catch (error) {
        this.o.log(`step failed, retrying: ${(error as Error).message}`);
      }
      if (!busy && this.running) await new Promise<void>((resolve) => ((this.wake = resolve), setTimeout(resolve, this.o.pollMs)));
    }
  }

  /** One step of both halves until nothing is left: for tests and benchmarks. */
  async drain(): Promise<void> {
    while ((await this.decideOutbox()) + (await this.workDue()) > 0);
  }

  private parsedRule(id: number, definition: unknown): Rule | null {
    const raw = JSON.stringify(definition);
    const cached = this.rules.get(id);
    if (cached?.raw === raw) return cached.rule;
    const parsed = ruleSchema.safeParse(definition);
    const rule = parsed.success ? parsed.data : null;
    if (!parsed.success) this.o.log(`rule ${id} does not parse and is skipped: ${parsed.error.issues[0]?.message}`);
    this.rules.set(id, { raw, rule });
    return rule;
  }

  /** Claims a batch of outbox rows and records every rule's decision for them. Returns the rows taken. */
  async decideOutbox(): Promise<number> {
    const decided = await rawTransaction(
      this.db,
      async (connection) => {
        const { outboxIds, events } = await claimOutbox(connection, this.o.outboxBatch);
        if (outboxIds.length === 0) return 0;
        const now = this.o.now();
        const rows = await this.decisions(connection, events, now);
        await insertDeliveries(connection, rows);
        await finishOutbox(connection, outboxIds);
        return outboxIds.length;
      },
      { conflictAttempts: CONFLICT_ATTEMPTS },
    );
    this.stats.decided += decided;
    return decided;
  }

  private async decisions(connection: NotifierConnection, events: AlertEventRow[], now: Date): Promise<NewDelivery[]> {
    const accountIds = [...new Set(events.map((e) => e.accountId))];
    const stored = await enabledRules(connection, accountIds);
    const rulesByAccount = new Map<number, Array<{ id: number; rule: Rule }>>();
    for (const r of stored) {
      const rule = this.parsedRule(r.id, r.definition);
      if (!rule || !rule.enabled) continue;
      rulesByAccount.set(r.accountId, [...(rulesByAccount.get(r.accountId) ?? []), { id: r.id, rule }]);
    }
    // Match first: the context queries are only for the pairs that match.
    const matches: Array<{ event: AlertEventRow; ruleId: number; rule: Rule }> = [];
    for (const event of events) {
      if (now.getTime() - new Date(event.occurredAt).getTime() > this.o.maxEventAgeMs) continue;
      for (const { id, rule } of rulesByAccount.get(event.accountId) ?? []) if (matchRule(rule, event).ok) matches.push({ event, ruleId: id, rule });
    }
    if (matches.length === 0) return [];
    const vmIds = [...new Set(matches.map((m) => m.event.vmId))];
    const ruleIds = [...new Set(matches.map((m) => m.ruleId))];
    const [contacts, hosts, maintenance, counts, notified, groups] = await Promise.all([
      contactsById(connection, [...new Set(matches.flatMap((m) => m.rule.contactIds))]),
      hostStates(connection, vmIds),
      vmsInMaintenance(connection, vmIds, now),
      recentCounts(connection, ruleIds, new Date(now.getTime() - 3_600_000)),
      lastNotifiedStates(
        connection,
        matches.map((m) => [m.ruleId, m.event.vmId, m.event.service]),
      ),
      openGroups(connection, ruleIds, now),
    ]);
    const rows: NewDelivery[] = [];
    for (const { event, ruleId, rule } of matches) {
      const subject = `${ruleId}:${event.vmId}:${event.service}`;
      let notifying = false;
      for (const contactId of rule.contactIds) {
        const contact = contacts.get(contactId);
        // A contact of another account is never used, whatever the rule says.
        if (!contact || contact.accountId !== event.accountId) continue;
        const countKey = `${ruleId}:${contactId}`;
        let decision = decide(rule, event, {
          now,
          hostState: hosts.get(event.vmId) ?? null,
          inMaintenance: maintenance.has(event.vmId),
          sentLastHour: counts.get(countKey) ?? 0,
          lastNotifiedState: notifiedState(notified.get(subject), event.state),
          contactVerified: contact.verified,
        });
        if (decision.status === 'no-match') continue;
        if (decision.status === 'grouped' || decision.status === 'digested') {
          // One group per rule and contact: what arrives while one is open joins it.
          const key = `${ruleId}:${contactId}:${decision.status}`;
          const open = groups.get(key) ?? { groupKey: `${ruleId}:${contactId}:${decision.groupKey}`, dueAt: decision.dueAt };
          groups.set(key, open);
          decision = { ...decision, groupKey: open.groupKey, dueAt: open.dueAt };
        }
        if (decision.status === 'pending') counts.set(countKey, (counts.get(countKey) ?? 0) + 1);
        notifying ||= decision.status !== 'suppressed';
        rows.push(this.deliveryRow(rule, ruleId, event, contact, decision, now));
      }
      // Later events of the same batch see this one as notified.
      if (notifying) notified.set(subject, { state: event.state, waiting: rule.forMinutes > 0 && PROBLEM.has(event.state) });
    }
    return rows;
  }

  private deliveryRow(rule: Rule, ruleId: number, event: AlertEventRow, contact: StoredContact, decision: Exclude<Decision, { status: 'no-match' }>, now: Date): NewDelivery {
    const message = this.render(rule, [event], idempotencyKey(ruleId, event.eventId, contact.id, 0));
    return {
      accountId: event.accountId,
      ruleId,
      eventId: event.eventId,
      contactId: contact.id,
      seq: 0,
      vmId: event.vmId,
      service: event.service,
      state: event.state,
      channel: contact.kind,
      status: decision.status,
      reason: decision.reason,
      detail: 'detail' in decision ? decision.detail.slice(0, 1024) : null,
      groupKey: 'groupKey' in decision ? decision.groupKey : null,
      subject: message.subject.slice(0, 255),
      body: JSON.stringify(message),
      dueAt: decision.status === 'pending' ? now : 'dueAt' in decision ? decision.dueAt : null,
      createdAt: now,
      updatedAt: now,
    };
  }

  private render(rule: Rule, events: AlertEventRow[], key: string): OutgoingMessage {
    const base = this.o.portalUrl.replace(/\/$/, '');
    return renderMessage(rule.detail, events, { ruleName: rule.name, portalUrl: base, vmUrl: (vmId: number) => `${base}/vms/${vmId}`, idempotencyKey: key });
  }

  /** Works through the deliveries that are due. Returns how many were taken. */
  async workDue(): Promise<number> {
    const now = this.o.now();
    const toSend: DueDelivery[] = [];
    const taken = await rawTransaction(this.db, async (connection) => {
      toSend.length = 0; // a transaction run again after a lost conflict starts over
      const due = await claimDue(connection, now, this.o.dueBatch);
      const flushed = new Set<string>();
      // A 'sending' row here is one whose sender died: its lease ran out.
      const sending = due.filter((d) => d.status === 'pending' || d.status === 'sending');
      await claimForSending(
        connection,
        sending.map((d) => d.id),
        new Date(now.getTime() + this.o.leaseMs),
        now,
      );
      toSend.push(...sending.map((d) => ({ ...d, attempts: d.attempts + 1 })));
      for (const d of due) {
        if (d.status === 'pending' || d.status === 'sending') continue;
        if (d.status === 'held') {
          await updateDelivery(connection, d.id, { status: 'pending', reason: 'held-until-window-end', dueAt: now }, now);
        } else if (d.status === 'waiting') {
          await this.endWait(connection, d, now);
        } else if (d.groupKey && !flushed.has(d.groupKey)) {
          flushed.add(d.groupKey);
          await this.flushGroup(connection, d.groupKey, now);
        }
      }
      return due.length;
    }, { conflictAttempts: CONFLICT_ATTEMPTS });
    if (toSend.length > 0) {
      // One read of the batch's contacts and rules, not one per message: at hundreds of messages a
      // second these reads, not SMTP, were what kept the notifier behind a bare nodemailer loop.
      const { contacts, repeatMinutes } = await this.sendContext(toSend);
      await Promise.all(toSend.map((d) => this.send(d, contacts.get(d.contactId), repeatMinutes.get(d.ruleId) ?? null)));
    }
    return taken;
  }

  private async sendContext(batch: DueDelivery[]) {
    const pool = this.db.$client;
    const [contacts, rules] = await Promise.all([
      contactsById(pool, [...new Set(batch.map((d) => d.contactId))]),
      enabledRules(pool, [...new Set(batch.map((d) => d.accountId))]),
    ]);
    const repeatMinutes = new Map<number, number | null>();
    for (const r of rules) repeatMinutes.set(r.id, this.parsedRule(r.id, r.definition)?.repeatMinutes ?? null);
    return { contacts, repeatMinutes };
  }

  /** "Only if still in that state after N minutes", and repeats while unresolved: is it still so? */
  private async endWait(connection: NotifierConnection, d: DueDelivery, now: Date): Promise<void> {
    const state = await currentState(connection, d.vmId, d.service);
    if (state === d.state) {
      // Still so: now quiet hours, digests and groups apply, as to any message ready to go.
      const rule = d.reason === 'repeat' ? null : await this.ruleFor(connection, d);
      const next = rule ? afterWaiting(rule, d.state, now) : ({ status: 'pending', reason: 'send' } as const);
      if (next.status === 'suppressed') await updateDelivery(connection, d.id, { status: 'suppressed', reason: next.reason, detail: next.detail, dueAt: null }, now);
      else if (next.status === 'pending') await updateDelivery(connection, d.id, { status: 'pending', dueAt: now }, now);
      else {
        const groupKey = 'groupKey' in next ? `${d.ruleId}:${d.contactId}:${next.groupKey}` : undefined;
        await updateDelivery(connection, d.id, { status: next.status, reason: next.reason, dueAt: next.dueAt, ...(groupKey ? { groupKey } : {}) }, now);
      }
    } else {
      await updateDelivery(
        connection,
        d.id,
        { status: 'suppressed', reason: 'resolved', detail: `It was ${state === null ? 'no longer known' : `${state} again`} by then.`, dueAt: null },
        now,
      );
    }
  }

  /** One message for a whole group or digest; a host that is down speaks for its services. */
  private async flushGroup(connection: NotifierConnection, groupKey: string, now: Date): Promise<void> {
    const members = await groupMembers(connection, groupKey);
    if (members.length === 0) return;
    const events = new Map((await alertEvents(connection, members.map((m) => m.eventId))).map((e) => [e.eventId, e]));
    const hostDown = new Set(members.filter((m) => m.service === '' && (m.state === 'DOWN' || m.state === 'UNREACHABLE')).map((m) => m.vmId));
    const inhibited = members.filter((m) => m.service !== '' && hostDown.has(m.vmId));
    const kept = members.filter((m) => !inhibited.includes(m));
    await updateDelivery(
      connection,
      inhibited.map((m) => m.id),
      { status: 'suppressed', reason: 'inhibited', detail: 'The server itself was down: its message covers this service.', dueAt: null },
      now,
    );
    const carrier = kept[0];
    if (!carrier) return;
    const rule = await this.ruleFor(connection, carrier);
    const message = this.render(
      rule ?? fallbackRule,
      kept.map((m) => events.get(m.eventId)).filter((e): e is AlertEventRow => e !== undefined),
      idempotencyKey(carrier.ruleId, carrier.eventId, carrier.contactId, carrier.seq),
    );
    await updateDelivery(connection, carrier.id, { status: 'pending', dueAt: now, subject: message.subject, body: JSON.stringify(message) }, now);
    await updateDelivery(
      connection,
      kept.slice(1).map((m) => m.id),
      { dueAt: null, carriedBy: carrier.id, status: carrier.status === 'digested' ? 'digested' : 'grouped' },
      now,
    );
  }

  private async ruleFor(connection: NotifierConnection, d: Pick<DueDelivery, 'ruleId' | 'accountId'>): Promise<Rule | null> {
    const stored = (await enabledRules(connection, [d.accountId])).find((r) => r.id === d.ruleId);
    return stored ? this.parsedRule(stored.id, stored.definition) : null;
  }

  private async send(d: DueDelivery, contact: StoredContact | undefined, repeatMinutes: number | null): Promise<void> {
    const now = () => this.o.now();
    let result: SendResult;
    try {
      const message = JSON.parse(d.body ?? '{}') as OutgoingMessage;
      result = await this.deliver(contact, message);
    } catch (error) {
      result = { ok: false, error: { error: (error as Error).message, retryable: true } };
    }
    const pool = this.db.$client;
    if (result.ok) {
      this.stats.sent++;
      this.o.observe(d.channel, 'sent');
      await recordOutcome(() => updateDelivery(pool, d.id, { status: 'sent', reason: 'sent', response: result.value.response, dueAt: null }, now()));
      if (repeatMinutes) await this.scheduleRepeat(d, repeatMinutes);
      return;
    }
    const { error, retryable } = result.error;
    if (retryable && d.attempts < this.o.maxAttempts) {
      this.stats.retried++;
      this.o.observe(d.channel, 'retried');
      const wait = Math.min(this.o.backoffMs * 2 ** (d.attempts - 1), this.o.maxBackoffMs);
      await recordOutcome(() =>
        updateDelivery(
          pool,
          d.id,
          { status: 'pending', reason: 'retrying', detail: `Attempt ${d.attempts} of ${this.o.maxAttempts} failed: ${error}`, response: error, dueAt: new Date(now().getTime() + wait) },
          now(),
        ),
      );
    } else {
      this.stats.failed++;
      this.o.observe(d.channel, 'failed');
      await recordOutcome(() =>
        updateDelivery(
          pool,
          d.id,
          { status: 'failed', reason: retryable ? 'gave-up' : 'rejected', detail: `Attempt ${d.attempts} failed: ${error}`, response: error, dueAt: null },
          now(),
        ),
      );
    }
  }

  private async deliver(contact: StoredContact | undefined, message: OutgoingMessage): Promise<SendResult> {
    if (!contact) return { ok: false, error: { error: 'The contact was removed.', retryable: false } };
    if (contact.kind === 'alarm') return { ok: true, value: { response: 'Shown on open dashboards.' } };
    const target = contactTarget(contact);
    const channel = this.o.channels[contact.kind] as Channel | undefined;
    if (!channel) return { ok: false, error: { error: `No ${contact.kind} channel is configured on this notifier.`, retryable: false } };
    return channel.send(target, message);
  }

  /** A problem sent under a rule that repeats: the next reminder waits for its time (and is dropped if resolved). */
  private async scheduleRepeat(d: DueDelivery, repeatMinutes: number): Promise<void> {
    if (!PROBLEM.has(d.state)) return;
    const now = this.o.now();
    const message = JSON.parse(d.body ?? '{}') as OutgoingMessage;
    const seq = d.seq + 1;
    await insertDeliveries(this.db.$client, [
      {
        accountId: d.accountId,
        ruleId: d.ruleId,
        eventId: d.eventId,
        contactId: d.contactId,
        seq,
        vmId: d.vmId,
        service: d.service,
        state: d.state,
        channel: d.channel,
        status: 'waiting',
        reason: 'repeat',
        subject: `Still: ${message.subject}`.slice(0, 255),
        body: JSON.stringify({ ...message, subject: `Still: ${message.subject}`, idempotencyKey: idempotencyKey(d.ruleId, d.eventId, d.contactId, seq) }),
        dueAt: new Date(now.getTime() + repeatMinutes * 60_000),
        createdAt: now,
        updatedAt: now,
      },
    ]);
  }
}

/**
 * What "last notified" means for a decision: a problem still waiting out its N minutes has not been sent,
 * so its recovery is no news (and the wait ends as "resolved"), while the same problem again is a duplicate.
 */
function notifiedState(last: { state: string; waiting: boolean } | undefined, state: string): string | null {
  if (!last) return null;
  if (last.waiting && !PROBLEM.has(state)) return null;
  return last.state;
}

/** Rendering a group whose rule was since removed or switched off. */
const fallbackRule = { name: 'Alert', detail: 'summary' } as Rule;

export function idempotencyKey(ruleId: number, eventId: number, contactId: number, seq: number): string {
  return `porthole-${ruleId}-${eventId}-${contactId}-${seq}`;
}

export function contactTarget(contact: Pick<StoredContact, 'kind' | 'target' | 'options'>): ContactTarget {
  const options = contact.options ?? {};
  switch (contact.kind) {
    case 'email':
      return { kind: 'email', address: contact.target };
    case 'sms':
      return { kind: 'sms', number: contact.target };
    case 'webhook':
      return { kind: 'webhook', url: contact.target, secret: options.secret ?? '', preset: (options.preset as 'generic' | 'slack' | 'ntfy' | undefined) ?? 'generic' };
    case 'push':
      return { kind: 'push', endpoint: contact.target, keys: { p256dh: options.p256dh ?? '', auth: options.auth ?? '' } };
    case 'alarm':
      throw new Error('the alarm has no target');
  }
}
