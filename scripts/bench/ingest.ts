import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { createDb } from '@/lib/db/connection';
import { migrateDatabase } from '@/lib/db/migrate';
import { monitoringEvents } from '@/lib/db/schema';
import { Ingester } from '@/lib/ingest/ingester';
import { parseBrokerUrl } from '@/lib/stomp/broker-url';
import { connectTestClient, publishAll } from '@/lib/testing/stomp-test-client';
import { startStack } from '../stack/stack';
import { stackConfig } from '../stack/config';

// npm run bench:ingest — end-to-end ingest throughput against the real ActiveMQ and MariaDB:
// the batched ingester vs one insert per message vs a raw drain that writes nothing, same run.

const EVENTS = Number(process.env.BENCH_EVENTS || 40_000);
const SINGLE_EVENTS = Math.min(EVENTS, Number(process.env.BENCH_SINGLE_EVENTS || 5_000));
const STOMP_URL = process.env.STOMP_URL || `stomp://127.0.0.1:${stackConfig.stompPort}`;
const DATABASE_URL = `mysql://${stackConfig.dbUser}:${stackConfig.dbPassword}@127.0.0.1:${stackConfig.mariadbPort}/porthole_bench_ingest`;

function bodies(n: number, run: string): string[] {
  return Array.from({ length: n }, (_, i) =>
    JSON.stringify({
      time_t: 1_700_000_000 + i,
      state: i % 7 === 0 ? 'CRITICAL' : 'OK',
      state_type: 'HARD',
      state_time: 0,
      attempt: 1,
      hostname: `bench-${i % 2000}.example.com`,
      max_attempts: 3,
      service: `svc-${i % 20}`,
      output: 'OK - bench',
      perfdata: `load1=${(i % 100) / 10};4;8;0`,
      event_id: `${run}-${i}`,
      source: 'bench',
    }),
  );
}

const progress = (line: string) => process.stderr.write(`  … ${line}\n`);

async function load(n: number): Promise<string> {
  progress(`publishing ${n} persistent events`);
  const queue = `/queue/bench.ingest.${randomUUID()}`;
  const client = await connectTestClient(STOMP_URL);
  const list = bodies(n, queue);
  for (let i = 0; i < list.length; i += 5000) await publishAll(client, queue, list.slice(i, i + 5000));
  await client.deactivate();
  return queue;
}

async function rawDrain(n: number): Promise<number> {
  const queue = await load(n);
  const client = await connectTestClient(STOMP_URL);
  progress('raw drain');
  const started = performance.now();
  let seen = 0;
  // The same subscription and acknowledgement as the ingester (client-individual), writing nothing.
  await new Promise<void>((resolve) => {
    client.subscribe(
      queue,
      (message) => {
        message.ack();
        if (++seen === n) resolve();
      },
      { ack: 'client-individual', 'activemq.prefetchSize': '500' },
    );
  });
  const seconds = (performance.now() - started) / 1000;
  await client.deactivate();
  return n / seconds;
}

async function ingest(n: number, mode: 'batch' | 'single'): Promise<number> {
  const queue = await load(n);
  const { db, pool } = createDb(DATABASE_URL, { connectionLimit: 4 });
  await db.execute(sql`TRUNCATE TABLE monitoring_events`);
  const ingester = new Ingester(db, {
    endpoints: parseBrokerUrl(STOMP_URL),
    destination: queue,
    batchSize: Number(process.env.BENCH_BATCH || 250),
    batchMs: 25,
    prefetch: Number(process.env.BENCH_PREFETCH || 1000),
    subscriptionName: 'bench',
    instance: `bench-${mode}`,
    mode,
    log: () => undefined,
  });
  progress(`${mode} ingest`);
  const started = performance.now();
  ingester.start();
  let lastReport = Date.now();
  while (ingester.stats.acked < n) {
    await new Promise((r) => setTimeout(r, 5));
    if (Date.now() - lastReport > 5000) {
      lastReport = Date.now();
      progress(`${ingester.stats.acked} acked, connected=${ingester.stats.connected}, error=${ingester.stats.lastError}`);
    }
  }
  const seconds = (performance.now() - started) / 1000;
  await ingester.stop();
  const [row] = await db.select({ n: sql<number>`COUNT(*)` }).from(monitoringEvents);
  if (Number(row!.n) !== n) throw new Error(`${mode}: stored ${row!.n} of ${n}`);
  await pool.end();
  return n / seconds;
}

async function main() {
  await startStack();
  await migrateDatabase(DATABASE_URL);
  console.log(`bench:ingest — ${EVENTS} events per run (${SINGLE_EVENTS} for one-per-message), real ActiveMQ + MariaDB\n`);
  const raw = await rawDrain(EVENTS);
  const batched = await ingest(EVENTS, 'batch');
  const single = await ingest(SINGLE_EVENTS, 'single');
  const row = (name: string, rate: number) => console.log(`  ${name.padEnd(34)} ${Math.round(rate).toString().padStart(7)} events/s`);
  row('raw drain (ack, no writes)', raw);
  row('batched ingester', batched);
  row('one insert + ack per message', single);
  const check = (label: string, ok: boolean, figure: string) => console.log(`  ${ok ? 'PASS' : 'FAIL'}  ${label}: ${figure}`);
  console.log('');
  check('batched >= 4x one-per-message', batched >= 4 * single, `${(batched / single).toFixed(1)}x`);
  check('batched >= 8,000 events/s', batched >= 8000, `${Math.round(batched)} events/s`);
  check('batched >= 0.8x raw drain', batched >= 0.8 * raw, `${(batched / raw).toFixed(2)}x`);
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    console.error(`bench:ingest could not run: ${error.message}`);
    process.exit(1);
  },
);
