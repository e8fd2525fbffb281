import { randomUUID } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount, createPlan, createVm } from '../../admin/onboarding';
import { assignToVm, createVmFromHost } from '../../admin/unassigned';
import { createDb } from '../connection';
import { alertOutbox, auditLog, monitoringEvents, perfSamples, serviceStates } from '../schema';
import { type EventToStore, storeBatch } from './event-store';
import { vmForStaff } from './onboarding';
import { assignHostEvents, listUnassignedHosts, unassignedHost } from './unassigned';

// Unassigned events against the real database: stored through the ingester's own storeBatch for hosts no
// VM matches, then given to a VM with their samples and current states, and nothing queued for alerts.
const { db, pool } = createDb(process.env.DATABASE_URL!, { connectionLimit: 4 });
afterAll(() => pool.end());
const run = randomUUID().slice(0, 8);
const carol = { id: null, username: 'carol', ip: '192.0.2.50' };
const T = Date.UTC(2026, 2, 10, 8, 0, 0);
// Unique to this run, so no VM of another test (or an earlier run) matches them.
const address = (n: number) => `2001:db8:${run.slice(0, 4)}:${run.slice(4, 8)}::${n}`;

let n = 0;
function event(host: { hostName: string; address: string }, overrides: Partial<EventToStore> & { at: number }): EventToStore {
  n++;
  const { at, ...rest } = overrides;
  return {
    key: `unassigned-${run}-${String(n).padStart(6, '0')}`.padEnd(64, 'x'),
    check: false,
    kind: 'service',
    hostname: host.address,
    hostName: host.hostName,
    address: host.address,
    service: 'HTTP',
    state: 'OK',
    stateType: 'HARD',
    stateDurationSec: 0,
    attempt: 1,
    maxAttempts: 3,
    occurredAt: new Date(at),
    output: 'HTTP OK',
    samples: [],
    ...rest,
  };
}

const eventsOf = (hostname: string) => db.select().from(monitoringEvents).where(eq(monitoringEvents.hostname, hostname));
const samplesOf = (hostname: string) => db.select().from(perfSamples).where(eq(perfSamples.hostname, hostname));
const statesOf = async (hostname: string) =>
  Object.fromEntries((await db.select().from(serviceStates).where(eq(serviceStates.hostname, hostname))).map((s) => [s.service, s]));
const outboxFor = async (hostname: string) => {
  const ids = (await eventsOf(hostname)).map((e) => e.id);
  return ids.length ? db.select().from(alertOutbox).where(inArray(alertOutbox.eventId, ids)) : [];
};
const assignAudits = (vmId: number) =>
  db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, 'admin.unassigned.assign'), eq(auditLog.targetType, 'vm'), eq(auditLog.targetId, String(vmId))));

const accountKey = `unassigned-${run}`;
const planSlug = `ua-${run}`;

beforeAll(async () => {
  const account = await createAccount(db, carol, { key: accountKey, name: `Unassigned ${run}` });
  if (!account.ok) throw new Error(account.error.join('; '));
  const plan = await createPlan(db, carol, { slug: planSlug, name: 'UA', priceMinor: 100, diskGb: 10, transferGb: 100, memoryMb: 512, cpus: 1 });
  if (!plan.ok) throw new Error(plan.error.join('; '));
});

describe('unassigned events', () => {
  const ghost = { hostName: `ghost-${run}.example`, address: address(1) };

  it('lists a host no VM matches, then gives its history, samples and newest states to a VM without alerting', async () => {
    // Newest first, in two batches, like late deliveries: the store keeps the newest state per service.
    await storeBatch(db, {
      events: [
        event(ghost, { at: T + 60_000, state: 'OK', output: 'HTTP OK - back' }),
        event(ghost, { at: T + 30_000, service: 'DISK', state: 'WARNING', stateDurationSec: 30, output: 'DISK WARNING - 81% used', perfdata: '/=81%;80;90', samples: [{ label: '/', value: 81, unit: '%', warn: 80, crit: 90, min: 0, max: 100 }] }),
        event(ghost, { at: T + 10_000, kind: 'host', service: null, state: 'UP', output: 'PING OK' }),
      ],
    });
    await storeBatch(db, { events: [event(ghost, { at: T, state: 'CRITICAL', output: 'HTTP CRITICAL - refused' })] });
    // A periodic check result: samples and a current state, no history row; and one newer than every HTTP event.
    await storeBatch(db, {
      events: [
        event(ghost, { at: T + 90_000, check: true, service: 'LOAD', state: 'OK', output: 'load 0.10', perfdata: 'load1=0.10', samples: [{ label: 'load1', value: 0.1, unit: '', warn: null, crit: null, min: 0, max: null }] }),
        event(ghost, { at: T + 120_000, check: true, service: 'HTTP', state: 'WARNING', output: 'HTTP WARNING - slow' }),
      ],
    });

    expect((await eventsOf(ghost.address)).map((e) => e.vmId)).toEqual([null, null, null, null]);
    expect(await outboxFor(ghost.address)).toEqual([]);
    const host = await unassignedHost(db, ghost.hostName);
    expect(host).toMatchObject({ hostName: ghost.hostName, hostnames: [ghost.address], address: ghost.address, events: 4, last: { service: 'HTTP', state: 'OK', output: 'HTTP OK - back' } });
    expect(host!.firstSeen.toISOString()).toBe(new Date(T).toISOString());
    expect(host!.lastSeen.toISOString()).toBe(new Date(T + 60_000).toISOString());
    expect(host!.states.map((s) => [s.service, s.state])).toEqual([
      ['', 'UP'],
      ['DISK', 'WARNING'],
      ['HTTP', 'WARNING'],
      ['LOAD', 'OK'],
    ]);
    // The list pages over every unassigned host (other tests leave some): ours is on one of them.
    const first = await listUnassignedHosts(db, { page: 1, pageSize: 2 });
    expect(first.total).toBeGreaterThanOrEqual(1);
    expect(first.hosts.length).toBeLessThanOrEqual(2);
    let found = false;
    for (let page = 1; page <= Math.ceil(first.total / 50) && !found; page++) {
      found = (await listUnassignedHosts(db, { page, pageSize: 50 })).hosts.some((h) => h.hostName === ghost.hostName && h.events === 4);
    }
    expect(found).toBe(true);

    // A VM Nagios knows by another name: staff give it the host's events by hand.
    const vm = await createVm(db, carol, { accountKey, nagiosHostName: `target-${run}`, hostname: `target-${run}.example`, address: address(99), ubuntuRelease: '24.04', planSlug });
    if (!vm.ok) throw new Error(vm.error.join('; '));
    const assigned = await assignToVm(db, carol, ghost.hostName, vm.value);
    expect(assigned).toEqual({ ok: true, value: { vmId: vm.value, events: 4, samples: 2, states: 4, hostnames: [ghost.address], futureEventsMatch: false } });

    expect((await eventsOf(ghost.address)).map((e) => e.vmId)).toEqual([vm.value, vm.value, vm.value, vm.value]);
    expect((await samplesOf(ghost.address)).map((s) => [s.label, s.vmId]).sort()).toEqual([
      ['/', vm.value],
      ['load1', vm.value],
    ]);
    const states = await statesOf(ghost.address);
    expect(Object.values(states).map((s) => s.vmId)).toEqual([vm.value, vm.value, vm.value, vm.value]);
    // The newest of each service: the check result at T+120s, not the newest HTTP event (OK at T+60s) …
    expect(states.HTTP).toMatchObject({ state: 'WARNING', output: 'HTTP WARNING - slow' });
    expect(states.HTTP!.lastEventAt.toISOString()).toBe(new Date(T + 120_000).toISOString());
    // … and the rest as their newest events left them.
    expect(states.DISK).toMatchObject({ state: 'WARNING', output: 'DISK WARNING - 81% used', perfdata: '/=81%;80;90' });
    expect(states.DISK!.stateSince.toISOString()).toBe(new Date(T).toISOString());
    expect(states['']).toMatchObject({ kind: 'host', state: 'UP' });
    expect(states.LOAD).toMatchObject({ state: 'OK' });
    // Old news alerts nobody.
    expect(await outboxFor(ghost.address)).toEqual([]);
    expect(await unassignedHost(db, ghost.hostName)).toBeNull();

    const audits = await assignAudits(vm.value);
    expect(audits.map((a) => [a.actorUsername, a.ip, a.details])).toEqual([
      ['carol', '192.0.2.50', { hostName: ghost.hostName, hostnames: [ghost.address], created: false, events: 4, samples: 2, states: 4 }],
    ]);

    // Again: nothing left, nothing changed, nothing audited.
    expect(await assignHostEvents(db, { hostName: ghost.hostName, vmId: vm.value })).toEqual({ events: 0, samples: 0, states: 0, hostnames: [] });
    expect(await assignToVm(db, carol, ghost.hostName, vm.value)).toMatchObject({ ok: false });
    expect(await assignAudits(vm.value)).toHaveLength(1);
    expect((await statesOf(ghost.address)).HTTP).toMatchObject({ state: 'WARNING', vmId: vm.value });
  });

  it('creates a VM from a host with its Nagios host name and address, and gives it the earlier events; a host_name of another VM stays out', async () => {
    const fresh = { hostName: `fresh-${run}.example`, address: address(2) };
    const other = { hostName: `other-${run}.example`, address: fresh.address };
    // An event of another host at the same address, whose VM was created after it arrived.
    await storeBatch(db, {
      events: [
        event(fresh, { at: T, service: 'SSH', state: 'CRITICAL', output: 'SSH CRITICAL' }),
        event(fresh, { at: T + 5_000, service: 'SSH', state: 'OK', output: 'SSH OK' }),
        event(other, { at: T + 1_000, service: 'SMTP', state: 'OK', output: 'SMTP OK' }),
      ],
    });
    const otherVm = await createVm(db, carol, { accountKey, nagiosHostName: other.hostName, hostname: other.hostName, address: address(98), ubuntuRelease: '24.04', planSlug });
    if (!otherVm.ok) throw new Error(otherVm.error.join('; '));

    expect(await createVmFromHost(db, carol, `nobody-${run}`, { accountKey, planSlug, ubuntuRelease: '24.04' })).toMatchObject({ ok: false });
    const refused = await createVmFromHost(db, carol, fresh.hostName, { accountKey: `no-such-${run}`, planSlug, ubuntuRelease: 'noble' });
    expect(refused.ok ? [] : refused.error.map((p) => p.split(':')[0])).toEqual(['ubuntuRelease']);
    expect((await eventsOf(fresh.address)).every((e) => e.vmId === null)).toBe(true);

    const made = await createVmFromHost(db, carol, fresh.hostName, { accountKey, planSlug, ubuntuRelease: '22.04', hostname: `Fresh ${run}` });
    if (!made.ok) throw new Error(made.error.join('; '));
    expect(made.value).toMatchObject({ events: 2, states: 1, futureEventsMatch: true });
    expect(await vmForStaff(db, made.value.vmId)).toMatchObject({ nagiosHostName: fresh.hostName, address: fresh.address, hostname: `Fresh ${run}`, ubuntuRelease: '22.04', accountKey, planSlug });
    const rows = await eventsOf(fresh.address);
    expect(rows.filter((e) => e.hostName === fresh.hostName).map((e) => e.vmId)).toEqual([made.value.vmId, made.value.vmId]);
    // Its host_name names the other VM: the ingester would have put it there, not on the new one by address.
    expect(rows.filter((e) => e.hostName === other.hostName).map((e) => e.vmId)).toEqual([null]);
    expect((await statesOf(fresh.address)).SSH).toMatchObject({ state: 'OK', vmId: made.value.vmId });
    // The other host's state at the same address stays with its events, unassigned.
    expect((await statesOf(fresh.address)).SMTP).toMatchObject({ state: 'OK', vmId: null });
    expect(await unassignedHost(db, other.hostName)).toMatchObject({ events: 1, hostnames: [fresh.address] });
    expect(await outboxFor(fresh.address)).toEqual([]);
    const [audit] = await assignAudits(made.value.vmId);
    expect(audit).toMatchObject({ actorUsername: 'carol', details: { hostName: fresh.hostName, created: true, events: 2 } });
    const created = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.targetType, 'vm'), eq(auditLog.targetId, String(made.value.vmId)), eq(auditLog.action, 'admin.vm.create')));
    expect(created).toHaveLength(1);

    // New events of the host now land on the VM directly, as live events (queued for alerts as usual).
    await storeBatch(db, { events: [event(fresh, { at: T + 600_000, service: 'SSH', state: 'WARNING', output: 'SSH WARNING' })] });
    const live = (await eventsOf(fresh.address)).find((e) => e.state === 'WARNING')!;
    expect(live.vmId).toBe(made.value.vmId);
    expect((await outboxFor(fresh.address)).map((o) => o.eventId)).toEqual([live.id]);
  });
});
