import { randomUUID } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import type { Rule } from '../alerts/rule';
import { createDb } from '../db/connection';
import { type EventToStore, storeBatch } from '../db/queries/event-store';
import { accounts, alertContacts, alertDeliveries, alertOutbox, alertRules, monitoringEvents, plans, vms } from '../db/schema';
import { Notifier } from './notifier';

// The notifier against the real MariaDB: decisions in the delivery log, timers, groups and inhibition.
// Messages go to the audible alarm here (no network); the channels have tests of their own against real servers.
const { db, pool } = createDb(process.env.DATABASE_URL!, { connectionLimit: 6 });
const run = randomUUID().slice(0, 8);
const T0 = Date.UTC(2026, 11, 2, 12, 0, 0);

afterAll(async () => {
  await pool.end();
});

let n = 0;
async function fixture(name: string, ruleOverrides: Partial<Rule> = {}) {
  const slug = `n-${run}-${name}`;
  await db.insert(accounts).values({ slug, name: slug });
  const [account] = await db.select().from(accounts).where(eq(accounts.slug, slug));
  const [plan] = await db.select().from(plans).limit(1);
  const host = `${slug}.example`;
  await db.insert(vms).values({ accountId: account!.id, nagiosHostName: host, hostname: host, address: `10.9.${n % 250}.${(n++ % 250) + 1}`, ubuntuRelease: '24.04', planId: plan!.id });
  const [vm] = await db.select().from(vms).where(eq(vms.nagiosHostName, host));
  await db.insert(alertContacts).values({ accountId: account!.id, kind: 'alarm', label: 'Alarm', target: '', targetKey: 'a'.repeat(64), verifiedAt: new Date(T0) });
  const [contact] = await db.select().from(alertContacts).where(eq(alertContacts.accountId, account!.id));
  const rule: Rule = {
    name: `rule ${name}`,
    enabled: true,
    vms: 'all',
    hostEvents: true,
    services: { mode: 'all' },
    triggers: ['WARNING', 'CRITICAL', 'UNKNOWN', 'DOWN', 'UNREACHABLE', 'RECOVERY'],
    hardOnly: true,
    forMinutes: 0,
    repeatMinutes: null,
    maxPerHour: null,
    groupMinutes: 0,
    digest: null,
    quiet: null,
    timeZone: 'UTC',
    detail: 'summary',
    contactIds: [contact!.id],
    forecast: null,
    mailChecks: false,
    ...ruleOverrides,
  };
  const [ruleRow] = await db
    .insert(alertRules)
    .values({ accountId: account!.id, name: rule.name, enabled: true, definition: rule, createdAt: new Date(T0), updatedAt: new Date(T0) })
    .$returningId();
  return { accountId: account!.id, vmId: vm!.id, host, contactId: contact!.id, ruleId: ruleRow!.id };
}

let k = 0;
function event(host: string, at: number, service: string, state: string, extra: Partial<EventToStore> = {}): EventToStore {
  k++;
  return {
    key: `notify-${run}-${String(k).padStart(8, '0')}`.padEnd(64, 'x'),
    check: false,
    kind: service === '' ? 'host' : 'service',
    hostname: host,
    hostName: host,
    service,
    state,
    stateType: 'HARD',
    stateDurationSec: 0,
    attempt: 3,
    maxAttempts: 3,
    occurredAt: new Date(at),
    output: `${state} - output of ${service || 'host'} on 10.1.2.3`,
    samples: [],
    ...extra,
  };
}

class Clock {
  constructor(public t: number) {}
  now = () => new Date(this.t);
  advance(ms: number) {
    this.t += ms;
  }
}

function notifier(clock: Clock) {
  return new Notifier(db, { channels: {}, portalUrl: 'http://portal.test', now: clock.now, log: () => undefined });
}

const deliveries = (ruleId: number) => db.select().from(alertDeliveries).where(eq(alertDeliveries.ruleId, ruleId)).orderBy(alertDeliveries.id);
const messagesSent = async (ruleId: number) => (await deliveries(ruleId)).filter((d) => d.status === 'sent').length;

describe('the alert outbox', () => {
  it('is written with the event, once per event, and only for events of a known VM', async () => {
    const f = await fixture('outbox');
    const e = event(f.host, T0, 'HTTP', 'CRITICAL');
    await storeBatch(db, { events: [e, event(`unknown-${run}.example`, T0, 'HTTP', 'CRITICAL')] });
    await storeBatch(db, { events: [e] }); // the same event delivered twice
    const [stored] = await db.select({ id: monitoringEvents.id }).from(monitoringEvents).where(eq(monitoringEvents.eventKey, e.key));
    const rows = await db.select().from(alertOutbox).where(eq(alertOutbox.eventId, stored!.id));
    expect(rows).toHaveLength(1);
    const clock = new Clock(T0);
    await notifier(clock).drain();
    await storeBatch(db, { events: [e] });
    await notifier(clock).drain();
    const decided = await deliveries(f.ruleId);
    expect(decided).toHaveLength(1);
    expect(decided[0]).toMatchObject({ status: 'sent', reason: 'sent', channel: 'alarm', state: 'CRITICAL', service: 'HTTP' });
  });
});

describe('several notifiers', () => {
  it('two at once on the same outbox: every message decided and sent exactly once', async () => {
    const f = await fixture('two-notifiers', { hostEvents: false });
    const clock = new Clock(T0 + 6_000);
    const events = Array.from({ length: 120 }, (_, i) => event(f.host, T0 + i, `svc-${i}`, i % 2 ? 'CRITICAL' : 'WARNING'));
    for (let i = 0; i < events.length; i += 20) await storeBatch(db, { events: events.slice(i, i + 20) });
    const a = new Notifier(db, { channels: {}, portalUrl: 'http://portal.test', now: clock.now, log: () => undefined, outboxBatch: 7, dueBatch: 5 });
    const b = new Notifier(db, { channels: {}, portalUrl: 'http://portal.test', now: clock.now, log: () => undefined, outboxBatch: 7, dueBatch: 5 });
    await Promise.all([a.drain(), b.drain(), a.drain(), b.drain()]);
    const rows = await deliveries(f.ruleId);
    expect(rows).toHaveLength(120);
    expect(rows.filter((d) => d.status === 'sent')).toHaveLength(120);
    expect(new Set(rows.map((d) => d.eventId)).size).toBe(120);
    expect(rows.every((d) => d.attempts === 1)).toBe(true);
    expect(Math.min(a.stats.sent, b.stats.sent)).toBeGreaterThan(0);
    expect(a.stats.sent + b.stats.sent).toBe(120);
  });
});

describe('an outage storm: a host DOWN and 30 services CRITICAL on it', () => {
  const storm = (host: string) => [
    ...Array.from({ length: 30 }, (_, i) => event(host, T0 + i * 100, `svc-${String(i).padStart(2, '0')}`, 'CRITICAL')),
    event(host, T0 + 5_000, '', 'DOWN'),
  ];

  it('with grouping (and the host speaking for its services) gives exactly one message', async () => {
    const f = await fixture('storm-grouped', { groupMinutes: 2 });
    const clock = new Clock(T0 + 6_000);
    const worker = notifier(clock);
    await storeBatch(db, { events: storm(f.host) });
    await worker.drain();
    expect(await messagesSent(f.ruleId)).toBe(0);
    clock.advance(2 * 60_000 + 1);
    await worker.drain();
    const rows = await deliveries(f.ruleId);
    expect(rows.filter((d) => d.status === 'sent')).toHaveLength(1);
    const sent = rows.find((d) => d.status === 'sent')!;
    expect(sent.service).toBe('');
    expect(rows.filter((d) => d.reason === 'inhibited')).toHaveLength(30);
    expect(rows).toHaveLength(31);
  });

  it('with grouping off and services reported after the host went down: one message, 30 inhibited', async () => {
    const f = await fixture('storm-inhibited');
    const clock = new Clock(T0 + 6_000);
    const down = event(f.host, T0, '', 'DOWN');
    await storeBatch(db, { events: [down] });
    await notifier(clock).drain();
    await storeBatch(db, { events: Array.from({ length: 30 }, (_, i) => event(f.host, T0 + 1000 + i, `svc-${i}`, 'CRITICAL')) });
    await notifier(clock).drain();
    const rows = await deliveries(f.ruleId);
    expect(rows.filter((d) => d.status === 'sent')).toHaveLength(1);
    expect(rows.filter((d) => d.status === 'suppressed' && d.reason === 'inhibited')).toHaveLength(30);
  });

  it('without host events in the rule and no grouping: one message per service, as the rule says', async () => {
    const f = await fixture('storm-plain', { hostEvents: false });
    const clock = new Clock(T0 + 6_000);
    await storeBatch(db, { events: storm(f.host).slice(0, 30) });
    await notifier(clock).drain();
    expect(await messagesSent(f.ruleId)).toBe(30);
  });
});

describe('timing', () => {
  it('"for 10 minutes": sent when still CRITICAL after 10 minutes, dropped when it recovered before', async () => {
    const f = await fixture('for-minutes', { forMinutes: 10 });
    const clock = new Clock(T0);
    const worker = notifier(clock);
    await storeBatch(db, { events: [event(f.host, T0, 'disk', 'CRITICAL'), event(f.host, T0, 'http', 'CRITICAL')] });
    await worker.drain();
    expect((await deliveries(f.ruleId)).map((d) => d.status)).toEqual(['waiting', 'waiting']);
    clock.advance(5 * 60_000);
    await storeBatch(db, { events: [event(f.host, clock.t, 'http', 'OK')] });
    await worker.drain();
    clock.advance(5 * 60_000 + 1);
    await worker.drain();
    const rows = await deliveries(f.ruleId);
    expect(rows.find((d) => d.service === 'disk')).toMatchObject({ status: 'sent' });
    expect(rows.find((d) => d.service === 'http' && d.state === 'CRITICAL')).toMatchObject({ status: 'suppressed', reason: 'resolved' });
    // The recovery of a problem that was never notified is not news either.
    expect(rows.find((d) => d.service === 'http' && d.state === 'OK')).toMatchObject({ status: 'suppressed' });
  });

  it('at most 2 an hour: the third is suppressed as throttled', async () => {
    const f = await fixture('throttle', { maxPerHour: 2 });
    const clock = new Clock(T0);
    await storeBatch(db, { events: ['a', 'b', 'c'].map((s, i) => event(f.host, T0 + i, s, 'CRITICAL')) });
    await notifier(clock).drain();
    const rows = await deliveries(f.ruleId);
    expect(rows.map((d) => d.status)).toEqual(['sent', 'sent', 'suppressed']);
    expect(rows[2]!.reason).toBe('throttled');
  });

  it('quiet hours with "hold": held until the window ends, then sent', async () => {
    const f = await fixture('quiet', { quiet: { windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], from: '11:00', to: '13:00' }], action: 'hold' } });
    const clock = new Clock(T0); // 12:00 UTC
    const worker = notifier(clock);
    await storeBatch(db, { events: [event(f.host, T0, 'disk', 'WARNING')] });
    await worker.drain();
    const [held] = await deliveries(f.ruleId);
    expect(held).toMatchObject({ status: 'held', reason: 'quiet-hours' });
    expect(held!.dueAt!.toISOString()).toBe('2026-12-02T13:00:00.000Z');
    clock.advance(60 * 60_000);
    await worker.drain();
    expect((await deliveries(f.ruleId))[0]).toMatchObject({ status: 'sent' });
  });

  it('repeats every 30 minutes while unresolved, and stops once it is resolved', async () => {
    const f = await fixture('repeat', { repeatMinutes: 30 });
    const clock = new Clock(T0);
    const worker = notifier(clock);
    await storeBatch(db, { events: [event(f.host, T0, 'disk', 'CRITICAL')] });
    await worker.drain();
    clock.advance(30 * 60_000 + 1);
    await worker.drain();
    expect(await messagesSent(f.ruleId)).toBe(2);
    await storeBatch(db, { events: [event(f.host, clock.t + 1, 'disk', 'OK')] });
    await worker.drain();
    clock.advance(30 * 60_000 + 1);
    await worker.drain();
    const rows = await deliveries(f.ruleId);
    expect(rows.filter((d) => d.status === 'sent').map((d) => [d.state, d.seq])).toEqual([
      ['CRITICAL', 0],
      ['CRITICAL', 1],
      ['OK', 0],
    ]);
    expect(rows.find((d) => d.seq === 2)).toMatchObject({ status: 'suppressed', reason: 'resolved' });
  });
});

describe('scoping and verification', () => {
  it("never uses another account's contact, whatever the stored rule says; an unverified contact gets nothing", async () => {
    const mine = await fixture('scope-mine');
    const other = await fixture('scope-other');
    await db.insert(alertContacts).values({ accountId: mine.accountId, kind: 'email', label: 'new', target: `new-${run}@example.com`, targetKey: 'b'.repeat(64) });
    const [unverified] = await db
      .select()
      .from(alertContacts)
      .where(and(eq(alertContacts.accountId, mine.accountId), eq(alertContacts.kind, 'email')));
    const [ruleRow] = await db.select().from(alertRules).where(eq(alertRules.id, mine.ruleId));
    const definition = { ...(ruleRow!.definition as Rule), contactIds: [mine.contactId, other.contactId, unverified!.id] };
    await db.update(alertRules).set({ definition }).where(eq(alertRules.id, mine.ruleId));
    await storeBatch(db, { events: [event(mine.host, T0, 'disk', 'CRITICAL')] });
    await notifier(new Clock(T0)).drain();
    const rows = await deliveries(mine.ruleId);
    expect(rows.map((d) => [d.contactId, d.status, d.reason])).toEqual([
      [mine.contactId, 'sent', 'sent'],
      [unverified!.id, 'suppressed', 'not-verified'],
    ]);
    expect(await db.select().from(alertDeliveries).where(inArray(alertDeliveries.contactId, [other.contactId]))).toHaveLength(0);
  });
});
