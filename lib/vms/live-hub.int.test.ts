import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, dbQueryCount } from '../db/connection';
import { type EventToStore, storeBatch } from '../db/queries/event-store';
import { type OwnedVm, ownedVm } from '../db/queries/vms';
import { accounts, plans, vms } from '../db/schema';
import { StateHistoryCache } from './history-cache';
import { LiveHub, type VmUpdate } from './live-hub';

// The live pages' shared poller against the real MariaDB: one set of queries per interval fans out to
// every subscriber, however many are open; each gets only its VM's events, each once.

const { db, pool } = createDb(process.env.DATABASE_URL!, { connectionLimit: 4 });
const run = randomUUID().slice(0, 8);
let n = 0;
let mine: OwnedVm;
let other: OwnedVm;

function event(hostname: string, service: string, state: string): EventToStore {
  n++;
  return {
    key: `hub-${run}-${String(n).padStart(6, '0')}`.padEnd(64, 'x'),
    check: false,
    kind: 'service',
    hostname,
    hostName: hostname,
    address: null,
    service,
    state,
    stateType: 'HARD',
    stateDurationSec: 0,
    attempt: 1,
    maxAttempts: 3,
    occurredAt: new Date(Date.now() - 1000 + n),
    output: `${service} ${state} (${n})`,
    samples: [],
  };
}

beforeAll(async () => {
  const [plan] = await db.select({ id: plans.id }).from(plans).limit(1);
  const [acc] = await db.insert(accounts).values({ slug: `hub-${run}`, name: `Hub ${run}` }).$returningId();
  const add = (name: string) =>
    db.insert(vms).values({ accountId: acc!.id, nagiosHostName: name, hostname: name, address: `198.19.${n % 250}.${Math.floor(Math.random() * 250)}`, ubuntuRelease: '22.04', planId: plan!.id }).$returningId();
  const [a] = await add(`hub-${run}.example`);
  const [b] = await add(`hub2-${run}.example`);
  await storeBatch(db, { events: [event(`hub-${run}.example`, 'HTTP', 'OK'), event(`hub2-${run}.example`, 'HTTP', 'OK')] });
  mine = (await ownedVm(db, acc!.id, a!.id))!;
  other = (await ownedVm(db, acc!.id, b!.id))!;
});

afterAll(async () => {
  await pool.end();
});

async function queriesOf(work: () => Promise<unknown>): Promise<number> {
  const before = dbQueryCount();
  await work();
  return dbQueryCount() - before;
}

describe('LiveHub', () => {
  it('costs the same queries per interval with 1 or 50 subscribers, and each gets its VM’s new events once', async () => {
    const measure = async (subscribers: number) => {
      const hub = new LiveHub(db, { pollMs: 60_000, cache: new StateHistoryCache() });
      const got: VmUpdate[][] = Array.from({ length: subscribers }, () => []);
      const ends = await Promise.all(got.map((list) => hub.subscribe(mine, { after: null }, (u) => list.push(u))));
      const otherGot: VmUpdate[] = [];
      ends.push(await hub.subscribe(other, { after: null }, (u) => otherGot.push(u)));
      await hub.poll(); // nothing new yet
      const idle = await queriesOf(() => hub.poll());
      await storeBatch(db, { events: [event(mine.hostname, 'HTTP', 'CRITICAL'), event(mine.hostname, 'SSH', 'WARNING')] });
      const busy = await queriesOf(() => hub.poll());
      // The next poll re-reads the recent ids (late commits) but hands nothing out twice.
      await hub.poll();
      for (const end of ends) end();
      return { idle, busy, got, otherGot };
    };
    const one = await measure(1);
    const many = await measure(50);
    expect(many.idle).toBe(one.idle);
    expect(many.busy).toBe(one.busy);
    expect(one.idle).toBeLessThanOrEqual(2);
    for (const list of many.got) {
      expect(list).toHaveLength(1);
      expect(list[0]!.events.map((e) => [e.service, e.state])).toEqual([
        ['HTTP', 'CRITICAL'],
        ['SSH', 'WARNING'],
      ]);
      expect(list[0]!.states.map((s) => [s.service, s.state]).sort()).toEqual([
        ['HTTP', 'CRITICAL'],
        ['SSH', 'WARNING'],
      ]);
      expect(list[0]!.worst).toBe('CRITICAL');
      // Each event's previous state: the one the first round left.
      expect(list[0]!.previous).toEqual(['CRITICAL', 'WARNING']);
      expect(list[0]!.availability.map((a) => a.service).sort()).toEqual(['HTTP', 'SSH']);
    }
    // In the first round, HTTP was OK before (its stored state) and SSH had none.
    expect(one.got[0]![0]!.previous).toEqual(['OK', undefined]);
    // The other VM's subscriber saw none of it.
    expect(many.otherGot).toEqual([]);
  });

  it('a subscriber that joins with an older id gets the events since, once, then the new ones', async () => {
    const hub = new LiveHub(db, { pollMs: 60_000, cache: null });
    const first: VmUpdate[] = [];
    const endFirst = await hub.subscribe(mine, { after: null }, (u) => first.push(u));
    await storeBatch(db, { events: [event(mine.hostname, 'HTTP', 'OK')] });
    await hub.poll();
    const startedAfter = first[0]!.events[0]!.id - 1;
    const late: VmUpdate[] = [];
    const endLate = await hub.subscribe(mine, { after: startedAfter }, (u) => late.push(u));
    expect(late.flatMap((u) => u.events.map((e) => e.id))).toEqual([startedAfter + 1]);
    await storeBatch(db, { events: [event(mine.hostname, 'HTTP', 'CRITICAL')] });
    await hub.poll();
    await hub.poll();
    const ids = late.flatMap((u) => u.events.map((e) => e.id));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(2);
    expect(first.flatMap((u) => u.events)).toHaveLength(2);
    endFirst();
    endLate();
    expect(hub.size).toBe(0);
  });
});
