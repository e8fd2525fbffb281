import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import type { Client } from '@stomp/stompjs';
import { eq, like, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../db/connection';
import { deadLetters, monitoringEvents, perfSamples, serviceStates, vms } from '../db/schema';
import type { BatchObservation } from '../metrics/workers';
import { parseBrokerUrl } from '../stomp/broker-url';
import { connectTestClient, publishAll } from '../testing/stomp-test-client';
import { TcpProxy } from '../testing/tcp-proxy';
import { ingesterCommand } from './command';
import { Ingester } from './ingester';

// Against the real ActiveMQ and MariaDB: each test has its own destination and host names.
const { db, pool } = createDb(process.env.DATABASE_URL!, { connectionLimit: 4 });
let publisher: Client;
const running: Ingester[] = [];

const SEED = { time_t: 1266427384, state: 'WARNING', state_type: 'HARD', state_time: 86492, attempt: 6, hostname: 'service-host.example.com', max_attempts: 6, service: 'SERVICE NAME' };

function startIngester(destination: string, extra: Partial<ConstructorParameters<typeof Ingester>[1]> = {}, database = db) {
  const ingester = new Ingester(database, {
    endpoints: parseBrokerUrl(process.env.STOMP_URL!),
    destination,
    batchSize: 200,
    batchMs: 10,
    prefetch: 1000,
    concurrency: 2,
    subscriptionName: `test-${randomUUID().slice(0, 8)}`,
    instance: `test-${randomUUID().slice(0, 8)}`,
    mode: 'batch',
    maxClockSkewSec: 300,
    log: () => undefined,
    ...extra,
  });
  ingester.start();
  running.push(ingester);
  return ingester;
}

async function until<T>(what: string, fn: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Rejects when `promise` takes longer than `ms`, so cleanup can never turn into a test timeout. */
async function withinMs<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took more than ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const countFor = async (hostnamePattern: string) =>
  Number((await db.select({ n: sql<number>`COUNT(*)` }).from(monitoringEvents).where(like(monitoringEvents.hostname, hostnamePattern)))[0]!.n);

beforeAll(async () => {
  publisher = await connectTestClient();
});

afterAll(async () => {
  await Promise.all(running.map((i) => i.stop()));
  await publisher.deactivate();
  await pool.end();
});

describe('the ingester', () => {
  it('stores the seed’s exact JSON, our extended events and host events', async () => {
    const queue = `/queue/test.ingest.${randomUUID()}`;
    const host = `seed-${randomUUID().slice(0, 8)}.example.com`;
    startIngester(queue);
    await publishAll(publisher, queue, [
      JSON.stringify({ ...SEED, hostname: host }),
      JSON.stringify({ ...SEED, hostname: host, time_t: SEED.time_t + 5, state: 'OK', kind: 'service', output: 'OK - fine', perfdata: 'load1=0.2;4;8;0', event_id: randomUUID(), source: 'test' }),
      JSON.stringify({ time_t: SEED.time_t + 9, state: 'DOWN', state_type: 'SOFT', state_time: 0, attempt: 1, hostname: host, max_attempts: 3 }),
    ]);
    await until('events stored', () => countFor(host), (n) => n === 3);
    const rows = await db.select().from(monitoringEvents).where(eq(monitoringEvents.hostname, host)).orderBy(monitoringEvents.occurredAt);
    expect(rows.map((r) => [r.kind, r.service, r.state, r.stateType])).toEqual([
      ['service', 'SERVICE NAME', 'WARNING', 'HARD'],
      ['service', 'SERVICE NAME', 'OK', 'HARD'],
      ['host', '', 'DOWN', 'SOFT'],
    ]);
    expect(rows[0]).toMatchObject({ stateDurationSec: 86492, attempt: 6, maxAttempts: 6, occurredAt: new Date(SEED.time_t * 1000), vmId: null });
    expect(rows[1]).toMatchObject({ output: 'OK - fine', source: 'test' });
    const states = await db.select().from(serviceStates).where(eq(serviceStates.hostname, host));
    expect(Object.fromEntries(states.map((s) => [s.service, s.state]))).toEqual({ 'SERVICE NAME': 'OK', '': 'DOWN' });
  });

  it('matches events to VMs by Nagios host name, then address', async () => {
    const queue = `/queue/test.ingest.${randomUUID()}`;
    const [web] = await db.select().from(vms).where(eq(vms.nagiosHostName, 'web-01.acme.example'));
    startIngester(queue);
    const marker = `match-${randomUUID().slice(0, 8)}`;
    await publishAll(publisher, queue, [
      JSON.stringify({ ...SEED, hostname: '192.0.2.10', service: marker, event_id: randomUUID() }),
      JSON.stringify({ ...SEED, hostname: 'something-else', host_name: 'web-01.acme.example', service: marker, event_id: randomUUID() }),
    ]);
    const rows = await until(
      'matched',
      () => db.select().from(monitoringEvents).where(eq(monitoringEvents.service, marker)),
      (r) => r.length === 2,
    );
    expect(rows.map((r) => r.vmId)).toEqual([web!.id, web!.id]);
  });

  it('stores a message delivered twice once, and turns a malformed body into a dead letter without stopping', async () => {
    const queue = `/queue/test.ingest.${randomUUID()}`;
    const host = `dup-${randomUUID().slice(0, 8)}.example.com`;
    const body = JSON.stringify({ ...SEED, hostname: host });
    const bad = `{"broken": ${randomUUID()}`;
    const batches: BatchObservation[] = [];
    const ingester = startIngester(queue, { observe: (b) => batches.push(b) });
    await publishAll(publisher, queue, [body, body, bad, JSON.stringify({ ...SEED, hostname: host, state: 'OK', time_t: SEED.time_t + 1 })]);
    await until('good events stored', () => countFor(host), (n) => n === 2);
    const dead = await until('dead letter', () => db.select().from(deadLetters).where(eq(deadLetters.body, bad)), (r) => r.length === 1);
    expect(dead[0]!.reason).toMatch(/JSON/i);
    expect(dead[0]!.status).toBe('new');
    await until('all acked', async () => ingester.stats.acked, (n) => n === 4);
    expect(await countFor(host)).toBe(2);
    expect(ingester.stats).toMatchObject({ stored: 2, duplicates: 1, deadLetters: 1 });
    // What lib/metrics/workers.ts counts: every message of every batch, by outcome, with its commit time.
    const sum = (k: 'size' | 'stored' | 'duplicates' | 'deadLetters') => batches.reduce((n, b) => n + b[k], 0);
    expect({ size: sum('size'), stored: sum('stored'), duplicates: sum('duplicates'), deadLetters: sum('deadLetters') }).toEqual({ size: 4, stored: 2, duplicates: 1, deadLetters: 1 });
    expect(batches.every((b) => b.commitSeconds > 0 && b.commitSeconds < 30)).toBe(true);
  });

  it('stops acking while the database is away, retries, and stores everything once when it returns', async () => {
    const queue = `/queue/test.ingest.${randomUUID()}`;
    const host = `outage-${randomUUID().slice(0, 8)}`;
    const url = new URL(process.env.DATABASE_URL!);
    const proxy = await new TcpProxy(Number(url.port)).start();
    url.port = String(proxy.port);
    const viaProxy = createDb(url.toString(), { connectionLimit: 3 });
    const body = (i: number) => JSON.stringify({ ...SEED, hostname: `${host}.example.com`, time_t: SEED.time_t + i, event_id: `${host}-${i}` });
    const ingester = startIngester(queue, {}, viaProxy.db);
    try {
      await publishAll(publisher, queue, Array.from({ length: 20 }, (_, i) => body(i)));
      await until('first events stored', async () => ingester.stats.acked, (n) => n === 20);

      await proxy.cut();
      await publishAll(publisher, queue, Array.from({ length: 30 }, (_, i) => body(20 + i)));
      await until('write failure noticed', async () => ingester.stats.lastError, (e) => e !== null);
      await new Promise((r) => setTimeout(r, 1_000));
      expect(ingester.stats.acked).toBe(20);
      expect(await countFor(`${host}.%`)).toBe(20);

      await proxy.start();
      await until('all stored after the outage', async () => ingester.stats.acked, (n) => n === 50, 60_000);
      expect(await countFor(`${host}.%`)).toBe(50);
      expect(ingester.stats).toMatchObject({ stored: 50, duplicates: 0, lastError: null });
    } finally {
      // Restore the relay before stopping: stop() finishes the batches in flight, and with the
      // database unreachable it would wait for ever and hide a failed assertion behind a timeout.
      await proxy.start();
      await withinMs(10_000, 'ingester.stop()', ingester.stop());
      await proxy.cut();
      await viaProxy.pool.end();
    }
  });

  it('keeps topic events published while it is down (durable subscription)', async () => {
    const topic = `/topic/test.ingest.${randomUUID()}`;
    const host = `durable-${randomUUID().slice(0, 8)}.example.com`;
    const subscriptionName = `durable-${randomUUID().slice(0, 8)}`;
    const first = startIngester(topic, { subscriptionName });
    await until('subscribed', async () => first.stats.connected, (c) => c);
    await new Promise((r) => setTimeout(r, 300));
    await first.stop();
    await publishAll(publisher, topic, Array.from({ length: 25 }, (_, i) => JSON.stringify({ ...SEED, hostname: host, time_t: SEED.time_t + i, event_id: `${host}-${i}` })));
    startIngester(topic, { subscriptionName });
    await until('events published while down', () => countFor(host), (n) => n === 25);
  });

  it('shares a virtual topic between two ingesters: each event stored once, both take part, none lost while they are down', async () => {
    const topic = `/topic/VirtualTopic.test.${randomUUID().slice(0, 8)}`;
    const host = `vtopic-${randomUUID().slice(0, 8)}.example.com`;
    const subscriptionName = `vt-${randomUUID().slice(0, 8)}`;
    const body = (i: number) => JSON.stringify({ ...SEED, hostname: host, service: `svc-${i}`, time_t: SEED.time_t + i, event_id: `${host}-${i}` });
    const one = startIngester(topic, { subscriptionName, batchSize: 20 });
    const two = startIngester(topic, { subscriptionName, batchSize: 20 });
    await until('both subscribed', async () => one.stats.connected && two.stats.connected, (c) => c);
    await new Promise((r) => setTimeout(r, 300));
    await publishAll(publisher, topic, Array.from({ length: 400 }, (_, i) => body(i)));
    await until('events stored', () => countFor(host), (n) => n === 400);
    expect(one.stats.stored + two.stats.stored).toBe(400);
    expect(Math.min(one.stats.acked, two.stats.acked)).toBeGreaterThan(0);
    // The consumer queue keeps what the topic gets while no ingester runs.
    await Promise.all([one.stop(), two.stop()]);
    await publishAll(publisher, topic, Array.from({ length: 25 }, (_, i) => body(400 + i)));
    startIngester(topic, { subscriptionName });
    await until('events published while down', () => countFor(host), (n) => n === 425);
  });

  it('recovers from SIGKILL in the middle of 20,000 events with each stored exactly once', async () => {
    const queue = `/queue/test.ingest.${randomUUID()}`;
    const host = `kill-${randomUUID().slice(0, 8)}`;
    const total = 20_000;
    const bodies = Array.from({ length: total }, (_, i) =>
      JSON.stringify({ ...SEED, hostname: `${host}.example.com`, service: `svc-${i % 50}`, time_t: SEED.time_t + i, event_id: `${host}-${i}`, source: 'kill-test' }),
    );
    await publishAll(publisher, queue, bodies);

    const { command, args } = ingesterCommand();
    const spawnIngester = (): ChildProcess =>
      spawn(command, args, {
        env: { ...process.env, EVENTS_DESTINATION: queue, INGEST_INSTANCE: `${host}-proc` },
        stdio: 'ignore',
      });
    const first = spawnIngester();
    await until('part stored', () => countFor(`${host}.%`), (n) => n >= 2_000, 60_000);
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    const atKill = await countFor(`${host}.%`);
    expect(atKill).toBeLessThan(total);

    const second = spawnIngester();
    try {
      await until('all stored', () => countFor(`${host}.%`), (n) => n >= total, 90_000);
      await new Promise((r) => setTimeout(r, 500));
      const [row] = await db
        .select({ n: sql<number>`COUNT(*)`, distinctIds: sql<number>`COUNT(DISTINCT ${monitoringEvents.eventId})` })
        .from(monitoringEvents)
        .where(like(monitoringEvents.hostname, `${host}.%`));
      expect(Number(row!.n)).toBe(total);
      expect(Number(row!.distinctIds)).toBe(total);
    } finally {
      second.kill('SIGTERM');
      await new Promise((r) => second.once('exit', r));
    }
  }, 180_000);
});

describe('poison messages', () => {
  const deadLettersFor = (marker: string) => db.select().from(deadLetters).where(like(deadLetters.body, `%${marker}%`));

  it('stores the rest and keeps what the database refuses as a dead letter with its reason, acking all', async () => {
    // Messages that pass validation but that this test database refuses: a CHECK constraint that
    // exists only here, for the duration of the test. Production code is not loosened.
    await db.execute(sql.raw("ALTER TABLE monitoring_events ADD CONSTRAINT ingest_test_poison CHECK (service NOT LIKE 'refused-by-db%')"));
    try {
      const queue = `/queue/test.ingest.${randomUUID()}`;
      const host = `poison-${randomUUID().slice(0, 8)}`;
      const good = (i: number) => JSON.stringify({ ...SEED, hostname: `${host}.example.com`, time_t: SEED.time_t + i, event_id: `${host}-${i}` });
      const poison = (i: number) => JSON.stringify({ ...SEED, hostname: `${host}.example.com`, service: `refused-by-db ${i}`, event_id: `${host}-p${i}` });
      const malformed = `{"not json ${host}`;
      // One batch of 50 (batchSize 200): two poisons, one malformed body, 47 good ones.
      const bodies = Array.from({ length: 47 }, (_, i) => good(i));
      bodies.splice(0, 0, poison(1));
      bodies.splice(30, 0, poison(2), malformed);
      const ingester = startIngester(queue, { batchMs: 200 });
      await publishAll(publisher, queue, bodies);
      await until('all acked', async () => ingester.stats.acked, (n) => n === 50);
      expect(await countFor(`${host}.%`)).toBe(47);
      const dead = await deadLettersFor(host);
      expect(dead).toHaveLength(3);
      const refused = dead.filter((d) => d.body.includes('refused-by-db')).map((d) => d.reason);
      expect(refused).toHaveLength(2);
      for (const reason of refused) expect(reason).toMatch(/^the database refused it: CONSTRAINT `ingest_test_poison` failed/);
      expect(dead.find((d) => d.body === malformed)?.reason).toMatch(/^invalid JSON/);
      expect(ingester.stats).toMatchObject({ stored: 47, duplicates: 0, deadLetters: 3, lastError: null });

      // And a batch of one poison and one good message, each in a later batch of its own.
      await publishAll(publisher, queue, [poison(3), good(100)]);
      await until('later batch acked', async () => ingester.stats.acked, (n) => n === 52);
      expect(await countFor(`${host}.%`)).toBe(48);
      expect(await deadLettersFor(host)).toHaveLength(4);
    } finally {
      await db.execute(sql.raw('ALTER TABLE monitoring_events DROP CONSTRAINT ingest_test_poison'));
    }
  });

  it('keeps the largest values every column holds, and turns each over-limit variant into a dead letter that says why', async () => {
    const queue = `/queue/test.ingest.${randomUUID()}`;
    const host = `limits-${randomUUID().slice(0, 8)}`;
    const nested = (levels: number) => '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);
    const base = { ...SEED, hostname: `${host}.example.com` };
    let n = 0;
    const body = (fields: Record<string, unknown>) => JSON.stringify({ ...base, event_id: `${host}-${++n}`, time_t: SEED.time_t + n, ...fields });
    const withRaw = (raw: string) => body({}).replace(/}$/, `,${raw}}`);

    // At the limit: all stored.
    const atLimit = [
      body({ attempt: 65_535, max_attempts: 65_535 }),
      body({ state_time: 4_294_967_295 }),
      body({ attempt: -0 }),
      withRaw(`"deep":${nested(30)}`),
      body({ service: '🚀'.repeat(255) }),
      body({ hostname: `${host}.example.com`, host_name: 'é'.repeat(255), source: '𝄞'.repeat(128) }),
      body({ output: '€'.repeat(2730), long_output: 'x'.repeat(65_535), perfdata: `a=1 ${'b'.repeat(8000)}=2` }),
      body({ perfdata: 'huge=1e309 negzero=-0 nan=NaN tiny=5e-324 big=1.7976931348623157e308 inf=inf', service: `perf-${host}` }),
    ];
    // Over the limit: each a dead letter from validation, with the field and the limit in the reason.
    const overLimit: Array<[string, RegExp]> = [
      [body({ attempt: 65_536 }), /^attempt: 65536 is too large \(max 65535\)$/],
      [body({ max_attempts: 2_147_483_648 }), /^max_attempts: 2147483648 is too large \(max 65535\)$/],
      [body({ state_time: 4_294_967_296 }), /^state_time: 4294967296 is too large \(max 4294967295\)$/],
      [withRaw('"attempt":1e309'), /^attempt: /],
      [withRaw('"state_time":-0.5'), /^state_time: /],
      [withRaw(`"deep":${nested(31)}`), /^deep: nested deeper than 31 levels/],
      [withRaw('"odd":"\\ud800"'), /^odd: .*lone surrogate/],
      [body({ output: 'x\ud800' }), /^output: .*lone surrogate/],
      [body({ hostname: 'h'.repeat(256) }), /^hostname: longer than 255 characters$/],
      [body({ service: '🚀'.repeat(256) }), /^service: longer than 255 characters$/],
      [body({ source: 's'.repeat(129) }), /^source: longer than 128 characters$/],
      [body({ output: '€'.repeat(2731) }), /^output: 8193 bytes, longer than the 8192 byte limit$/],
      [body({ long_output: 'x'.repeat(65_536) }), /^long_output: 65536 bytes/],
      [body({ time_t: 2 ** 31 + 1 }), /^time_t 2038-01-19T03:14:09\.000Z is \d+ s after the broker received the message/],
      [body({ time_t: 5_000_000_000 }), /^time_t: 5000000000 is not a plausible epoch seconds value/],
      [body({ time_t: 253_402_300_800 }), /^time_t: 253402300800 looks like milliseconds/],
    ];
    const ingester = startIngester(queue, { batchMs: 200 });
    // One batch: the over-limit messages must not hold up the others.
    await publishAll(publisher, queue, [...atLimit, ...overLimit.map(([b]) => b)]);
    const total = atLimit.length + overLimit.length;
    await until('all acked', async () => ingester.stats.acked, (k) => k === total);
    expect(ingester.stats).toMatchObject({ deadLetters: overLimit.length, lastError: null });

    const stored = await db.select().from(monitoringEvents).where(like(monitoringEvents.hostname, `${host}.%`)).orderBy(monitoringEvents.occurredAt);
    expect(stored).toHaveLength(atLimit.length);
    expect(stored[0]).toMatchObject({ attempt: 65_535, maxAttempts: 65_535 });
    expect(stored[1]).toMatchObject({ stateDurationSec: 4_294_967_295 });
    expect(stored[2]).toMatchObject({ attempt: 0 });
    expect(JSON.stringify(stored[3]!.extra)).toBe(`{"deep":${nested(30)}}`);
    expect(stored[4]!.service).toBe('🚀'.repeat(255));
    expect(stored[6]!.longOutput).toHaveLength(65_535);
    const samples = await db.select().from(perfSamples).where(eq(perfSamples.service, `perf-${host}`));
    // Perfdata items that are not finite numbers are skipped by the parser (the event is kept);
    // -0 is stored as 0, and the extremes of DOUBLE as they are.
    expect(Object.fromEntries(samples.map((s) => [s.label, s.value]))).toEqual({ negzero: 0, tiny: 5e-324, big: 1.7976931348623157e308 });
    const states = await db.select().from(serviceStates).where(like(serviceStates.hostname, `${host}.%`));
    expect(states.length).toBeGreaterThan(0);

    const dead = await db.select().from(deadLetters).where(like(deadLetters.body, `%${host}-%`));
    expect(dead).toHaveLength(overLimit.length);
    for (const [b, reason] of overLimit) {
      const letter = dead.find((d) => d.body === b);
      expect(letter, b.slice(0, 80)).toBeDefined();
      expect(letter!.reason).toMatch(reason);
    }
  });
});

describe('bad clocks', () => {
  it('never lets an event dated after its receipt become a current state or top the history', async () => {
    const queue = `/queue/test.ingest.${randomUUID()}`;
    const host = `clock-${randomUUID().slice(0, 8)}.example.com`;
    const ingester = startIngester(queue, { batchMs: 50 });
    const nowSec = Math.floor(Date.now() / 1000);
    const at = (timeT: number, state: string, id: string) =>
      JSON.stringify({ ...SEED, hostname: host, service: 'CLOCK', time_t: timeT, state, event_id: `${host}-${id}` });

    await publishAll(publisher, queue, [at(nowSec - 60, 'OK', 'past')]);
    // ActiveMQ stamps each message with its receipt time (ms since the epoch).
    await publishAll(publisher, queue, [at(nowSec + 10 * 365 * 86400, 'CRITICAL', 'far'), at(nowSec + 400, 'CRITICAL', 'outside'), at(nowSec + 200, 'WARNING', 'inside')]);
    // Headers a publisher sets itself: a forged receipt in the future is not believed; a zero
    // ("not stamped") or missing stamp means the ingester's own clock.
    await publishAll(publisher, queue, [at(nowSec + 3600, 'CRITICAL', 'forged')], { headers: { timestamp: String((nowSec + 7200) * 1000) } });
    await publishAll(publisher, queue, [at(nowSec + 3600, 'CRITICAL', 'unstamped-far'), at(nowSec + 100, 'UNKNOWN', 'unstamped-near')], { headers: { timestamp: '0' } });
    await until('all acked', async () => ingester.stats.acked, (n) => n === 7);

    const history = await db.select().from(monitoringEvents).where(eq(monitoringEvents.hostname, host));
    expect(history.map((r) => r.eventId).sort()).toEqual([`${host}-inside`, `${host}-past`, `${host}-unstamped-near`]);
    const [state] = await db.select().from(serviceStates).where(eq(serviceStates.hostname, host));
    expect(state?.state).toBe('WARNING');
    expect(state!.lastEventAt.getTime()).toBeLessThanOrEqual((nowSec + 300) * 1000);

    const dead = await db.select().from(deadLetters).where(like(deadLetters.body, `%${host}%`));
    expect(dead.map((d) => (JSON.parse(d.body) as { event_id: string }).event_id).sort()).toEqual(
      [`${host}-far`, `${host}-forged`, `${host}-outside`, `${host}-unstamped-far`].sort(),
    );
    for (const d of dead) expect(d.reason).toMatch(/s after the broker received the message .*more than the allowed clock skew of 300 s/);
  });
});
