import { randomUUID } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../db/connection';
import { acknowledgeProblems, currentProblems } from '../db/queries/wallboard';
import { accounts, auditLog, plans, serviceStates, vms, wallboardAcks } from '../db/schema';
import { acknowledge, createWallboardCache } from './wallboard';

// The wallboard against the real database: what counts as a current problem, acknowledgements with
// their audit rows, and one read for many boards.
const { db, pool } = createDb(process.env.DATABASE_URL!, { connectionLimit: 4 });
afterAll(() => pool.end());
const run = randomUUID().slice(0, 8);
const carol = { id: null, username: 'carol', ip: '192.0.2.50' };
const T = new Date(Date.now() - 3600_000);
T.setMilliseconds(123);
const at = (minutes: number) => new Date(T.getTime() + minutes * 60_000);

let vmA = 0;
let vmB = 0;
const mine = async () => (await currentProblems(db)).filter((p) => p.vmId === vmA || p.vmId === vmB);

async function state(vmId: number | null, hostname: string, service: string, s: string, since: Date, more: { stateType?: 'HARD' | 'SOFT'; lastEventAt?: Date } = {}) {
  const last = more.lastEventAt ?? since;
  await db.insert(serviceStates).values({
    hostname,
    service,
    vmId,
    kind: service === '' ? 'host' : 'service',
    stateSince: since,
    state: s,
    stateType: more.stateType ?? 'HARD',
    attempt: 3,
    maxAttempts: 3,
    output: `${s} - ${'x'.repeat(300)}`,
    lastEventAt: last,
    lastCheckAt: last,
  });
}

beforeAll(async () => {
  const [account] = await db.insert(accounts).values({ slug: `wb-${run}`, name: `Wallboard ${run}` }).$returningId();
  const [plan] = await db.select({ id: plans.id }).from(plans).limit(1);
  const vm = async (name: string, address: string) =>
    (await db.insert(vms).values({ accountId: account!.id, nagiosHostName: name, hostname: name, address, ubuntuRelease: '24.04', planId: plan!.id }).$returningId())[0]!.id;
  vmA = await vm(`a-${run}.example`, '198.51.100.201');
  vmB = await vm(`b-${run}.example`, '198.51.100.202');
  await state(vmA, `a-${run}.example`, 'Disk /', 'CRITICAL', at(0));
  await state(vmA, `a-${run}.example`, 'HTTP', 'WARNING', at(5));
  await state(vmA, `a-${run}.example`, 'SSH', 'OK', at(1));
  await state(vmA, `a-${run}.example`, 'Load', 'CRITICAL', at(10), { stateType: 'SOFT' });
  // The same VM under its address: an old CRITICAL there, and a newer OK under the name.
  await state(vmA, '198.51.100.201', 'NTP', 'CRITICAL', at(-30));
  await state(vmA, `a-${run}.example`, 'NTP', 'OK', at(-5));
  await state(vmB, `b-${run}.example`, '', 'DOWN', at(20));
  // Not a VM's: not on the board.
  await state(null, `unknown-${run}.example`, 'Disk /', 'CRITICAL', at(0));
});

describe('currentProblems', () => {
  it('lists every problem of every VM, the newest row per (VM, service) only, with VM and account', async () => {
    const rows = await mine();
    expect(rows.map((r) => `${r.hostname} ${r.service} ${r.state} ${r.stateType}`).sort()).toEqual(
      [`a-${run}.example Disk / CRITICAL HARD`, `a-${run}.example HTTP WARNING HARD`, `a-${run}.example Load CRITICAL SOFT`, `b-${run}.example  DOWN HARD`].sort(),
    );
    const disk = rows.find((r) => r.service === 'Disk /')!;
    expect(disk).toMatchObject({ accountName: `Wallboard ${run}`, since: at(0), ackAt: null, ackBy: null });
    expect(disk.output).toHaveLength(200);
  });
});

describe('acknowledging', () => {
  it('acknowledges a current problem once, audited, and refuses a stale key', async () => {
    const key = { vmId: vmA, service: 'Disk /', since: at(0) };
    const first = await acknowledgeProblems(db, carol, [key, { vmId: vmA, service: 'Disk /', since: at(-1) }]);
    expect(first).toMatchObject({ already: 0, gone: 1 });
    expect(first.acknowledged).toEqual([{ vmId: vmA, service: 'Disk /', since: at(0), hostname: `a-${run}.example`, accountId: expect.any(Number), state: 'CRITICAL', stateType: 'HARD' }]);
    const again = await acknowledgeProblems(db, { id: null, username: 'dave', ip: null }, [key]);
    expect(again).toEqual({ acknowledged: [], already: 1, gone: 0 });

    const disk = (await mine()).find((r) => r.service === 'Disk /')!;
    expect(disk).toMatchObject({ ackBy: 'carol' });
    const audits = await db.select().from(auditLog).where(and(eq(auditLog.action, 'wallboard.ack'), eq(auditLog.targetId, String(vmA))));
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({
      actorUsername: 'carol',
      ip: '192.0.2.50',
      targetType: 'vm',
      accountId: disk.accountId,
      details: { hostname: `a-${run}.example`, service: 'Disk /', state: 'CRITICAL', stateType: 'HARD', since: at(0).toISOString() },
    });
  });

  it('a new state change is a new, unacknowledged problem', async () => {
    await db.update(serviceStates).set({ state: 'WARNING', stateSince: at(30), lastEventAt: at(30) }).where(and(eq(serviceStates.vmId, vmA), eq(serviceStates.service, 'Disk /')));
    await db.update(serviceStates).set({ state: 'CRITICAL', stateSince: at(31), lastEventAt: at(31) }).where(and(eq(serviceStates.vmId, vmA), eq(serviceStates.service, 'Disk /')));
    expect((await mine()).find((r) => r.service === 'Disk /')).toMatchObject({ since: at(31), ackAt: null });
  });

  it('acknowledges a host problem (service "") and many at once', async () => {
    const rows = await mine();
    const outcome = await acknowledgeProblems(db, carol, rows.map((r) => ({ vmId: r.vmId, service: r.service, since: r.since })));
    expect(outcome.acknowledged.map((p) => p.service).sort()).toEqual(['', 'Disk /', 'HTTP', 'Load']);
    expect((await mine()).every((r) => r.ackBy === 'carol')).toBe(true);
    expect(await db.select().from(wallboardAcks).where(inArray(wallboardAcks.vmId, [vmA, vmB]))).toHaveLength(5);
  });
});

describe('the shared snapshot', () => {
  it('serves fifty boards asking at once with one read, and reads again after an acknowledgement', async () => {
    const cache = createWallboardCache(db, { intervalMs: 60_000 });
    const snapshots = await Promise.all(Array.from({ length: 50 }, () => cache.snapshot()));
    expect(cache.reads).toBe(1);
    expect(new Set(snapshots.map((s) => s.version)).size).toBe(1);
    await db.update(serviceStates).set({ state: 'CRITICAL', stateSince: at(40), lastEventAt: at(40) }).where(and(eq(serviceStates.vmId, vmA), eq(serviceStates.service, 'HTTP')));
    expect((await cache.snapshot()).version).toBe(snapshots[0]!.version); // within the interval: the same
    const fresh = await (async () => {
      cache.invalidate();
      return cache.snapshot();
    })();
    const http = fresh.problems.find((p) => p.vmId === vmA && p.service === 'HTTP')!;
    expect(http).toMatchObject({ state: 'CRITICAL', alarm: true, ack: null });
    await acknowledge(db, cache, carol, [{ vmId: vmA, service: 'HTTP', since: new Date(http.since) }]);
    const after = await cache.snapshot();
    expect(cache.reads).toBe(3);
    expect(after.problems.find((p) => p.key === http.key)).toMatchObject({ alarm: false, ack: { by: 'carol' } });
  });
});
