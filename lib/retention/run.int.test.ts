import { randomUUID } from 'node:crypto';
import { and, eq, inArray, like } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { getDb } from '../db';
import { alertDeliveries, auditLog, loginThrottle, monitoringEvents, perfRollups, perfSamples, vms } from '../db/schema';
import { retentionEnv } from './policy';
import { runRetention } from './run';

// Retention against the real database, on rows of its own dated in the year 2000 and a `now` of
// 2001-01-01 with 100 days kept (cutoff 2000-09-23): nothing else in the test database is that old.

const db = getDb();
const run = randomUUID().slice(0, 8);
const NOW = new Date('2001-01-01T00:00:00Z');
const at = (iso: string) => new Date(`${iso}T12:00:00Z`);
const key = () => randomUUID().replaceAll('-', '').padEnd(64, '0');
const policy = retentionEnv.parse({
  RETENTION_EVENTS_DAYS: '100',
  RETENTION_PERF_SAMPLES_DAYS: '100',
  RETENTION_DELIVERIES_DAYS: '100',
  RETENTION_AUDIT_DAYS: '100',
  RETENTION_LOGIN_THROTTLE_DAYS: '100',
  RETENTION_BATCH: '1',
  // Every sample is rolled up at once (no settling), and the rollups are kept: old samples go, their sums stay.
  RETENTION_ROLLUP_SETTLE_SECONDS: '0',
  RETENTION_ROLLUPS_HOURLY_DAYS: '0',
  RETENTION_ROLLUPS_DAILY_DAYS: '0',
});
const SERVICE = `retention-${run}`;
const QUIET = `retention-quiet-${run}`;

afterAll(async () => {
  await db.delete(monitoringEvents).where(like(monitoringEvents.service, `retention-%${run}`));
  await db.delete(perfSamples).where(eq(perfSamples.service, SERVICE));
  await db.delete(perfRollups).where(eq(perfRollups.service, SERVICE));
  await db.delete(alertDeliveries).where(eq(alertDeliveries.service, SERVICE));
  await db.delete(auditLog).where(eq(auditLog.actorUsername, `retention-${run}`));
  await db.delete(loginThrottle).where(like(loginThrottle.subject, `retention-%${run}`));
});

describe('retention', () => {
  it('deletes what is older than each limit in batches, keeps what is newer and the state each series had at the boundary', async () => {
    const [vm] = await db.select({ id: vms.id }).from(vms).where(eq(vms.nagiosHostName, 'web-01.acme.example'));
    const event = (service: string, day: string, vmId: number | null = vm!.id) => ({
      eventKey: key(),
      vmId,
      hostname: 'web-01.acme.example',
      kind: 'service' as const,
      service,
      state: 'OK',
      stateType: 'HARD' as const,
      stateDurationSec: 0,
      attempt: 1,
      maxAttempts: 3,
      occurredAt: at(day),
      receivedAt: at(day),
    });
    await db.insert(monitoringEvents).values([
      event(SERVICE, '2000-01-10'),
      event(SERVICE, '2000-02-10'),
      event(SERVICE, '2000-03-10'), // the newest before the cutoff: what the state was at the boundary
      event(SERVICE, '2000-12-10'),
      event(QUIET, '2000-01-10'),
      event(QUIET, '2000-02-10'), // a series quiet since: its last event stays
      event(`retention-unassigned-${run}`, '2000-01-10', null),
    ]);
    const sample = (day: string) => ({ eventKey: key(), vmId: vm!.id, hostname: 'web-01.acme.example', service: SERVICE, label: 'used', value: 1, sampledAt: at(day) });
    await db.insert(perfSamples).values([sample('2000-01-10'), sample('2000-02-10'), sample('2000-12-10')]);
    const delivery = (day: string, dueAt: Date | null) => ({
      accountId: 1,
      ruleId: 2_000_000_000,
      eventId: Math.floor(Math.random() * 1e12),
      contactId: 2_000_000_000,
      vmId: vm!.id,
      service: SERVICE,
      state: 'CRITICAL',
      channel: 'email' as const,
      status: dueAt ? ('waiting' as const) : ('sent' as const),
      reason: 'send',
      dueAt,
      createdAt: at(day),
      updatedAt: at(day),
    });
    await db.insert(alertDeliveries).values([delivery('2000-01-10', null), delivery('2000-01-11', at('2001-02-01')), delivery('2000-12-10', null)]);
    await db.insert(auditLog).values([
      { at: at('2000-01-10'), actorUsername: `retention-${run}`, action: 'login.success' },
      { at: at('2000-12-10'), actorUsername: `retention-${run}`, action: 'login.success' },
    ]);
    await db.insert(loginThrottle).values([
      { scope: 'user', subject: `retention-old-${run}`, failures: 3, windowStart: at('2000-01-10'), lockedUntil: null },
      { scope: 'user', subject: `retention-new-${run}`, failures: 3, windowStart: at('2000-12-10'), lockedUntil: null },
    ]);

    const { rollups, pruned } = await runRetention(db, policy, NOW);
    expect(rollups.samples).toBeGreaterThanOrEqual(3);
    const results = Object.fromEntries(pruned.map((r) => [r.table, r]));
    expect(results.monitoring_events).toMatchObject({ deleted: 4, batches: 4 });
    expect(results.perf_samples).toMatchObject({ deleted: 2, batches: 2 });
    expect(results.alert_deliveries).toMatchObject({ deleted: 1 });
    expect(results.audit_log).toMatchObject({ deleted: 1 });
    expect(results.login_throttle).toMatchObject({ deleted: 1 });
    for (const r of Object.values(results)) expect(r.longestMs).toBeLessThan(1_000);

    const days = async (service: string) =>
      (await db.select({ at: monitoringEvents.occurredAt }).from(monitoringEvents).where(eq(monitoringEvents.service, service))).map((r) => r.at.toISOString().slice(0, 10)).sort();
    expect(await days(SERVICE)).toEqual(['2000-03-10', '2000-12-10']);
    expect(await days(QUIET)).toEqual(['2000-02-10']);
    expect(await days(`retention-unassigned-${run}`)).toEqual([]);
    expect((await db.select({ at: perfSamples.sampledAt }).from(perfSamples).where(eq(perfSamples.service, SERVICE))).map((r) => r.at.toISOString().slice(0, 10))).toEqual(['2000-12-10']);
    expect((await db.select({ status: alertDeliveries.status }).from(alertDeliveries).where(eq(alertDeliveries.service, SERVICE))).map((r) => r.status).sort()).toEqual(['sent', 'waiting']);
    // The deleted samples live on in the rollups, one hour and one day each.
    const rolled = await db.select({ period: perfRollups.period, at: perfRollups.bucketStart, samples: perfRollups.samples, sum: perfRollups.sum }).from(perfRollups).where(eq(perfRollups.service, SERVICE));
    expect(rolled.map((r) => `${r.period} ${r.at.toISOString().slice(0, 13)} ${r.samples} ${r.sum}`).sort()).toEqual([
      'day 2000-01-10T00 1 1',
      'day 2000-02-10T00 1 1',
      'day 2000-12-10T00 1 1',
      'hour 2000-01-10T12 1 1',
      'hour 2000-02-10T12 1 1',
      'hour 2000-12-10T12 1 1',
    ]);
    expect(await db.select({ id: auditLog.id }).from(auditLog).where(eq(auditLog.actorUsername, `retention-${run}`))).toHaveLength(1);
    expect(
      (await db.select({ subject: loginThrottle.subject }).from(loginThrottle).where(and(eq(loginThrottle.scope, 'user'), inArray(loginThrottle.subject, [`retention-old-${run}`, `retention-new-${run}`])))).map((r) => r.subject),
    ).toEqual([`retention-new-${run}`]);

    // A second pass finds nothing more.
    expect((await runRetention(db, policy, NOW)).pruned.reduce((n, r) => n + r.deleted, 0)).toBe(0);
  });

  it('deletes no sample that is not rolled up yet', async () => {
    const [vm] = await db.select({ id: vms.id }).from(vms).where(eq(vms.nagiosHostName, 'web-01.acme.example'));
    await db.insert(perfSamples).values({ eventKey: key(), vmId: vm!.id, hostname: 'web-01.acme.example', service: SERVICE, label: 'late', value: 2, sampledAt: at('2000-01-11') });
    // Settling for an hour: the new sample's id is too fresh to roll up, so it stays.
    const { pruned } = await runRetention(db, { ...policy, RETENTION_ROLLUP_SETTLE_SECONDS: 3_600 }, NOW);
    expect(pruned.find((r) => r.table === 'perf_samples')).toMatchObject({ deleted: 0 });
    expect(await db.select({ id: perfSamples.id }).from(perfSamples).where(eq(perfSamples.label, 'late'))).toHaveLength(1);
    await runRetention(db, policy, NOW);
    expect(await db.select({ id: perfSamples.id }).from(perfSamples).where(and(eq(perfSamples.service, SERVICE), eq(perfSamples.label, 'late')))).toHaveLength(0);
  });

  it('keeps a table forever at 0 days, and refuses a nonsense setting', () => {
    expect(retentionEnv.parse({ RETENTION_EVENTS_DAYS: '0' }).RETENTION_EVENTS_DAYS).toBe(0);
    expect(retentionEnv.safeParse({ RETENTION_AUDIT_DAYS: '-1' }).success).toBe(false);
    expect(retentionEnv.safeParse({ RETENTION_BATCH: 'lots' }).success).toBe(false);
  });
});
