import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { like, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareTestDatabase } from '../../scripts/test-setup/prepare-database';
import { createDb } from '../db/connection';
import { monitoringEvents } from '../db/schema';
import { buildCommands, run, tempDir } from '../cli/int-test-helpers';
import { BrokerPair } from '../testing/broker-pair';
import { connectTestClient, publishAll } from '../testing/stomp-test-client';
import { ingesterCommand } from './command';

// The fault matrix's first two rows (README, "Several of everything"), against a real ActiveMQ
// master/slave pair on one shared KahaDB store, in a database of their own: SIGKILL the master while
// Nagios-side commands publish and an ingester consumes, and SIGKILL one of two competing ingesters.
// Targets: every event stored, none twice. `npm run test:ha` runs the whole matrix.

const PORT_BASE = Number(process.env.HA_TEST_PORT_BASE || 62700);
const dbUrl = (() => {
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `/${url.pathname.slice(1).replace(/_test$/, '')}_brokers_test`;
  return url.toString();
})();
const dataDir = path.resolve(import.meta.dirname, '../../.data/ha', `test-${new URL(dbUrl).pathname.slice(1)}`);
const pair = new BrokerPair({
  dir: dataDir,
  brokers: [
    { name: 'broker-a', stompPort: PORT_BASE + 13, openwirePort: PORT_BASE + 16 },
    { name: 'broker-b', stompPort: PORT_BASE + 23, openwirePort: PORT_BASE + 26 },
  ],
});
let database: ReturnType<typeof createDb>;
let commands: Awaited<ReturnType<typeof buildCommands>>;
const children = new Set<ChildProcess>();

function spawnIngester(destination: string, instance: string): ChildProcess {
  const { command, args } = ingesterCommand();
  const child = spawn(command, args, {
    env: { ...process.env, DATABASE_URL: dbUrl, STOMP_URL: pair.url, EVENTS_DESTINATION: destination, INGEST_INSTANCE: instance, INGEST_BATCH_SIZE: '200' },
    stdio: 'ignore',
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

async function kill(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((r) => child.once('exit', r));
  child.kill(signal);
  await gone;
}

/** Rows for the marker host, and how many distinct events they are (service names are unique per event). */
async function counts(host: string): Promise<{ rows: number; distinct: number }> {
  const [row] = await database.db
    .select({ rows: sql<number>`COUNT(*)`, distinct: sql<number>`COUNT(DISTINCT ${monitoringEvents.service}, ${monitoringEvents.eventId})` })
    .from(monitoringEvents)
    .where(like(monitoringEvents.hostname, host));
  return { rows: Number(row!.rows), distinct: Number(row!.distinct) };
}

async function until<T>(what: string, fn: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 40_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  rmSync(dataDir, { recursive: true, force: true });
  const [built] = await Promise.all([buildCommands(), prepareTestDatabase(dbUrl), pair.start()]);
  commands = built;
  database = createDb(dbUrl, { connectionLimit: 2 });
  await pair.waitForMaster();
}, 120_000);

afterAll(async () => {
  await Promise.all([...children].map((c) => kill(c, 'SIGKILL')));
  await pair.stop();
  await database?.pool.end();
});

describe('a broker master/slave pair on one store', () => {
  it('loses and doubles nothing when the master is SIGKILLed while the Nagios command publishes and the ingester consumes', async () => {
    const destination = `/queue/test.ha.${randomUUID().slice(0, 8)}`;
    const host = `bkill-${randomUUID().slice(0, 8)}.example.com`;
    const spool = tempDir('ha-spool');
    const env = { PORTHOLE_SPOOL_DIR: spool, PORTHOLE_CONNECT_TIMEOUT_MS: '1000' };
    const total = 90;
    const before = (await pair.master())!;
    spawnIngester(destination, `${host}-ingester`);

    // Three Nagios workers' worth of event handlers at once, each its own process, as Nagios runs them.
    let next = 0;
    const outcomes: number[] = [];
    const publisher = async () => {
      while (next < total) {
        const i = next++;
        const r = await run(commands['notify-service-by-stomp'], [pair.url, destination, host, `svc-${i}`, 'CRITICAL', 'HARD', '0', '3', '3', `check ${i}`], env);
        outcomes.push(r.code ?? -1);
      }
    };
    const publishing = Promise.all([publisher(), publisher(), publisher()]);
    await until('first events stored', () => counts(host), (c) => c.rows >= 20);
    await pair.kill(before.name, 'SIGKILL');
    expect(next).toBeLessThan(total); // the kill came while events were still being published
    const { broker: after } = await pair.waitForMaster();
    expect(after.name).not.toBe(before.name);
    await publishing;
    // What went to the spool while no broker answered is sent by the flush command (Nagios' next run does the same).
    const flush = await run(commands['porthole-spool-flush'], [pair.url], env);
    expect(flush.code).toBe(0);

    expect(outcomes.filter((c) => c !== 0)).toEqual([]);
    const final = await until('every event stored', () => counts(host), (c) => c.distinct >= total);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await counts(host)).toEqual({ rows: total, distinct: total });
    expect(final.distinct).toBe(total);
  });

  it('loses and doubles nothing when one of two competing ingesters is SIGKILLed mid-batch', async () => {
    const destination = `/queue/test.ha.${randomUUID().slice(0, 8)}`;
    const host = `ikill-${randomUUID().slice(0, 8)}.example.com`;
    const total = 6_000;
    const master = (await pair.waitForMaster()).broker;
    const first = spawnIngester(destination, `${host}-1`);
    spawnIngester(destination, `${host}-2`);
    const publisher = await connectTestClient(`stomp://127.0.0.1:${master.stompPort}`);
    try {
      const bodies = Array.from({ length: total }, (_, i) =>
        JSON.stringify({ time_t: 1266427384 + i, state: 'WARNING', state_type: 'HARD', state_time: 0, attempt: 1, hostname: host, max_attempts: 1, service: `svc-${i}`, event_id: `${host}-${i}` }),
      );
      const publishing = publishAll(publisher, destination, bodies);
      await until('part stored', () => counts(host), (c) => c.rows >= 1_000);
      await kill(first, 'SIGKILL');
      expect((await counts(host)).rows).toBeLessThan(total);
      await publishing;
      await until('every event stored', () => counts(host), (c) => c.rows >= total, 60_000);
      await new Promise((r) => setTimeout(r, 1_000));
      expect(await counts(host)).toEqual({ rows: total, distinct: total });
    } finally {
      await publisher.deactivate();
    }
  });
});
