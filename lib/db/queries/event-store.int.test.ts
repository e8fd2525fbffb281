import { randomUUID } from 'node:crypto';
import { eq, like } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { createDb } from '../connection';
import { deadLetters, monitoringEvents, perfSamples, serviceStates } from '../schema';
import { databaseErrorAction, driverError } from '../errors';
import { classifyMessage } from '../../ingest/classify';
import { writeIsolating } from '../../ingest/isolate';
import { type EventToStore, storeBatch } from './event-store';

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

describe('deduplication through the real event key', () => {
  // Events made the way the ingester makes them: classifyMessage on a wire body, so the key is
  // lib/monitoring/event-key.ts's. The classification of a redelivery happens later than the first.
  const seedBody = (fields: Record<string, unknown> = {}) =>
    JSON.stringify({ time_t: 1266427384, state: 'WARNING', state_type: 'HARD', state_time: 86492, attempt: 6, hostname: `key-${run}.example`, max_attempts: 6, service: 'SERVICE NAME', ...fields });
  const classified = async (body: string) => {
    await new Promise((r) => setTimeout(r, 5)); // a key that depended on the time of receipt would differ
    const result = classifyMessage({ body, headers: {} }, { receivedAtMs: Date.now(), maxClockSkewSec: 300 });
    if (!result.ok) throw new Error(result.error);
    return result.value;
  };
  const rows = (hostname: string) => db.$count(monitoringEvents, eq(monitoringEvents.hostname, hostname));

  it('stores a seed-format event (no event_id) sent twice once, even in one batch', async () => {
    const body = seedBody();
    expect(await storeBatch(db, { events: [await classified(body)] })).toBe(1);
    expect(await storeBatch(db, { events: [await classified(body)] })).toBe(0);
    // Normalization is part of the key: whitespace and case the ingester normalizes away change nothing.
    expect(await storeBatch(db, { events: [await classified(seedBody({ hostname: `  key-${run}.example `, state: 'warning', state_type: 'hard' }))] })).toBe(0);
    expect(await storeBatch(db, { events: [await classified(body), await classified(body)] })).toBe(0);
    expect(await rows(`key-${run}.example`)).toBe(1);
  });

  it.each([
    ['time_t', { time_t: 1266427385 }],
    ['state', { state: 'CRITICAL' }],
    ['state_type', { state_type: 'SOFT' }],
    ['state_time', { state_time: 86493 }],
    ['attempt', { attempt: 5 }],
    ['max_attempts', { max_attempts: 7 }],
    ['service', { service: 'SERVICE NAME 2' }],
    ['service (host event)', { service: null, state: 'DOWN' }],
    ['source', { source: 'nagios-2' }],
  ])('stores a new row when the key field %s changes', async (_field, change) => {
    const hostname = `keyfield-${run}-${String(_field).replace(/\W/g, '')}.example`;
    expect(await storeBatch(db, { events: [await classified(seedBody({ hostname }))] })).toBe(1);
    expect(await storeBatch(db, { events: [await classified(seedBody({ hostname, ...change }))] })).toBe(1);
    expect(await storeBatch(db, { events: [await classified(seedBody({ hostname, ...change }))] })).toBe(0);
    expect(await rows(hostname)).toBe(2);
  });

  it('a new hostname is a new row', async () => {
    expect(await storeBatch(db, { events: [await classified(seedBody({ hostname: `keyhost-a-${run}.example` }))] })).toBe(1);
    expect(await storeBatch(db, { events: [await classified(seedBody({ hostname: `keyhost-b-${run}.example` }))] })).toBe(1);
  });

  it('dedups an event with event_id by it (and its source), whatever else changes', async () => {
    const hostname = `keyid-${run}.example`;
    const id = `id-${run}`;
    expect(await storeBatch(db, { events: [await classified(seedBody({ hostname, event_id: id }))] })).toBe(1);
    expect(await storeBatch(db, { events: [await classified(seedBody({ hostname, event_id: id, output: 'resent', ticket: 7, state_time: 1 }))] })).toBe(0);
    expect(await rows(hostname)).toBe(1);
    expect(await storeBatch(db, { events: [await classified(seedBody({ hostname, event_id: `${id}-2` }))] })).toBe(1);
    expect(await storeBatch(db, { events: [await classified(seedBody({ hostname, event_id: id, source: 'other-nagios' }))] })).toBe(1);
    expect(await rows(hostname)).toBe(3);
  });
});

describe('what MariaDB refuses, and how the ingester tells it from an outage', () => {
  // Events that skip validation on purpose (built by hand), to see the real server errors behind
  // the limits in lib/monitoring/wire.ts.
  const refusals: Array<[string, Partial<EventToStore>, RegExp]> = [
    ['attempt over SMALLINT UNSIGNED', { attempt: 65_536 }, /Out of range value for column 'attempt'/],
    ['state_time over INT UNSIGNED', { stateDurationSec: 4_294_967_296 }, /Out of range value for column 'state_duration_sec'/],
    ['hostname over 255 characters', { hostname: 'h'.repeat(256) }, /Data too long for column 'hostname'/],
    ['service over 255 characters', { service: '🚀'.repeat(256) }, /Data too long for column 'service'/],
    ['output over TEXT', { output: 'x'.repeat(65_536) }, /Data too long for column 'output'/],
    ['extra nested 32 levels', { extra: JSON.parse('{"a":'.repeat(32) + '1' + '}'.repeat(32)) as Record<string, unknown> }, /CONSTRAINT `monitoring_events.extra` failed/],
    ['a lone surrogate in extra', { extra: { a: '\ud800' } }, /CONSTRAINT `monitoring_events.extra` failed/],
    ['a date past DATETIME', { at: Date.UTC(10_000, 0, 1) } as Partial<EventToStore>, /Incorrect datetime value/],
  ];

  it.each(refusals)('refuses %s with an error the ingester isolates', async (_what, change, message) => {
    const { at, ...rest } = change as Partial<EventToStore> & { at?: number };
    const bad = event({ at: at ?? T, host: `refused-${run}.example`, ...rest });
    const error = await storeBatch(db, { events: [bad] }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).not.toBeNull();
    expect(driverError(error).message).toMatch(message);
    expect(databaseErrorAction(error)).toBe('isolate');
  });

  it('accepts extra nested 31 levels, the most event.ts lets through', async () => {
    const extra = JSON.parse('{"a":'.repeat(31) + '1' + '}'.repeat(31)) as Record<string, unknown>;
    expect(await storeBatch(db, { events: [event({ at: T, host: `deep31-${run}.example`, extra })] })).toBe(1);
  });

  it('stores every good event of a batch around the ones it refuses', async () => {
    const host = `isolate-${run}.example`;
    const good = Array.from({ length: 40 }, (_, i) => event({ at: T + i * 1000, host, service: `s${i}` }));
    const bad = [event({ at: T, host, attempt: 70_000 }), event({ at: T, host, hostname: 'x'.repeat(300) })];
    const batch = [...good.slice(0, 10), bad[0]!, ...good.slice(10, 33), bad[1]!, ...good.slice(33)];
    const refused = await writeIsolating(batch, async (part) => {
      await storeBatch(db, { events: [...part] });
    });
    expect(refused.map((r) => r.item)).toEqual(bad);
    expect(await db.$count(monitoringEvents, eq(monitoringEvents.hostname, host))).toBe(40);
  });
});

