// The health states against the real services of the test run, in-process: a dead directory or broker
// is a config pointing at a closed port, never a stopped shared service.
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { Directory } from '../auth/ldap';
import { createDb } from '../db/connection';
import { reportIngesterStatus } from '../db/queries/ingester-status';
import { alertDeliveries, deadLetters, ingesterStatus } from '../db/schema';
import { parseBrokerUrl } from '../stomp/broker-url';
import { connectSession } from '../stomp/connect';
import { TEST_DIRECTORY_CONFIG } from '../testing/test-directory';
import { brokerQueueProbe, checkHealth, checkReady } from './checks';
import { httpStatusFor } from './status';

const { db, pool } = createDb(process.env.DATABASE_URL!, { connectionLimit: 4 });
const directory = new Directory(TEST_DIRECTORY_CONFIG);
const brokers = parseBrokerUrl(process.env.STOMP_URL!);
const deadDirectory = new Directory({ ...TEST_DIRECTORY_CONFIG, url: 'ldap://127.0.0.1:1' });
const deadBrokers = parseBrokerUrl('stomp://127.0.0.1:1');
const badUrl = new URL(process.env.DATABASE_URL!);
badUrl.port = '1';
const bad = createDb(badUrl.toString(), { connectionLimit: 1 });

const tag = `health-${randomUUID().slice(0, 8)}`;
afterAll(async () => {
  await db.delete(ingesterStatus).where(eq(ingesterStatus.instance, tag));
  await db.delete(deadLetters).where(eq(deadLetters.messageId, tag));
  await db.delete(alertDeliveries).where(eq(alertDeliveries.service, tag));
  await Promise.all([pool.end(), bad.pool.end()]);
});

describe('checkHealth', () => {
  it('is ok with every service up, and reports the version and the pipeline', async () => {
    const report = await checkHealth({ db, directory, brokers });
    expect(report).toMatchObject({ status: 'ok', checks: { database: 'ok', ldap: 'ok', broker: 'ok' }, version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
    expect(report.pipeline).toMatchObject({ deadLetters: expect.any(Number), notificationBacklog: expect.any(Number), ingesters: expect.any(Array) });
  });

  it('is degraded (200), not down, when the directory or the broker does not answer', async () => {
    const noLdap = await checkHealth({ db, directory: deadDirectory, brokers });
    expect(noLdap.status).toBe('degraded');
    expect(noLdap.checks).toMatchObject({ database: 'ok', broker: 'ok', ldap: expect.not.stringMatching(/^ok$/) });
    const noBroker = await checkHealth({ db, directory, brokers: deadBrokers });
    expect(noBroker.status).toBe('degraded');
    expect(noBroker.checks).toMatchObject({ database: 'ok', ldap: 'ok', broker: expect.stringContaining('127.0.0.1:1') });
    expect(noBroker.pipeline).not.toBeNull();
    expect(httpStatusFor(noBroker.status)).toBe(200);
  });

  it('is down (503) when the database does not answer, and has no pipeline to show', async () => {
    const report = await checkHealth({ db: bad.db, directory, brokers });
    expect(report.status).toBe('down');
    expect(report.checks.database).not.toBe('ok');
    expect(report.pipeline).toBeNull();
    expect(httpStatusFor(report.status)).toBe(503);
  });

  it('counts new dead letters, due deliveries and ingester heartbeats from the database', async () => {
    const now = new Date();
    const before = (await checkHealth({ db, directory, brokers, now: () => now })).pipeline!;
    await reportIngesterStatus(db, { instance: tag, destination: '/queue/health', connected: true, startedAt: now, updatedAt: new Date(now.getTime() - 2000) });
    await db.insert(deadLetters).values({ receivedAt: now, destination: '/queue/health', messageId: tag, body: '{}', reason: 'test' });
    const delivery = { accountId: 1, ruleId: 1, eventId: 1, contactId: 1, vmId: 1, service: tag, state: 'CRITICAL', channel: 'email' as const, reason: 'test', createdAt: now, updatedAt: now };
    await db.insert(alertDeliveries).values([
      { ...delivery, seq: 0, status: 'pending', dueAt: new Date(now.getTime() - 60_000) },
      { ...delivery, seq: 1, status: 'waiting', dueAt: new Date(now.getTime() - 1000) },
      { ...delivery, seq: 2, status: 'pending', dueAt: new Date(now.getTime() + 3_600_000) }, // not due yet
      { ...delivery, seq: 3, status: 'sent', dueAt: null },
    ]);
    const after = (await checkHealth({ db, directory, brokers, now: () => now })).pipeline!;
    expect(after.deadLetters).toBe(before.deadLetters + 1);
    expect(after.notificationBacklog).toBe(before.notificationBacklog + 2);
    expect(after.ingesters.find((i) => i.instance === tag)).toMatchObject({ connected: true, heartbeatAgeSeconds: 2 });
  });
});

describe('the queue depth, as the broker tells it (statistics plugin)', () => {
  const queue = `test.health.depth.${tag}`;
  const topic = `VirtualTopic.test.health.${tag}`;
  const consumerQueue = `Consumer.t1.${topic}`;

  /** Subscribes, takes up to `count` messages (acking them), unsubscribes: creates a queue, or empties it. */
  async function drain(destination: string, count: number) {
    const session = await connectSession(brokers[0]!);
    let got = 0;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, count === 0 ? 300 : 3000);
      const sub = session.client.subscribe(destination, () => {
        if (++got >= count) {
          clearTimeout(timer);
          sub.unsubscribe();
          resolve();
        }
      });
    });
    await session.close();
    return got;
  }

  async function send(destination: string, n: number) {
    const session = await connectSession(brokers[0]!);
    for (let i = 0; i < n; i++) await session.send(destination, `{"n":${i}}`);
    await session.close();
  }

  afterAll(async () => {
    await drain(`/queue/${queue}`, 5);
    await drain(`/queue/${consumerQueue}`, 3);
  });

  it('counts what waits on a queue, and on every consumer queue of a virtual topic', async () => {
    await send(`/queue/${queue}`, 5);
    expect(await brokerQueueProbe(brokers, `/queue/${queue}`)()).toEqual([{ queue, messages: 5, consumers: 0 }]);
    const report = await checkHealth({ db, directory, brokers, queueDepths: brokerQueueProbe(brokers, `/queue/${queue}`) });
    expect(report.pipeline).toMatchObject({ queueDepth: 5, queues: [{ queue, messages: 5 }] });

    await drain(`/queue/${consumerQueue}`, 0); // the consumer queue exists from its first subscriber on
    await send(`/topic/${topic}`, 3);
    expect(await brokerQueueProbe(brokers, `/topic/${topic}`)()).toEqual([{ queue: consumerQueue, messages: 3, consumers: 0 }]);
  });

  it('is unknown (null) for a queue the broker does not have, a plain topic or a dead broker, and then asks again only later', async () => {
    const probe = brokerQueueProbe(brokers, `/queue/test.health.none.${tag}`, 60_000);
    expect(await probe()).toBeNull();
    const started = Date.now();
    expect(await probe()).toBeNull(); // not asked again: no second wait
    expect(Date.now() - started).toBeLessThan(50);
    expect(await brokerQueueProbe(brokers, `/topic/plain.${tag}`)()).toBeNull();
    expect(await brokerQueueProbe(deadBrokers, `/queue/${queue}`)()).toBeNull();
    const report = await checkHealth({ db, directory, brokers: deadBrokers, queueDepths: brokerQueueProbe(deadBrokers, `/queue/${queue}`) });
    expect(report).toMatchObject({ status: 'degraded', pipeline: { queueDepth: null, queues: null } });
  });
});

describe('checkReady', () => {
  it('is ok while the database answers, whatever LDAP and the broker do', async () => {
    expect(await checkReady(db)).toEqual({ status: 'ok', database: 'ok' });
  });

  it('is down with the reason when it does not', async () => {
    const report = await checkReady(bad.db);
    expect(report.status).toBe('down');
    expect(report.database).toMatch(/ECONNREFUSED|did not answer/);
  });
});
