import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import nodemailer from 'nodemailer';
import type { RowDataPacket } from 'mysql2';
import { defaultRule, type Rule } from '@/lib/alerts/rule';
import { createDb } from '@/lib/db/connection';
import { migrateDatabase } from '@/lib/db/migrate';
import { type EventToStore, storeBatch } from '@/lib/db/queries/event-store';
import { Ingester } from '@/lib/ingest/ingester';
import { createEmailChannel } from '@/lib/notify/channels/email';
import { Notifier } from '@/lib/notify/notifier';
import { parseBrokerUrl } from '@/lib/stomp/broker-url';
import { readMail } from '@/lib/testing/maildir';
import { PROJECT_ROOT, stackConfig } from '../stack/config';
import { startStack } from '../stack/stack';

// npm run bench:alerts — in one run, against the real MariaDB, ActiveMQ and SMTP server:
//  1. ingest throughput (the event store's transaction, outbox included) with 10,000 rules over 2,000 VMs
//     against none: rules are matched by the notifier, so this checks that ingest does not pay for them;
//  2. publish-to-SMTP-accepted latency on an idle stack: Nagios' command → broker → ingester → outbox →
//     notifier → the SMTP server's 250, one event at a time;
//  3. notifier throughput into the SMTP server with pooled connections against a bare nodemailer loop
//     sending the same number of messages over the same pool.

const DATABASE_URL = `mysql://${stackConfig.dbUser}:${stackConfig.dbPassword}@127.0.0.1:${stackConfig.mariadbPort}/porthole_bench_alerts`;
const SMTP_URL = `smtp://127.0.0.1:${stackConfig.smtpPort}`;
const STOMP_URL = `stomp://127.0.0.1:${stackConfig.stompPort}`;
const VMS = 2000;
const ACCOUNTS = 400;
const RULES = Number(process.env.BENCH_RULES || 10_000);
const INGEST_EVENTS = Number(process.env.BENCH_EVENTS || 20_000);
const LATENCY_SAMPLES = Number(process.env.BENCH_LATENCY_SAMPLES || 30);
const MESSAGES = Number(process.env.BENCH_MESSAGES || 2000);
const THROUGHPUT_ROUNDS = Number(process.env.BENCH_THROUGHPUT_ROUNDS || 3);
const CLI = path.join(PROJECT_ROOT, 'dist', 'bin', 'notify-service-by-stomp');
const run = Date.now().toString(36);

const { db, pool } = createDb(DATABASE_URL, { connectionLimit: 8 });
const q = async (sql: string, values: unknown[] = []) => (await pool.query<RowDataPacket[]>(sql, values))[0];
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))]!;
const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');

async function seed(): Promise<{ vmHosts: string[]; benchVm: string; benchRule: number }> {
  for (const t of ['alert_deliveries', 'alert_outbox', 'alert_rules', 'alert_contacts', 'maintenance_windows', 'monitoring_events', 'perf_samples', 'service_states']) await q(`DELETE FROM ${t}`);
  await q('DELETE FROM vms');
  await q('DELETE FROM accounts');
  await q("INSERT IGNORE INTO plans (slug, name, vcpus, memory_mb, disk_gb, transfer_gb, price_cents) VALUES ('bench', 'Bench', 1, 1024, 20, 1000, 500)");
  const [plan] = await q("SELECT id FROM plans WHERE slug = 'bench'");
  await q(`INSERT INTO accounts (slug, name, created_at) VALUES ${Array.from({ length: ACCOUNTS }, (_, i) => `('bench-${i}', 'Bench ${i}', NOW(3))`).join(',')}`);
  const accounts = (await q("SELECT id FROM accounts WHERE slug LIKE 'bench-%' ORDER BY id")).map((r) => r.id as number);
  const hosts = Array.from({ length: VMS }, (_, i) => `bench-vm-${i}.example`);
  const rows = hosts.map((h, i) => [accounts[i % ACCOUNTS], h, h, `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, '24.04', plan!.id, new Date()]);
  await q('INSERT INTO vms (account_id, nagios_host_name, hostname, address, ubuntu_release, plan_id, created_at) VALUES ?', [rows]);
  return { vmHosts: hosts, benchVm: hosts[0]!, benchRule: 0 };
}

async function addRules(): Promise<void> {
  const accounts = (await q("SELECT id FROM accounts WHERE slug LIKE 'bench-%' ORDER BY id")).map((r) => r.id as number);
  const now = new Date();
  await q('INSERT INTO alert_contacts (account_id, kind, label, target, target_key, verified_at, created_at, verify_attempts) VALUES ?', [
    accounts.map((a) => [a, 'email', `bench-${a}@example.com`, `bench-${run}-${a}@example.com`, String(a).padStart(64, '0'), now, now, 0]),
  ]);
  const contacts = new Map((await q('SELECT id, account_id AS a FROM alert_contacts')).map((r) => [r.a as number, r.id as number]));
  const rules = Array.from({ length: RULES }, (_, i) => {
    const account = accounts[i % ACCOUNTS]!;
    const rule: Rule = { ...defaultRule(contacts.get(account)!), name: `bench ${i}`, services: { mode: 'pattern', pattern: `bench-rule-${i}-*` }, hostEvents: false };
    return [account, rule.name, 1, JSON.stringify(rule), now, now];
  });
  for (let i = 0; i < rules.length; i += 1000) await q('INSERT INTO alert_rules (account_id, name, enabled, definition, created_at, updated_at) VALUES ?', [rules.slice(i, i + 1000)]);
}

let n = 0;
function event(host: string, service: string, state: string, at = Date.now()): EventToStore {
  n++;
  return {
    key: `bench-${run}-${n}`.padEnd(64, 'b'), check: false, kind: 'service', hostname: host, hostName: host, service, state, stateType: 'HARD',
    stateDurationSec: 0, attempt: 3, maxAttempts: 3, occurredAt: new Date(at), output: `${state} - bench`, samples: [],
  };
}

async function ingestRate(hosts: string[]): Promise<number> {
  const events = Array.from({ length: INGEST_EVENTS }, (_, i) => event(hosts[i % hosts.length]!, `svc-${i % 20}`, i % 2 ? 'CRITICAL' : 'OK', Date.now() - 3_600_000 + i));
  const started = performance.now();
  for (let i = 0; i < events.length; i += 500) await storeBatch(db, { events: events.slice(i, i + 500) });
  const rate = events.length / ((performance.now() - started) / 1000);
  await q('DELETE FROM alert_outbox');
  return rate;
}

async function main() {
  await startStack();
  await migrateDatabase(DATABASE_URL);
  const { vmHosts } = await seed();
  console.log(`[bench:alerts] ${VMS} VMs over ${ACCOUNTS} accounts; ${INGEST_EVENTS} events per ingest round`);

  // 1. Ingest with no rules, then with RULES rules; alternated twice, medians compared.
  const none: number[] = [];
  const withRules: number[] = [];
  none.push(await ingestRate(vmHosts));
  await addRules();
  withRules.push(await ingestRate(vmHosts));
  await q('UPDATE alert_rules SET enabled = 0');
  none.push(await ingestRate(vmHosts));
  await q('UPDATE alert_rules SET enabled = 1');
  withRules.push(await ingestRate(vmHosts));
  const ratio = median(withRules) / median(none);
  console.log(`ingest, no rules:          ${Math.round(median(none))} events/s (rounds ${none.map(Math.round).join(', ')})`);
  console.log(`ingest, ${RULES} rules:     ${Math.round(median(withRules))} events/s (rounds ${withRules.map(Math.round).join(', ')})`);
  console.log(`  ratio ${ratio.toFixed(2)}x (target >= 0.8x): ${verdict(ratio >= 0.8)}`);

  // 2. Latency: one account's rule that matches; everything else as above (10,000 rules loaded).
  const [acct] = await q("SELECT v.account_id AS a, c.id AS c FROM vms v JOIN alert_contacts c ON c.account_id = v.account_id WHERE v.nagios_host_name = ?", [vmHosts[0]]);
  const latencyAddress = `latency-${run}@example.com`;
  await q('UPDATE alert_contacts SET target = ? WHERE id = ?', [latencyAddress, acct!.c]);
  const latencyRule: Rule = { ...defaultRule(acct!.c as number), name: 'latency', services: { mode: 'pattern', pattern: 'latency-*' }, hostEvents: false, triggers: ['CRITICAL'] };
  await q('INSERT INTO alert_rules (account_id, name, enabled, definition, created_at, updated_at) VALUES (?, ?, 1, ?, NOW(3), NOW(3))', [acct!.a, 'latency', JSON.stringify(latencyRule)]);
  if (!existsSync(CLI)) throw new Error('dist/bin is missing: run npm run build:cli first');
  const destination = `/queue/bench.alerts.${run}`;
  const ingester = new Ingester(db, {
    endpoints: parseBrokerUrl(STOMP_URL), destination, batchSize: 500, batchMs: 25, prefetch: 1000, concurrency: 2, subscriptionName: `bench-alerts-${run}`,
    instance: `bench-alerts-${run}`, mode: 'batch', maxClockSkewSec: 300, log: () => undefined,
  });
  ingester.start();
  const notifier = new Notifier(db, { channels: { email: createEmailChannel({ url: SMTP_URL, from: 'bench@porthole.test' }) }, portalUrl: 'http://bench', log: () => undefined });
  notifier.start();
  const exec = promisify(execFile);
  const latencies: number[] = [];
  for (let i = 0; i < LATENCY_SAMPLES; i++) {
    const service = `latency-${i}`;
    const started = performance.now();
    await exec(CLI, [STOMP_URL, destination, vmHosts[0]!, service, 'CRITICAL', 'HARD', '0', '3', '3', 'bench'], { env: { ...process.env, PORTHOLE_SPOOL_DIR: `/tmp/porthole-bench-alerts-${run}` } });
    for (;;) {
      const [row] = await q("SELECT d.status FROM alert_deliveries d WHERE d.service = ? AND d.status = 'sent'", [service]);
      if (row) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    latencies.push(performance.now() - started);
  }
  const p50 = pct(latencies, 50);
  const p95 = pct(latencies, 95);
  console.log(`publish → SMTP accepted:   p50 ${p50.toFixed(0)} ms, p95 ${p95.toFixed(0)} ms over ${LATENCY_SAMPLES} events (target p95 <= 2000 ms): ${verdict(p95 <= 2000)}`);
  await ingester.stop();

  // 3. Throughput: MESSAGES deliveries through the notifier vs a bare nodemailer loop over the same pool,
  // in alternating rounds so that a busy moment on the machine does not favour either side; medians.
  await notifier.stop();
  const tag = `tput-${run}`;
  const notifierRates: number[] = [];
  const bareRates: number[] = [];
  for (let round = 0; round < THROUGHPUT_ROUNDS; round++) {
    const prefix = `latency-t${round}-`;
    const roundNotifier = new Notifier(db, { channels: { email: createEmailChannel({ url: SMTP_URL, from: 'bench@porthole.test' }) }, portalUrl: 'http://bench', log: () => undefined });
    roundNotifier.start();
    const events = Array.from({ length: MESSAGES }, (_, i) => event(vmHosts[0]!, `${prefix}${i}`, 'CRITICAL'));
    const started = performance.now();
    for (let i = 0; i < events.length; i += 500) await storeBatch(db, { events: events.slice(i, i + 500) });
    for (;;) {
      const [row] = await q("SELECT COUNT(*) AS n FROM alert_deliveries WHERE service LIKE ? AND status = 'sent'", [`${prefix}%`]);
      if (Number(row!.n) >= MESSAGES) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    notifierRates.push(MESSAGES / ((performance.now() - started) / 1000));
    await roundNotifier.stop();
    const bare = nodemailer.createTransport({ url: SMTP_URL, pool: true, maxConnections: 5, maxMessages: 500 } as Parameters<typeof nodemailer.createTransport>[0]);
    const bareStarted = performance.now();
    // As many in flight as the notifier has (its batch of due messages, 100), over the same pool.
    for (let i = 0; i < MESSAGES; i += 100) {
      await Promise.all(
        Array.from({ length: Math.min(100, MESSAGES - i) }, (_, j) => bare.sendMail({ from: 'bench@porthole.test', to: latencyAddress, subject: `${tag} ${round} ${i + j}`, text: 'Disk / on web-01 has a critical problem.' })),
      );
    }
    bareRates.push(MESSAGES / ((performance.now() - bareStarted) / 1000));
    bare.close();
  }
  const notifierRate = median(notifierRates);
  const bareRate = median(bareRates);
  const rounds = (list: number[]) => list.map(Math.round).join(', ');
  console.log(`notifier → SMTP:           ${Math.round(notifierRate)} messages/s median (rounds ${rounds(notifierRates)}; target >= 200): ${verdict(notifierRate >= 200)}`);
  console.log(
    `bare nodemailer loop:      ${Math.round(bareRate)} messages/s median (rounds ${rounds(bareRates)}); notifier ${(notifierRate / bareRate).toFixed(2)}x (target >= 0.7x): ${verdict(notifierRate / bareRate >= 0.7)}`,
  );
  console.log(`(${readMail().length} messages in the stack's Maildir in all)`);
  await pool.end();
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    console.error(`[bench:alerts] ${error.stack ?? error.message}`);
    process.exit(1);
  },
);
