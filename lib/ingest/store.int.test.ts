import { randomUUID } from 'node:crypto';
import { eq, like } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { createDb } from '../db/connection';
import { deadLetters, monitoringEvents, perfSamples, serviceStates } from '../db/schema';
import { type EventToStore, storeBatch } from './store';

// storeBatch against the real MariaDB: what the rows hold, the current-state rules, and batches
// written concurrently (as the ingester does). Host names are unique to this run.
const { db, pool } = createDb(process.env.DATABASE_URL!, { connectionLimit: 6 });
const run = randomUUID().slice(0, 8);
const T = Date.UTC(2026, 10, 24, 10, 0, 0);

afterAll(async () => {
  await pool.end();
});

let n = 0;
function event(overrides: Partial<EventToStore> & { at: number; host: string }): EventToStore {
  n++;
  const { at, host, ...rest } = overrides;
  return {
    key: `store-${run}-${String(n).padStart(8, '0')}`.padEnd(64, 'x'),
    check: false,
    kind: 'service',
    hostname: host,
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

const stateOf = async (host: string, service = 'HTTP') =>
  (await db.select().from(serviceStates).where(eq(serviceStates.hostname, host))).find((s) => s.service === service);

describe('storeBatch', () => {
  it('stores text exactly as sent: quotes, backslashes, question marks, newlines, emoji', async () => {
    const host = `text-${run}.example`;
    const awkward = `it's "fine"? \\ 100% ; DROP TABLE x; -- 🚀\nsecond line ${'é'.repeat(3)}`;
    const e = event({
      at: T,
      host,
      output: awkward,
      longOutput: awkward.repeat(20),
      perfdata: "'used'=5%;80;90",
      extra: { note: awkward, n: 1 },
      samples: [{ label: "used 'x'", value: 5, unit: '%', warn: 80, crit: 90, min: null, max: null }],
    });
    expect(await storeBatch(db, { events: [e] })).toBe(1);
    const [row] = await db.select().from(monitoringEvents).where(eq(monitoringEvents.hostname, host));
    expect(row).toMatchObject({ output: awkward, longOutput: awkward.repeat(20), perfdata: "'used'=5%;80;90", extra: { note: awkward, n: 1 } });
    expect(row!.occurredAt.toISOString()).toBe(new Date(T).toISOString());
    const [sample] = await db.select().from(perfSamples).where(eq(perfSamples.hostname, host));
    expect(sample).toMatchObject({ label: "used 'x'", value: 5, unit: '%', warn: 80, crit: 90, min: null });
    expect((await stateOf(host))?.output).toBe(awkward);
  });

  it('stores a repeated event once and says how many were new', async () => {
    const host = `dup-${run}.example`;
    const a = event({ at: T, host });
    const b = event({ at: T + 1000, host, state: 'CRITICAL' });
    expect(await storeBatch(db, { events: [a, b] })).toBe(2);
    expect(await storeBatch(db, { events: [a, b, a] })).toBe(0);
    expect(await db.$count(monitoringEvents, eq(monitoringEvents.hostname, host))).toBe(2);
  });

  it('never lets a late, older event overwrite the current state, and keeps when the state began', async () => {
    const host = `late-${run}.example`;
    await storeBatch(db, { events: [event({ at: T, host, state: 'CRITICAL', stateDurationSec: 60 })] });
    await storeBatch(db, { events: [event({ at: T - 3_600_000, host, state: 'OK', output: 'old' })] });
    let state = await stateOf(host);
    expect(state).toMatchObject({ state: 'CRITICAL', lastEventAt: new Date(T), stateSince: new Date(T - 60_000) });

    // Same state again later: still CRITICAL since the first event; a change starts a new period.
    await storeBatch(db, { events: [event({ at: T + 60_000, host, state: 'CRITICAL', stateDurationSec: 0 })] });
    expect((await stateOf(host))?.stateSince).toEqual(new Date(T - 60_000));
    await storeBatch(db, { events: [event({ at: T + 120_000, host, state: 'OK', stateDurationSec: 0 })] });
    state = await stateOf(host);
    expect(state).toMatchObject({ state: 'OK', stateSince: new Date(T + 120_000), lastEventAt: new Date(T + 120_000) });
  });

  it('keeps a dead letter once per broker message-id', async () => {
    const messageId = `ID:store-${run}-1`;
    const dead = { destination: '/queue/x', messageId, headers: { 'message-id': messageId }, body: '{not json', reason: 'not JSON' };
    await storeBatch(db, { events: [], deadLetters: [dead] });
    await storeBatch(db, { events: [], deadLetters: [dead, { ...dead, messageId: `ID:store-${run}-2` }] });
    expect(await db.$count(deadLetters, like(deadLetters.messageId, `ID:store-${run}-%`))).toBe(2);
  });

  it('writes overlapping batches concurrently without losing or doubling anything', async () => {
    // Forty batches over the same 40 hosts × 5 services, in opposite orders, all at once: the rows
    // they share are locked in one order (or the deadlock is retried), and every event lands once.
    const hosts = Array.from({ length: 40 }, (_, i) => `conc-${i}-${run}.example`);
    const all = hosts.flatMap((host, h) =>
      ['a', 'b', 'c', 'd', 'e'].map((service, s) => event({ at: T + h * 10 + s, host, service, state: s % 2 ? 'WARNING' : 'OK' })),
    );
    const batches = Array.from({ length: 40 }, (_, i) => (i % 2 ? [...all].reverse() : all).slice(0, 150 + i));
    const inserted = await Promise.all(batches.map((events) => storeBatch(db, { events })));
    expect(inserted.reduce((a, b) => a + b, 0)).toBe(all.length);
    expect(await db.$count(monitoringEvents, like(monitoringEvents.hostname, `conc-%-${run}.example`))).toBe(all.length);
    expect(await db.$count(serviceStates, like(serviceStates.hostname, `conc-%-${run}.example`))).toBe(all.length);
  });
});
