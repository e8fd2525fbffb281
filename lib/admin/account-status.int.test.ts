import { randomUUID } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { loginDeps } from '../auth/services';
import { login } from '../auth/login';
import { checkSession, createSession } from '../auth/sessions';
import { getDb } from '../db';
import { listAccountsWithCounts } from '../db/queries/admin';
import { enabledRuleDefinitions } from '../db/queries/notices';
import { alertEvents } from '../db/queries/notifier';
import { accountById, vmForStaff } from '../db/queries/onboarding';
import { loadPortalUser } from '../db/queries/users';
import { ownedVm, vmForStaffView } from '../db/queries/vms';
import { alertRules, auditLog, monitoringEvents } from '../db/schema';
import { createTestUser, deleteTestUser } from '../testing/directory-admin';
import { createAccount, createVm, updateAccount, updateVm } from './onboarding';

// Suspending an account and retiring a VM, against MariaDB and slapd: who may still log in, what the
// customer still sees, what still alerts, and the audit trail. Each test makes its own account, so
// other files' demo accounts never change.
const db = getDb();
const run = randomUUID().slice(0, 8);
const carol = { id: null, username: 'carol', ip: '192.0.2.50' };
const policy = { maxAgeMs: 3_600_000, idleMs: 3_600_000 };
const uid = `susp${run}`;
const password = 'Suspend-me-1';
const audits = (type: string, id: number) => db.select().from(auditLog).where(and(eq(auditLog.targetType, type), eq(auditLog.targetId, String(id))));
const logIn = () => login(loginDeps(), { username: uid, password, ip: '192.0.2.51', via: 'api' });

async function newAccount(key: string): Promise<number> {
  const account = await createAccount(db, carol, { key, name: `Status ${key}` });
  if (!account.ok) throw new Error(account.error.join('; '));
  return account.value;
}

async function newVm(key: string, name: string): Promise<number> {
  const vm = await createVm(db, carol, { accountKey: key, nagiosHostName: name, hostname: `${name}.example`, address: '192.0.2.77', ubuntuRelease: '24.04', planSlug: 'small' });
  if (!vm.ok) throw new Error(vm.error.join('; '));
  return vm.value;
}

async function newEvent(vmId: number, name: string): Promise<number> {
  const now = new Date();
  const [row] = await db
    .insert(monitoringEvents)
    .values({ eventKey: randomUUID().replaceAll('-', '').padEnd(64, '0'), vmId, hostname: name, kind: 'service', service: 'Disk', state: 'CRITICAL', stateType: 'HARD', stateDurationSec: 0, attempt: 3, maxAttempts: 3, occurredAt: now, receivedAt: now })
    .$returningId();
  return row!.id;
}

/** Would the notifier alert on this event now? */
async function alerting(eventId: number): Promise<number> {
  const connection = await db.$client.getConnection();
  try {
    return (await alertEvents(connection, [eventId], { alertingOnly: true })).length;
  } finally {
    connection.release();
  }
}

afterAll(async () => {
  await deleteTestUser(uid).catch(() => undefined);
});

describe('account settings and suspension', () => {
  it('keeps the billing day and time zone, and refuses impossible ones with nothing changed', async () => {
    const id = await newAccount(`bill-${run}`);
    expect(await accountById(db, id)).toMatchObject({ billingDay: 1, timeZone: 'UTC', suspendedAt: null });
    expect(await updateAccount(db, carol, id, { billingDay: 15, timeZone: 'Europe/Berlin' })).toEqual({ ok: true, value: id });
    for (const body of [{ billingDay: 29 }, { billingDay: 0 }, { billingDay: 1.5 }, { timeZone: 'Mars/Olympus' }, { timeZone: '../../etc/passwd' }, { timeZone: '' }, { suspendedReason: 'no flag' }]) {
      const r = await updateAccount(db, carol, id, body);
      expect(r !== null && !r.ok, JSON.stringify(body)).toBe(true);
    }
    expect(await accountById(db, id)).toMatchObject({ billingDay: 15, timeZone: 'Europe/Berlin' });
  });

  it("ends its users' sessions, refuses their logins with a clear reason, pauses its alerts, and reactivates", async () => {
    const key = `susp-${run}`;
    const accountId = await newAccount(key);
    await createTestUser(uid, password, { account: key });
    const first = await logIn();
    if (!first.ok) throw new Error(`first login: ${JSON.stringify(first.error)}`);
    const userId = first.value.userId;
    const sessionId = await createSession(db, { userId, ip: null, userAgent: null });
    const vmId = await newVm(key, `susp-vm-${run}`);
    const eventId = await newEvent(vmId, `susp-vm-${run}`);
    const [rule] = await db
      .insert(alertRules)
      .values({ accountId, name: 'All', enabled: true, definition: { vms: 'all' }, updatedAt: new Date() })
      .$returningId();
    const ruleIds = async () => (await enabledRuleDefinitions(db, accountId)).map((r) => r.id);
    expect(await alerting(eventId)).toBe(1);
    expect(await ruleIds()).toEqual([rule!.id]);

    expect(await updateAccount(db, carol, accountId, { suspended: true, suspendedReason: 'unpaid since March' })).toEqual({ ok: true, value: accountId });
    expect(await accountById(db, accountId)).toMatchObject({ suspendedReason: 'unpaid since March' });
    expect(await checkSession(db, sessionId, policy)).toEqual({ alive: false, reason: 'account_suspended' });
    expect(await loadPortalUser(db, { id: userId })).toMatchObject({ accountSuspended: true });
    expect(await logIn()).toEqual({ ok: false, error: { reason: 'suspended' } });
    expect(await alerting(eventId)).toBe(0);
    expect(await ruleIds()).toEqual([]);
    // Suspending again changes nothing and writes no second row.
    expect(await updateAccount(db, carol, accountId, { suspended: true })).toMatchObject({ ok: true });

    expect(await updateAccount(db, carol, accountId, { suspended: false })).toMatchObject({ ok: true });
    expect(await accountById(db, accountId)).toMatchObject({ suspendedAt: null, suspendedReason: null });
    expect((await logIn()).ok).toBe(true);
    expect(await alerting(eventId)).toBe(1);

    const rows = await audits('account', accountId);
    expect(rows.map((a) => a.action)).toEqual(['admin.account.create', 'admin.account.suspend', 'admin.account.reactivate']);
    expect(rows[1]!.details).toMatchObject({ reason: 'unpaid since March', sessions: 1 });
    const refused = await db.select().from(auditLog).where(and(eq(auditLog.action, 'login.refused'), eq(auditLog.actorUsername, uid)));
    expect(refused.map((r) => (r.details as { reason?: string }).reason)).toEqual(['the account is suspended']);
    await db.delete(alertRules).where(inArray(alertRules.id, [rule!.id]));
  });
});

describe('retiring a VM', () => {
  it('hides it from its customer and its alerts, keeps it for staff, and brings it back', async () => {
    const key = `ret-${run}`;
    const accountId = await newAccount(key);
    const vmId = await newVm(key, `ret-vm-${run}`);
    const eventId = await newEvent(vmId, `ret-vm-${run}`);
    const vmCount = async () => (await listAccountsWithCounts(db)).find((a) => a.id === accountId)?.vmCount;
    expect(await vmCount()).toBe(1);

    expect(await updateVm(db, carol, vmId, { retired: true })).toEqual({ ok: true, value: vmId });
    expect(await ownedVm(db, accountId, vmId)).toBeNull();
    expect(await vmForStaffView(db, vmId)).toMatchObject({ id: vmId });
    expect((await vmForStaff(db, vmId))?.retiredAt).toBeInstanceOf(Date);
    expect(await alerting(eventId)).toBe(0);
    expect(await vmCount()).toBe(0);
    expect(await db.select({ id: monitoringEvents.id }).from(monitoringEvents).where(eq(monitoringEvents.vmId, vmId))).toHaveLength(1);
    // A bad flag is refused and changes nothing.
    const bad = await updateVm(db, carol, vmId, { retired: 'yes' });
    expect(bad !== null && !bad.ok).toBe(true);

    expect(await updateVm(db, carol, vmId, { retired: false })).toMatchObject({ ok: true });
    expect(await ownedVm(db, accountId, vmId)).toMatchObject({ id: vmId });
    expect(await alerting(eventId)).toBe(1);
    expect((await audits('vm', vmId)).map((a) => a.action)).toEqual(['admin.vm.create', 'admin.vm.retire', 'admin.vm.reinstate']);
  });
});
