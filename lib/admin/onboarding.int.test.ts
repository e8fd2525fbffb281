import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { createDb } from '../db/connection';
import { accountById, planById, vmForStaff } from '../db/queries/onboarding';
import { auditLog } from '../db/schema';
import { createAccount, createPlan, createVm, updateAccount, updatePlan, updateVm } from './onboarding';

// Staff onboarding against the real database: every write is checked, audited with what changed, and a
// refused one changes nothing.
const { db, pool } = createDb(process.env.DATABASE_URL!, { connectionLimit: 2 });
afterAll(() => pool.end());
const run = randomUUID().slice(0, 8);
const carol = { id: null, username: 'carol', ip: '192.0.2.50' };
const audits = (type: string, id: number) => db.select().from(auditLog).where(and(eq(auditLog.targetType, type), eq(auditLog.targetId, String(id))));

describe('onboarding', () => {
  it('creates and changes an account, a plan and a VM, each audited; PATCH changes only what it names', async () => {
    const account = await createAccount(db, carol, { key: `acct-${run}`, name: 'Acct', contactEmail: 'ops@acct.example' });
    if (!account.ok) throw new Error(account.error.join('; '));
    const plan = await createPlan(db, carol, { slug: `p-${run}`, name: 'P', priceMinor: 1234, diskGb: 40, transferGb: 2000, memoryMb: 2048, cpus: 2 });
    if (!plan.ok) throw new Error(plan.error.join('; '));
    const vm = await createVm(db, carol, { accountKey: `acct-${run}`, nagiosHostName: `vm-${run}`, hostname: `vm-${run}.example`, address: '2001:db8::99', ubuntuRelease: '22.04', planSlug: `p-${run}` });
    if (!vm.ok) throw new Error(vm.error.join('; '));
    expect(await vmForStaff(db, vm.value)).toMatchObject({ accountId: account.value, addressV6: null, address: '2001:db8::99', planSlug: `p-${run}` });

    expect(await updateAccount(db, carol, account.value, { contactEmail: null })).toEqual({ ok: true, value: account.value });
    expect(await accountById(db, account.value)).toMatchObject({ name: 'Acct', contactEmail: null });
    expect(await updatePlan(db, carol, plan.value, { active: false })).toMatchObject({ ok: true });
    expect(await planById(db, plan.value)).toMatchObject({ active: false, priceMinor: 1234, currency: 'EUR' });
    expect(await updateVm(db, carol, vm.value, { ubuntuRelease: '24.04' })).toMatchObject({ ok: true });
    expect(await vmForStaff(db, vm.value)).toMatchObject({ ubuntuRelease: '24.04', hostname: `vm-${run}.example` });

    expect((await audits('account', account.value)).map((a) => [a.action, a.actorUsername, a.ip])).toEqual([
      ['admin.account.create', 'carol', '192.0.2.50'],
      ['admin.account.update', 'carol', '192.0.2.50'],
    ]);
    expect((await audits('plan', plan.value)).map((a) => a.action)).toEqual(['admin.plan.create', 'admin.plan.update']);
    const vmAudits = await audits('vm', vm.value);
    expect(vmAudits.map((a) => [a.action, a.accountId])).toEqual([
      ['admin.vm.create', account.value],
      ['admin.vm.update', account.value],
    ]);
    expect(vmAudits[1]!.details).toMatchObject({ from: { ubuntuRelease: '22.04' }, to: { ubuntuRelease: '24.04' } });
  });

  it('refuses bad and duplicate input with every problem, and changes nothing', async () => {
    await createAccount(db, carol, { key: `dup-${run}`, name: 'Dup' });
    expect(await createAccount(db, carol, { key: `dup-${run}`, name: 'Dup again' })).toEqual({ ok: false, error: [`key: an account with the key "dup-${run}" exists already.`] });
    const bad = await createVm(db, carol, { accountKey: `dup-${run}`, nagiosHostName: 'has space', hostname: '', address: 'localhost', ubuntuRelease: 'noble', planSlug: 'small' });
    expect(bad.ok ? [] : bad.error.map((p) => p.split(':')[0])).toEqual(['nagiosHostName', 'hostname', 'address', 'ubuntuRelease']);
    expect(await updateAccount(db, carol, 2_000_000_000, { name: 'x' })).toBeNull();
    expect(await updateVm(db, carol, 2_000_000_000, { hostname: 'x' })).toBeNull();
    expect(await updatePlan(db, carol, 2_000_000_000, { name: 'x' })).toBeNull();
    const plan = await createPlan(db, carol, { slug: `q-${run}`, name: 'Q', priceMinor: 1, diskGb: 1, transferGb: 1, memoryMb: 512, cpus: 1 });
    if (!plan.ok) throw new Error(plan.error.join('; '));
    const before = await planById(db, plan.value);
    for (const body of [null, [], 'name', { unknown: true }, { priceMinor: -1 }, { currency: 'euro' }, { diskGb: 0 }]) {
      const r = await updatePlan(db, carol, plan.value, body);
      expect(r !== null && !r.ok, JSON.stringify(body)).toBe(true);
    }
    expect(await planById(db, plan.value)).toEqual(before);
    expect((await audits('plan', plan.value)).map((x) => x.action)).toEqual(['admin.plan.create']);
  });
});
