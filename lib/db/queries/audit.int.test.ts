import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../connection';
import { accounts, auditLog, plans, users, vms } from '../schema';
import { type AuditRow, searchAudit } from './audit';

const { db, pool } = createDb(process.env.DATABASE_URL!, { connectionLimit: 2 });

// Entries far in the past (2001), so that pages showing the newest entries are not disturbed; each run's
// actors, actions and targets carry the run's tag, so filters see only this file's rows.
const run = randomUUID().slice(0, 8);
const alice = `alice-${run}`;
const bob = `bob-${run}`;
const at = (minute: number) => new Date(Date.UTC(2001, 0, 1, 12, minute));
let accountId = 0;
let vmId = 0;
let userId = 0;
let plan: { id: number; slug: string; name: string; currency: string };

async function add(values: Partial<typeof auditLog.$inferInsert> & { action: string; at: Date }): Promise<number> {
  const [result] = await db.insert(auditLog).values(values).$returningId();
  return result!.id;
}

const ids = (rows: AuditRow[]) => rows.map((r) => r.id);

beforeAll(async () => {
  [plan] = (await db.select({ id: plans.id, slug: plans.slug, name: plans.name, currency: plans.currency }).from(plans).limit(1)) as [typeof plan];
  await db.insert(accounts).values({ slug: `audit-${run}`, name: `Audit ${run}` });
  accountId = (await db.select().from(accounts).where(eq(accounts.slug, `audit-${run}`)))[0]!.id;
  const host = `audit-${run}.example`;
  await db.insert(vms).values({ accountId, nagiosHostName: host, hostname: host, address: '10.97.0.1', ubuntuRelease: '24.04', planId: plan.id });
  vmId = (await db.select().from(vms).where(eq(vms.nagiosHostName, host)))[0]!.id;
  await db.insert(users).values({ username: `u-${run}`, dn: `uid=u-${run},ou=people,dc=example,dc=com`, accountId });
  userId = (await db.select().from(users).where(eq(users.username, `u-${run}`)))[0]!.id;
});

// The log is append-only (e2e/db-snapshot.ts checks it): the rows stay, dated 2001 and tagged with the run.
afterAll(() => pool.end());

describe('searchAudit', () => {
  it('filters by actor exactly, newest first, with the account name joined', async () => {
    const first = await add({ at: at(0), action: `t${run}.login.success`, actorUsername: alice, accountId });
    const second = await add({ at: at(1), action: `t${run}.login.success`, actorUsername: alice });
    await add({ at: at(2), action: `t${run}.login.success`, actorUsername: bob, accountId });
    await add({ at: at(3), action: `t${run}.login.success`, actorUsername: `${alice}x` });
    const rows = await searchAudit(db, { actor: alice, limit: 10 });
    expect(ids(rows)).toEqual([second, first]);
    expect(rows[1]).toMatchObject({ accountId, accountName: `Audit ${run}`, actorUsername: alice });
    expect(rows[0]).toMatchObject({ accountId: null, accountName: null });
  });

  it('filters by the start of the action, taking _ and % literally', async () => {
    const underscore = await add({ at: at(10), action: `a${run}_x.create`, actorUsername: alice });
    const whole = await add({ at: at(11), action: `a${run}_x.update`, actorUsername: alice });
    await add({ at: at(12), action: `a${run}yx.create`, actorUsername: alice }); // "_" as a wildcard would match this
    await add({ at: at(13), action: `a${run}%x.create`, actorUsername: alice });
    expect(ids(await searchAudit(db, { action: `a${run}_x.`, limit: 10 }))).toEqual([whole, underscore]);
    expect(ids(await searchAudit(db, { action: `a${run}_x.create`, limit: 10 }))).toEqual([underscore]);
    expect(ids(await searchAudit(db, { action: `a${run}%`, limit: 10 }))).toHaveLength(1);
  });

  it('filters by target type and id, by account, and by time, and combines the filters', async () => {
    const vmEntry = await add({ at: at(20), action: `g${run}.vm`, actorUsername: bob, accountId, targetType: 'vm', targetId: String(vmId) });
    const otherVm = await add({ at: at(21), action: `g${run}.vm`, actorUsername: bob, targetType: 'vm', targetId: String(vmId + 100_000) });
    const user = await add({ at: at(22), action: `g${run}.user`, actorUsername: bob, accountId, targetType: 'user', targetId: String(userId) });
    expect(ids(await searchAudit(db, { action: `g${run}.`, targetType: 'vm', limit: 10 }))).toEqual([otherVm, vmEntry]);
    expect(ids(await searchAudit(db, { action: `g${run}.`, targetType: 'vm', targetId: String(vmId), limit: 10 }))).toEqual([vmEntry]);
    expect(ids(await searchAudit(db, { accountId, action: `g${run}.`, limit: 10 }))).toEqual([user, vmEntry]);
    expect(ids(await searchAudit(db, { action: `g${run}.`, from: at(21), limit: 10 }))).toEqual([user, otherVm]);
    expect(ids(await searchAudit(db, { action: `g${run}.`, to: at(21), limit: 10 }))).toEqual([otherVm, vmEntry]);
    expect(ids(await searchAudit(db, { action: `g${run}.`, from: at(21), to: at(21), limit: 10 }))).toEqual([otherVm]);
    expect(ids(await searchAudit(db, { actor: bob, accountId, targetType: 'user', from: at(0), to: at(59), limit: 10 }))).toEqual([user]);
    expect(await searchAudit(db, { actor: `nobody-${run}`, limit: 10 })).toEqual([]);
  });

  it('orders by time, then id, whatever order the entries were written in', async () => {
    const late = await add({ at: at(52), action: `o${run}.x`, actorUsername: alice });
    const early = await add({ at: at(50), action: `o${run}.x`, actorUsername: alice });
    const tieA = await add({ at: at(51), action: `o${run}.x`, actorUsername: alice });
    const tieB = await add({ at: at(51), action: `o${run}.x`, actorUsername: alice });
    const order = [late, tieB, tieA, early];
    expect(ids(await searchAudit(db, { action: `o${run}.`, limit: 10 }))).toEqual(order);
    // One entry a page: the cursor walks through the tie and past the out-of-order ids.
    const seen: number[] = [];
    let before: number | undefined;
    for (let i = 0; i < 6; i++) {
      const rows = await searchAudit(db, { action: `o${run}.`, before, limit: 1 });
      if (rows.length === 0) break;
      seen.push(rows[0]!.id);
      before = rows[0]!.id;
    }
    expect(seen).toEqual(order);
    expect(ids(await searchAudit(db, { action: `o${run}.`, before: tieB, limit: 10 }))).toEqual([tieA, early]);
    // A cursor id that is not in the log pages by id.
    const maxId = Math.max(...order);
    expect(await searchAudit(db, { action: `o${run}.`, before: maxId + 1_000_000_000, limit: 10 })).toHaveLength(4);
  });

  it('pages with the id cursor: every entry once, newest first', async () => {
    const made: number[] = [];
    for (let i = 0; i < 7; i++) made.push(await add({ at: at(30 + i), action: `p${run}.step`, actorUsername: alice }));
    const seen: number[] = [];
    let before: number | undefined;
    for (let page = 0; page < 10; page++) {
      const rows = await searchAudit(db, { action: `p${run}.`, before, limit: 3 });
      expect(rows.length).toBeLessThanOrEqual(3);
      seen.push(...ids(rows));
      if (rows.length < 3) break;
      before = rows[rows.length - 1]!.id;
    }
    expect(seen).toEqual([...made].reverse());
    // The cursor and the other filters together.
    expect(ids(await searchAudit(db, { action: `p${run}.`, before: made[3], limit: 10 }))).toEqual([made[2], made[1], made[0]]);
  });

  it('looks up the names the sentences need, and copes with odd targets and details', async () => {
    const vmEntry = await add({ at: at(40), action: `n${run}.order`, actorUsername: alice, accountId, targetType: 'vm', targetId: String(vmId), details: { from: plan.slug, to: 'no-such-plan' } });
    const order = await add({ at: at(41), action: `n${run}.order`, actorUsername: 'provisioning', accountId, targetType: 'plan_order', targetId: '999999', details: { vmId, reason: null } });
    const user = await add({ at: at(42), action: `n${run}.user`, actorUsername: alice, targetType: 'user', targetId: String(userId), details: { to: null } });
    const planEntry = await add({ at: at(43), action: `n${run}.plan`, actorUsername: alice, targetType: 'plan', targetId: String(plan.id) });
    const odd = await add({ at: at(44), action: `n${run}.odd`, actorUsername: null, targetType: 'vm', targetId: 'not-a-number', details: { vmId: 'x', from: 7 } });
    const rows = new Map((await searchAudit(db, { action: `n${run}.`, limit: 10 })).map((r) => [r.id, r]));
    expect(rows.get(vmEntry)).toMatchObject({ targetName: `audit-${run}.example`, vmName: null, plans: { [plan.slug]: { name: plan.name, currency: plan.currency } } });
    expect(Object.keys(rows.get(vmEntry)!.plans)).toEqual([plan.slug]);
    expect(rows.get(order)).toMatchObject({ targetName: null, vmName: `audit-${run}.example`, details: { vmId, reason: null } });
    expect(rows.get(user)).toMatchObject({ targetName: `u-${run}` });
    expect(rows.get(planEntry)).toMatchObject({ targetName: plan.name, details: null, plans: {} });
    expect(rows.get(odd)).toMatchObject({ targetName: null, vmName: null, actorUsername: null, plans: {} });
  });

  it('keeps the limit within 1..500', async () => {
    expect(await searchAudit(db, { action: `p${run}.`, limit: 0 })).toHaveLength(1);
    expect(await searchAudit(db, { action: `p${run}.`, limit: -5 })).toHaveLength(1);
  });
});
