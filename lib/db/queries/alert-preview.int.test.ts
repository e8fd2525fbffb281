import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../connection';
import { accounts, plans, vms } from '../schema';
import { eq } from 'drizzle-orm';
import { type EventToStore, storeBatch } from './event-store';
import { accountPreviewEvents } from './alerts';

// The alert rules' preview reads (app/(portal)/alerts): the account's newest state changes, against
// the real MariaDB, on accounts and VMs of this run's own, stored through the ingester's own store.
const { db, pool } = createDb(process.env.DATABASE_URL!, { connectionLimit: 2 });
const run = randomUUID().slice(0, 8);
const MIN = 60_000;
const NOW = Date.now();
let account: number;
let other: number;
let n = 0;

function event(hostname: string, minutesAgo: number, service: string | null, state: string): EventToStore {
  n++;
  return {
    key: `prev-${run}-${String(n).padStart(8, '0')}`.padEnd(64, 'x'),
    check: false,
    kind: service === null ? 'host' : 'service',
    hostname,
    hostName: hostname,
    address: null,
    service,
    state,
    stateType: 'HARD',
    stateDurationSec: 0,
    attempt: 1,
    maxAttempts: 3,
    occurredAt: new Date(NOW - minutesAgo * MIN),
    output: `${service ?? 'host'} ${state}`,
    samples: [],
  };
}

beforeAll(async () => {
  const [plan] = await db.select({ id: plans.id }).from(plans).limit(1);
  const make = async (slug: string) => (await db.insert(accounts).values({ slug, name: `Account ${slug}` }).$returningId())[0]!.id;
  account = await make(`prev-${run}`);
  other = await make(`prev-${run}-other`);
  const vm = (name: string, acc: number, retired = false) =>
    db.insert(vms).values({ accountId: acc, nagiosHostName: name, hostname: name, address: '198.18.7.7', ubuntuRelease: '22.04', planId: plan!.id, ...(retired ? { retiredAt: new Date() } : {}) });
  await vm(`a-${run}.example`, account);
  await vm(`b-${run}.example`, account);
  await vm(`gone-${run}.example`, account, true);
  await vm(`theirs-${run}.example`, other);
  await storeBatch(db, {
    events: [
      event(`a-${run}.example`, 50, 'HTTP', 'CRITICAL'),
      event(`b-${run}.example`, 40, null, 'DOWN'),
      event(`a-${run}.example`, 30, 'HTTP', 'OK'),
      event(`b-${run}.example`, 20, null, 'UP'),
      event(`a-${run}.example`, 10, 'Disk /', 'WARNING'),
      event(`a-${run}.example`, 60 * 24 * 40, 'HTTP', 'CRITICAL'), // before the period
      event(`gone-${run}.example`, 15, 'HTTP', 'CRITICAL'),
      event(`theirs-${run}.example`, 15, 'HTTP', 'CRITICAL'),
    ],
  });
});

afterAll(async () => {
  for (const id of [account, other]) await db.delete(vms).where(eq(vms.accountId, id));
  await pool.end();
});

describe('accountPreviewEvents', () => {
  const since = () => new Date(NOW - 30 * 24 * 60 * MIN);

  it("gives the period's state changes of the account's own live VMs, oldest first, as a decision reads them", async () => {
    const { events, complete } = await accountPreviewEvents(db, account, since());
    expect(complete).toBe(true);
    expect(events.map((e) => [e.vmName, e.kind, e.service, e.state])).toEqual([
      [`a-${run}.example`, 'service', 'HTTP', 'CRITICAL'],
      [`b-${run}.example`, 'host', '', 'DOWN'],
      [`a-${run}.example`, 'service', 'HTTP', 'OK'],
      [`b-${run}.example`, 'host', '', 'UP'],
      [`a-${run}.example`, 'service', 'Disk /', 'WARNING'],
    ]);
    expect(events.every((e) => e.stateType === 'HARD' && e.occurredAt instanceof Date)).toBe(true);
  });

  it('keeps the newest when there are more than the limit, and says the period is not complete', async () => {
    const { events, complete } = await accountPreviewEvents(db, account, since(), 2);
    expect(complete).toBe(false);
    expect(events.map((e) => e.state)).toEqual(['UP', 'WARNING']);
    expect((await accountPreviewEvents(db, account, since(), 5)).complete).toBe(true);
  });

  it("never gives another account's events", async () => {
    const { events } = await accountPreviewEvents(db, other, since());
    expect(events.map((e) => e.vmName)).toEqual([`theirs-${run}.example`]);
  });
});
