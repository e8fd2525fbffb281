import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import type { Client } from '@stomp/stompjs';
import { eq, like, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../db/connection';
import { deadLetters, monitoringEvents, serviceStates, vms } from '../db/schema';
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
    const ingester = startIngester(queue);
    await publishAll(publisher, queue, [body, body, bad, JSON.stringify({ ...SEED, hostname: host, state: 'OK', time_t: SEED.time_t + 1 })]);
    await until('good events stored', () => countFor(host), (n) => n === 2);
    const dead = await until('dead letter', () => db.select().from(deadLetters).where(eq(deadLetters.body, bad)), (r) => r.length === 1);
    expect(dead[0]!.reason).toMatch(/JSON/i);
    expect(dead[0]!.status).toBe('new');
    await until('all acked', async () => ingester.stats.acked, (n) => n === 4);
    expect(await countFor(host)).toBe(2);
    expect(ingester.stats).toMatchObject({ stored: 2, duplicates: 1, deadLetters: 1 });
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
      await ingester.stop();
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
