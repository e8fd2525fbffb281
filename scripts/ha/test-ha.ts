// npm run test:ha — several of every tier on real engines, and the fault matrix (README, "Several of
// everything"). Brings up on loopback, all data under .data/ha/ (the shared stack is only used for the
// single-stack baseline, in databases and queues of its own):
//
//   - a three-node MariaDB Galera cluster (galera-4) behind HAProxy (34300) with a wsrep-state HTTP check;
//   - an ActiveMQ master/slave pair on one shared KahaDB with its file lock (STOMP 62613/62623);
//   - two ingesters, two notifiers and two provisioning workers, given the failover list and HAProxy;
//   - a project-local SMTP server (34325) that keeps every alert mail;
//
// then runs each row of the fault matrix while HA_EVENTS (20,000) events are published by the Nagios-side
// commands (porthole-perfdata in files of 1,000 lines as Nagios' perfdata processing sends them, plus
// HA_ALERTS state events through notify-service-by-stomp, three at once, each of which must become one
// alert mail), prints sent / stored / duplicated / lost and notifications expected / delivered /
// duplicated per row with the time to recover, and the throughput of two ingesters on the HA stack against
// one on the single stack, in the same run. Exits 0 only when every row meets its target: 0 events lost,
// 0 stored twice, 0 notifications lost, at most one repeat per kill. HA_ROWS=a,b picks rows.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import mysql from 'mysql2/promise';
import { createDb, type Database } from '@/lib/db/connection';
import { migrateDatabase } from '@/lib/db/migrate';
import { accounts, alertContacts, alertRules, monitoringEvents, perfSamples, plans, vms } from '@/lib/db/schema';
import type { Rule } from '@/lib/alerts/rule';
import { WEB_NODE_FLAGS } from '@/lib/http/web-command';
import { ingesterCommand } from '@/lib/ingest/command';
import { BrokerPair } from '@/lib/testing/broker-pair';
import { connectTestClient, publishAll } from '@/lib/testing/stomp-test-client';
import { chromium } from '@playwright/test';
import { buildCli } from '../build-cli';
import { seedDemo } from '../demo-data';
import { ensurePackages } from '../stack/apt';
import { PROJECT_ROOT, stackConfig } from '../stack/config';
import { startStack } from '../stack/stack';
import { TEST_ENV } from '../test-setup/test-env';
import { GALERA_NODES, GaleraCluster } from './galera';

const HA_DIR = path.join(PROJECT_ROOT, '.data/ha');
const EVENTS = Number(process.env.HA_EVENTS || 20_000);
const ALERTS = Number(process.env.HA_ALERTS || 60);
const FILE_LINES = 1_000;
const THROUGHPUT_EVENTS = Number(process.env.HA_THROUGHPUT_EVENTS || 20_000);
const PAIR_DOWN_MS = Number(process.env.HA_PAIR_DOWN_SECONDS || 60) * 1000;
const HAPROXY_DB_PORT = 34300;
const HAPROXY_ADMIN = path.join(HA_DIR, 'haproxy', 'admin.sock');
const SMTP_PORT = 34325;
const WEB_PORT = 8480;
const WEB_INSTANCES = [8481, 8482];
const DIST_DIR = process.env.E2E_DIST_DIR || '.next-ha';
const MAILDIR = path.join(HA_DIR, 'mail');
const DESTINATION = '/queue/ha.nagios.events';
const DB_URL = `mysql://porthole:porthole@127.0.0.1:${HAPROXY_DB_PORT}/porthole`;
const SPOOL = path.join(HA_DIR, 'spool');
const T = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const say = (line: string) => console.log(`[ha] ${line}`);

const pair = new BrokerPair({
  dir: path.join(HA_DIR, 'brokers'),
  brokers: [
    { name: 'broker-a', stompPort: 62613, openwirePort: 62616 },
    { name: 'broker-b', stompPort: 62623, openwirePort: 62626 },
  ],
});
const galera = new GaleraCluster(path.join(HA_DIR, 'galera'));
const children = new Set<ChildProcess>();
let cli: Record<string, string> = {};

// ---------------------------------------------------------------------------------------------
// Processes

function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

async function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((r) => child.once('exit', r));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await gone;
  clearTimeout(timer);
}

const workerEnv = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
  ...process.env,
  DATABASE_URL: DB_URL,
  STOMP_URL: pair.url,
  EVENTS_DESTINATION: DESTINATION,
  SMTP_URL: `smtp://127.0.0.1:${SMTP_PORT}`,
  NEXTAUTH_URL: `http://127.0.0.1:${WEB_PORT}`,
  METRICS_PORT: '0',
  LOG_LEVEL: 'info',
  NOTIFY_POLL_MS: '100',
  // A killed sender's message goes out again after this (the one repeat a crash may cause).
  NOTIFY_LEASE_MS: '10000',
  NOTIFY_FORECAST_MINUTES: '0',
  RELAY_CHECK_INTERVAL_MINUTES: '0',
  MAIL_CHECK_INTERVAL_MINUTES: '0',
  PROVISIONING_QUEUE: '/queue/ha.provisioning',
  PROVISIONING_REPLY_QUEUE: '/queue/ha.provisioning.replies',
  ...extra,
});

type WorkerKind = 'ingester' | 'notifier' | 'provisioning';
const workers = new Map<string, { kind: WorkerKind; child: ChildProcess }>();

/** A running worker of this kind: the one a row kills. */
function liveWorker(kind: WorkerKind): [string, ChildProcess] {
  const found = [...workers].find(([, w]) => w.kind === kind && w.child.exitCode === null && w.child.signalCode === null);
  if (!found) throw new Error(`no ${kind} is running`);
  return [found[0], found[1].child];
}

function startWorker(name: string, kind: WorkerKind, env: NodeJS.ProcessEnv = workerEnv()): ChildProcess {
  const { command, args } =
    kind === 'ingester' ? ingesterCommand() : { command: process.execPath, args: ['--import', 'tsx', path.join(PROJECT_ROOT, kind === 'notifier' ? 'lib/notify/main.ts' : 'lib/plans/main.ts')] };
  const log = openSync(path.join(HA_DIR, 'logs', `${name}.log`), 'a');
  const child = track(spawn(command, args, { cwd: PROJECT_ROOT, env: { ...env, INGEST_INSTANCE: name, NOTIFY_INSTANCE: name }, stdio: ['ignore', log, log] }));
  workers.set(name, { kind, child });
  return child;
}

function run(file: string, args: string[], env: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(file, args, { cwd: '/', env: { PATH: process.env.PATH ?? '/usr/bin:/bin', PORTHOLE_SPOOL_DIR: SPOOL, PORTHOLE_CONNECT_TIMEOUT_MS: '1000', PORTHOLE_SOURCE: 'ha', ...env } as unknown as NodeJS.ProcessEnv, stdio: 'ignore' });
    child.once('exit', (code) => resolve(code ?? -1));
  });
}

// ---------------------------------------------------------------------------------------------
// The stack

const HAPROXY_CFG = () => `global
  maxconn 4000
  stats socket ${HAPROXY_ADMIN} level admin
defaults
  timeout connect 1s
  timeout client 1h
  timeout server 1h
  retries 2
  option redispatch 1
listen galera
  mode tcp
  bind 127.0.0.1:${HAPROXY_DB_PORT}
  option httpchk GET /
  default-server inter 500 fall 2 rise 2 on-marked-down shutdown-sessions
${GALERA_NODES.map((n, i) => `  server ${n.name} 127.0.0.1:${n.port} check port ${n.checkPort}${i > 0 ? ' backup' : ''}`).join('\n')}
listen web
  mode http
  bind 127.0.0.1:${WEB_PORT}
  balance roundrobin
  option httpchk
  http-check send meth GET uri /api/health/ready ver HTTP/1.1 hdr Host 127.0.0.1
  option forwardfor
  timeout client 30s
  timeout server 30s
  timeout tunnel 1h
  default-server inter 500 fall 2 rise 2
${WEB_INSTANCES.map((port, i) => `  server web${i + 1} 127.0.0.1:${port} check`).join('\n')}
`;

async function startHaproxy(): Promise<void> {
  const dir = path.join(HA_DIR, 'haproxy');
  mkdirSync(dir, { recursive: true });
  const cfg = path.join(dir, 'haproxy.cfg');
  writeFileSync(cfg, HAPROXY_CFG());
  const check = spawnSync('haproxy', ['-c', '-q', '-f', cfg], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`haproxy config: ${check.stderr}`);
  const log = openSync(path.join(dir, 'haproxy.log'), 'a');
  track(spawn('haproxy', ['-db', '-f', cfg], { stdio: ['ignore', log, log] }));
  await until('HAProxy to reach Galera', async () => {
    try {
      const c = await mysql.createConnection({ uri: DB_URL, connectTimeout: 1000 });
      await c.end();
      return true;
    } catch {
      return false;
    }
  }, 30_000);
}

async function startSmtp(): Promise<void> {
  rmSync(MAILDIR, { recursive: true, force: true });
  const log = openSync(path.join(HA_DIR, 'logs', 'smtp.log'), 'a');
  track(spawn('/usr/bin/python3', [path.join(PROJECT_ROOT, 'scripts/stack/smtp-maildir.py'), String(SMTP_PORT), MAILDIR], { stdio: ['ignore', log, log], env: { ...process.env, PYTHONUNBUFFERED: '1' } }));
  await new Promise((r) => setTimeout(r, 1_000));
}

/** Every alert mail, by envelope recipient: how many arrived and how many distinct deliveries they are. */
function mailsTo(address: string): { total: number; distinct: number } {
  const dir = path.join(MAILDIR, 'new');
  if (!existsSync(dir)) return { total: 0, distinct: 0 };
  let total = 0;
  const keys = new Set<string>();
  for (const f of readdirSync(dir)) {
    const text = readFileSync(path.join(dir, f), 'utf8');
    if (!text.startsWith(`X-Porthole-Envelope-To: ${address}`)) continue;
    total++;
    keys.add(/^X-Porthole-Delivery: (.+)$/m.exec(text)?.[1]?.trim() ?? f);
  }
  return { total, distinct: keys.size };
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs: number, intervalMs = 250): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await check()) return Date.now() - started;
    if (Date.now() - started > timeoutMs) throw new Error(`${what}: not after ${T(timeoutMs)}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

// ---------------------------------------------------------------------------------------------
// A row's traffic

interface RowFixture {
  host: string;
  alertAddress: string;
  vmHost: string;
}

async function rowFixture(db: Database, row: string): Promise<RowFixture> {
  const slug = `ha-${row}-${randomUUID().slice(0, 6)}`;
  await db.insert(accounts).values({ slug, name: slug });
  const [account] = await db.select().from(accounts).where(eq(accounts.slug, slug));
  const [plan] = await db.select().from(plans).limit(1);
  const vmHost = `${slug}.vm.example`;
  await db.insert(vms).values({ accountId: account!.id, nagiosHostName: vmHost, hostname: vmHost, address: `198.18.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250) + 1}`, ubuntuRelease: '24.04', planId: plan!.id });
  const alertAddress = `${slug}@alerts.example`;
  await db.insert(alertContacts).values({ accountId: account!.id, kind: 'email', label: 'Ops', target: alertAddress, targetKey: createHash('sha256').update(alertAddress).digest('hex'), verifiedAt: new Date() });
  const [contact] = await db.select().from(alertContacts).where(eq(alertContacts.accountId, account!.id));
  const rule: Rule = {
    name: `HA ${row}`,
    enabled: true,
    vms: 'all',
    hostEvents: false,
    services: { mode: 'all' },
    triggers: ['WARNING', 'CRITICAL', 'UNKNOWN', 'DOWN', 'UNREACHABLE', 'RECOVERY'],
    hardOnly: true,
    forMinutes: 0,
    repeatMinutes: null,
    maxPerHour: null,
    groupMinutes: 0,
    digest: null,
    quiet: null,
    timeZone: 'UTC',
    detail: 'technical',
    contactIds: [contact!.id],
    forecast: null,
    mailChecks: false,
  };
  await db.insert(alertRules).values({ accountId: account!.id, name: rule.name, enabled: true, definition: rule, createdAt: new Date(), updatedAt: new Date() });
  return { host: `${slug}.perf.example`, alertAddress, vmHost };
}

/** Nagios' perfdata files for the row (the 11-field template, $TIMET$ first): one check result per line. */
function perfdataFiles(row: string, host: string, n: number): string[] {
  const dir = path.join(HA_DIR, 'perfdata', row);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const now = Math.floor(Date.now() / 1000);
  const files: string[] = [];
  for (let start = 0; start < n; start += FILE_LINES) {
    const lines: string[] = [];
    for (let i = start; i < Math.min(n, start + FILE_LINES); i++) lines.push([now, host, host, `svc-${i}`, 'OK', 'HARD', 0, 1, 3, `OK - check ${i}`, `v=${i};;;;`].join('\t'));
    const file = path.join(dir, `perfdata-${String(start).padStart(6, '0')}`);
    writeFileSync(file, `${lines.join('\n')}\n`);
    files.push(file);
  }
  return files;
}

interface Traffic {
  /** Resolves when everything was handed to the commands (sent or spooled). */
  done: Promise<{ failedRuns: number }>;
  /** Perfdata files sent so far. */
  progress: () => number;
}

/** The Nagios side of a row: the perfdata files one after another, the alert events three at a time. */
function publish(row: string, f: RowFixture, paceMs: number): Traffic {
  const files = perfdataFiles(row, f.host, EVENTS);
  let sentFiles = 0;
  let failedRuns = 0;
  const perf = (async () => {
    for (const file of files) {
      const code = await run(cli['porthole-perfdata']!, [pair.url, DESTINATION, file]);
      if (code !== 0) failedRuns++;
      sentFiles++;
      await new Promise((r) => setTimeout(r, paceMs));
    }
  })();
  let next = 0;
  const alertPace = Math.max(50, (paceMs * files.length) / ALERTS);
  const handler = async () => {
    while (next < ALERTS) {
      const i = next++;
      const code = await run(cli['notify-service-by-stomp']!, [pair.url, DESTINATION, f.vmHost, `${row}-${i}`, i % 2 ? 'CRITICAL' : 'WARNING', 'HARD', '0', '3', '3', `${row} alert ${i}`]);
      if (code !== 0) failedRuns++;
      await new Promise((r) => setTimeout(r, alertPace * 3));
    }
  };
  const done = Promise.all([perf, handler(), handler(), handler()]).then(() => ({ failedRuns }));
  return { done, progress: () => sentFiles / files.length };
}

async function storedFor(db: Database, host: string): Promise<{ rows: number; distinct: number }> {
  const [r] = await db
    .select({ rows: sql<number>`COUNT(*)`, distinct: sql<number>`COUNT(DISTINCT ${perfSamples.service})` })
    .from(perfSamples)
    .where(eq(perfSamples.hostname, host));
  return { rows: Number(r?.rows ?? 0), distinct: Number(r?.distinct ?? 0) };
}

// ---------------------------------------------------------------------------------------------
// The matrix

interface RowResult {
  row: string;
  sent: number;
  stored: number;
  duplicated: number;
  lost: number;
  expected: number;
  delivered: number;
  repeats: number;
  kills: number;
  recover: string;
  ok: boolean;
  note?: string;
}

interface Fault {
  row: string;
  /** Kills per row: at most this many repeated notifications. */
  kills: number;
  /** Runs the fault; resolves with the time to recover in words. */
  inject: (db: Database) => Promise<string>;
}

async function runRow(db: Database, fault: Fault): Promise<RowResult> {
  say(`row "${fault.row}": ${EVENTS} events + ${ALERTS} alerts`);
  const f = await rowFixture(db, fault.row);
  const traffic = publish(fault.row, f, 150);
  await until('a third published', async () => traffic.progress() >= 0.3, 300_000);
  let recover = '';
  let note: string | undefined;
  try {
    recover = await fault.inject(db);
  } catch (error) {
    note = `fault: ${(error as Error).message}`;
  }
  const { failedRuns } = await traffic.done;
  // What the commands spooled while no broker answered goes out with the next run; here, the flush command.
  await run(cli['porthole-spool-flush']!, [pair.url]);
  let stored = await storedFor(db, f.host);
  let mails = mailsTo(f.alertAddress);
  try {
    await until(
      'everything stored and delivered',
      async () => {
        stored = await storedFor(db, f.host).catch(() => stored);
        mails = mailsTo(f.alertAddress);
        return stored.distinct >= EVENTS && mails.distinct >= ALERTS;
      },
      180_000,
      500,
    );
    await new Promise((r) => setTimeout(r, 2_000));
    stored = await storedFor(db, f.host);
    mails = mailsTo(f.alertAddress);
  } catch (error) {
    note = [note, (error as Error).message].filter(Boolean).join('; ');
  }
  const spoolLeft = existsSync(SPOOL) ? readdirSync(SPOOL).length : 0;
  if (spoolLeft > 0) note = [note, `${spoolLeft} file(s) left in the spool`].filter(Boolean).join('; ');
  const repeats = mails.total - mails.distinct;
  const result: RowResult = {
    row: fault.row,
    sent: EVENTS,
    stored: stored.distinct,
    duplicated: stored.rows - stored.distinct,
    lost: EVENTS - stored.distinct,
    expected: ALERTS,
    delivered: mails.distinct,
    repeats,
    kills: fault.kills,
    recover,
    ok: false,
  };
  result.ok = result.lost === 0 && result.duplicated === 0 && result.delivered === ALERTS && repeats <= fault.kills && failedRuns === 0 && note === undefined;
  if (failedRuns > 0) note = [note, `${failedRuns} command run(s) exited non-zero`].filter(Boolean).join('; ');
  if (note) result.note = note;
  say(`row "${fault.row}": ${result.ok ? 'PASS' : 'FAIL'} stored ${result.stored}/${EVENTS}, alerts ${result.delivered}/${ALERTS} (+${repeats} repeats), recover ${recover}${note ? ` (${note})` : ''}`);
  return result;
}

const FAULTS: Record<string, Fault> = {
  'broker-master-kill': {
    row: 'broker-master-kill',
    kills: 1,
    async inject() {
      const master = (await pair.master())!;
      const killedAt = Date.now();
      await pair.kill(master.name, 'SIGKILL');
      const { broker } = await pair.waitForMaster();
      const ms = Date.now() - killedAt;
      pair.startBroker(master.name); // back as the slave
      return `${T(ms)} (${broker.name} took over)`;
    },
  },
  'ingester-kill': {
    row: 'ingester-kill',
    kills: 1,
    async inject(db) {
      const [name, child] = liveWorker('ingester');
      const before = await perfCount(db);
      await stopChild(child, 'SIGKILL');
      const ms = await until('the other ingester storing', async () => (await perfCount(db)) > before + 100, 60_000, 100);
      startWorker(name, 'ingester');
      return `${T(ms)} (the other ingester went on; ${name} restarted)`;
    },
  },
  'galera-node-kill': {
    row: 'galera-node-kill',
    kills: 1,
    async inject(db) {
      const node = GALERA_NODES[0]!; // the node HAProxy sends every client to
      const before = await perfCount(db);
      await galera.kill(node, 'SIGKILL');
      const failover = await until('writes through HAProxy again', async () => (await perfCount(db).catch(() => -1)) > before + 100, 90_000, 100);
      await galera.waitClusterSize(2);
      const restarted = Date.now();
      await galera.rejoin(node);
      await galera.waitSynced(node, 3, 120_000);
      return `${T(failover)} to the next node; ${node.name} rejoined (IST) and Synced in ${T(Date.now() - restarted)}`;
    },
  },
  'notifier-kill': {
    row: 'notifier-kill',
    kills: 1,
    async inject() {
      const [name, child] = liveWorker('notifier');
      await stopChild(child, 'SIGKILL');
      startWorker(name, 'notifier');
      return `0 s for new alerts (the other notifier went on); a message the killed one held is sent again after its ${T(10_000)} lease`;
    },
  },
  'portal-kill': {
    row: 'portal-kill',
    kills: 1,
    inject: (db) => portalKill(db),
  },
  'broker-pair-down': {
    row: 'broker-pair-down',
    kills: 1,
    async inject() {
      await Promise.all(pair.brokers.map((b) => pair.kill(b.name, 'SIGKILL')));
      say(`both brokers down for ${T(PAIR_DOWN_MS)}; the commands spool`);
      await new Promise((r) => setTimeout(r, PAIR_DOWN_MS));
      const started = Date.now();
      await pair.start();
      const ms = Date.now() - started;
      return `${T(ms)} from the restart to a master; the spool drained by the next runs`;
    },
  },
};

// ---------------------------------------------------------------------------------------------
// The web tier: two production servers behind HAProxy, one secret, one database

const webs = new Map<number, ChildProcess>();

function startWeb(port: number): void {
  const log = openSync(path.join(HA_DIR, 'logs', `web-${port}.log`), 'a');
  const env = workerEnv({
    ...TEST_ENV,
    DATABASE_URL: DB_URL,
    STOMP_URL: pair.url,
    NEXTAUTH_URL: `http://127.0.0.1:${WEB_PORT}`,
    NEXTAUTH_SECRET: 'porthole-ha-secret-0123456789abcdef0123456789ab',
    TRUSTED_PROXY_IPS: '127.0.0.1',
    PORT: String(port),
    HOST: '127.0.0.1',
    NEXT_DIST_DIR: DIST_DIR,
    NODE_ENV: 'production',
    METRICS_PORT: '0',
  });
  // Behind HAProxy no header may name a user (the test env trusts one from its e2e front end).
  delete env.TRUSTED_PROXY_USER_HEADER;
  webs.set(port, track(spawn(process.execPath, [...WEB_NODE_FLAGS, 'server.mjs'], { cwd: PROJECT_ROOT, env, stdio: ['ignore', log, log] })));
}

async function startWebs(): Promise<void> {
  if (!existsSync(path.join(PROJECT_ROOT, DIST_DIR, 'BUILD_ID'))) {
    say(`building the portal into ${DIST_DIR}`);
    const build = spawnSync(path.join(PROJECT_ROOT, 'node_modules/.bin/next'), ['build'], { cwd: PROJECT_ROOT, env: { ...process.env, NEXT_DIST_DIR: DIST_DIR }, stdio: ['ignore', 'ignore', 'inherit'] });
    if (build.status !== 0) throw new Error('next build failed');
  }
  for (const port of WEB_INSTANCES) startWeb(port);
  await until('both portal instances ready', async () => {
    const answers = await Promise.all(WEB_INSTANCES.map((p) => fetch(`http://127.0.0.1:${p}/api/health/ready`).then((r) => r.ok, () => false)));
    return answers.every(Boolean);
  }, 90_000, 500);
}

/** The web server HAProxy has the most open connections to now (the live page's event stream). */
function busiestWeb(): number {
  const r = spawnSync('socat', ['stdio', `unix:${HAPROXY_ADMIN}`], { input: 'show stat\n', encoding: 'utf8' });
  let best = WEB_INSTANCES[0]!;
  let most = -1;
  for (const line of r.stdout.split('\n')) {
    const f = line.split(',');
    if (f[0] !== 'web' || !/^web\d$/.test(f[1] ?? '')) continue;
    const current = Number(f[4]);
    if (current > most) {
      most = current;
      best = WEB_INSTANCES[Number(f[1]!.slice(3)) - 1]!;
    }
  }
  return best;
}

async function portalKill(db: Database): Promise<string> {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage({ baseURL: `http://127.0.0.1:${WEB_PORT}` });
    await page.goto('/login');
    await page.getByLabel('Username').fill('alice');
    await page.getByLabel('Password').fill('alice-demo');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/login'), { timeout: 30_000 });
    const auth = { Authorization: `Basic ${Buffer.from('alice:alice-demo').toString('base64')}` };
    const list = (await (await page.request.get('/api/v1/vms', { headers: auth })).json()) as { vms: Array<{ id: number; hostname: string; address?: string }> };
    const vm = list.vms.find((v) => v.hostname === 'web-01.acme.example') ?? list.vms[0]!;
    await page.goto(`/vms/${vm.id}`);
    await page.getByText('Live: new events appear here by themselves.').waitFor({ timeout: 20_000 });
    await page.evaluate(() => ((window as unknown as { stillHere: boolean }).stillHere = true));
    /** Publishes an event for the VM and waits for the page to show it by itself. */
    const liveUpdate = async (state: string, what: string) => {
      const before = await page.locator('table.timeline tbody tr').first().getAttribute('data-event-id');
      const output = `HTTP ${state} - ha portal row ${what} ${Date.now()}`;
      const code = await run(cli['notify-service-by-stomp']!, [pair.url, DESTINATION, '192.0.2.10', 'HTTP', state, 'HARD', '0', '3', '3', output]);
      if (code !== 0) throw new Error(`the event for the live page was not published (exit ${code})`);
      try {
        await page.waitForFunction((old) => document.querySelector('table.timeline tbody tr')?.getAttribute('data-event-id') !== old, before, { timeout: 45_000 });
      } catch {
        const [stored] = await db.select({ id: monitoringEvents.id, vmId: monitoringEvents.vmId }).from(monitoringEvents).where(eq(monitoringEvents.output, output));
        throw new Error(`${what}: the page did not update (the event is ${stored ? `stored as ${stored.id} for VM ${stored.vmId}, the page is VM ${vm.id}` : 'not stored'}; the page says "${await page.locator('p.live').textContent()}")`);
      }
    };
    await liveUpdate('WARNING', 'before the kill');
    const victim = busiestWeb();
    const killedAt = Date.now();
    await stopChild(webs.get(victim)!, 'SIGKILL');
    await liveUpdate('CRITICAL', 'after the kill');
    const liveMs = Date.now() - killedAt;
    const stillHere = await page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere === true);
    if (!stillHere) throw new Error('the page reloaded instead of updating live');
    // The same session on the survivor: a new page, no login.
    const again = await page.goto('/');
    if (!again || again.status() !== 200 || new URL(page.url()).pathname.startsWith('/login')) throw new Error(`the session did not hold on the other instance (${again?.status()} ${page.url()})`);
    startWeb(victim);
    return `${T(liveMs)} to the live update through the other instance (web on ${victim} killed; session kept, no reload, no login)`;
  } finally {
    await browser.close();
  }
}

async function perfCount(db: Database): Promise<number> {
  const [r] = await db.select({ n: sql<number>`COUNT(*)` }).from(perfSamples);
  return Number(r?.n ?? 0);
}

// ---------------------------------------------------------------------------------------------
// Throughput: two ingesters on the HA stack against one on the single stack

async function throughput(url: string, stompUrl: string, ingesters: number, label: string, env: NodeJS.ProcessEnv): Promise<number> {
  const destination = `/queue/ha.throughput.${randomUUID().slice(0, 8)}`;
  const host = `tp-${randomUUID().slice(0, 8)}.example`;
  const { db, pool } = createDb(url, { connectionLimit: 2 });
  try {
    const publisher = await connectTestClient(stompUrl);
    const now = Math.floor(Date.now() / 1000);
    const bodies = Array.from({ length: THROUGHPUT_EVENTS }, (_, i) =>
      JSON.stringify({ time_t: now, state: 'OK', state_type: 'HARD', state_time: 0, attempt: 1, hostname: host, max_attempts: 3, service: `svc-${i}`, event_id: `${host}-${i}` }),
    );
    await publishAll(publisher, destination, bodies, { lifetimeMs: 0 });
    await publisher.deactivate();
    const started = Date.now();
    const procs = Array.from({ length: ingesters }, (_, i) => startWorker(`${label}-${i + 1}`, 'ingester', { ...env, EVENTS_DESTINATION: destination }));
    const countRows = async () => {
      const [r] = await db.select({ n: sql<number>`COUNT(*)` }).from(monitoringEvents).where(eq(monitoringEvents.hostname, host));
      return Number(r?.n ?? 0);
    };
    await until(`${label}: all stored`, async () => (await countRows()) >= THROUGHPUT_EVENTS, 300_000, 200);
    const seconds = (Date.now() - started) / 1000;
    await Promise.all(procs.map((p) => stopChild(p)));
    for (let i = 1; i <= ingesters; i++) workers.delete(`${label}-${i}`);
    return THROUGHPUT_EVENTS / seconds;
  } finally {
    await pool.end();
  }
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const started = Date.now();
  ensurePackages([
    { pkg: 'haproxy', probe: '/usr/sbin/haproxy' },
    { pkg: 'galera-4', probe: '/usr/lib/galera/libgalera_smm.so' },
    { pkg: 'rsync', probe: '/usr/bin/rsync' },
    { pkg: 'mariadb-server', probe: '/usr/sbin/mariadbd' },
    { pkg: 'activemq', probe: '/usr/share/activemq/bin/activemq.jar' },
  ]);
  for (const sub of ['logs', 'spool']) {
    rmSync(path.join(HA_DIR, sub), { recursive: true, force: true });
    mkdirSync(path.join(HA_DIR, sub), { recursive: true });
  }
  rmSync(path.join(HA_DIR, 'brokers'), { recursive: true, force: true });
  say('building the Nagios-side commands');
  const built = await buildCli(path.join(HA_DIR, 'bin'));
  cli = Object.fromEntries(built.files.map((f) => [f.command, f.path]));

  say('starting Galera (3 nodes), HAProxy, the broker pair and SMTP');
  await Promise.all([galera.create(), pair.start()]);
  await galera.serveChecks();
  await galera.sql(GALERA_NODES[0]!, [
    'CREATE DATABASE porthole CHARACTER SET utf8mb4',
    "CREATE USER 'porthole'@'127.0.0.1' IDENTIFIED BY 'porthole'",
    "GRANT ALL ON porthole.* TO 'porthole'@'127.0.0.1'",
  ]);
  await startHaproxy();
  await startSmtp();
  await migrateDatabase(DB_URL);
  const { db, pool } = createDb(DB_URL, { connectionLimit: 4 });
  await seedDemo(db);
  say(`stack up in ${T(Date.now() - started)}`);

  // The single stack's baseline: one ingester, the shared MariaDB and ActiveMQ, a database of its own.
  await startStack();
  const single = `mysql://${stackConfig.dbUser}:${stackConfig.dbPassword}@127.0.0.1:${stackConfig.mariadbPort}/porthole_ha_single_test`;
  {
    const u = new URL(single);
    u.pathname = '/';
    const c = await mysql.createConnection({ uri: u.toString() });
    await c.query('DROP DATABASE IF EXISTS porthole_ha_single_test');
    await c.end();
    await migrateDatabase(single);
  }
  say(`throughput: ${THROUGHPUT_EVENTS} queued events, one ingester on the single stack, then two on the HA stack`);
  const singleRate = await throughput(single, `stomp://127.0.0.1:${stackConfig.stompPort}`, 1, 'single', workerEnv({ DATABASE_URL: single, STOMP_URL: `stomp://127.0.0.1:${stackConfig.stompPort}` }));
  const haRate = await throughput(DB_URL, `stomp://127.0.0.1:${(await pair.master())!.stompPort}`, 2, 'ha', workerEnv());

  for (const n of [1, 2]) {
    startWorker(`ingester-${n}`, 'ingester');
    startWorker(`notifier-${n}`, 'notifier');
    startWorker(`provisioning-${n}`, 'provisioning');
  }
  const chosen0 = (process.env.HA_ROWS || Object.keys(FAULTS).join(',')).split(',');
  if (chosen0.some((r) => r.trim() === 'portal-kill')) await startWebs();
  await new Promise((r) => setTimeout(r, 3_000));

  const chosen = (process.env.HA_ROWS || Object.keys(FAULTS).join(',')).split(',').map((r) => r.trim()).filter(Boolean);
  const results: RowResult[] = [];
  for (const name of chosen) {
    const fault = FAULTS[name];
    if (!fault) throw new Error(`unknown row ${name}; rows: ${Object.keys(FAULTS).join(', ')}`);
    results.push(await runRow(db, fault));
  }
  await pool.end();

  console.log('\nFault matrix (npm run test:ha)');
  console.log('row                  events sent / stored / duplicated / lost   alerts expected / delivered / repeated   time to recover');
  for (const r of results) {
    console.log(
      `${r.row.padEnd(20)} ${`${r.sent} / ${r.stored} / ${r.duplicated} / ${r.lost}`.padEnd(39)} ${`${r.expected} / ${r.delivered} / ${r.repeats} (at most ${r.kills})`.padEnd(40)} ${r.recover}  ${r.ok ? 'PASS' : 'FAIL'}${r.note ? `  ${r.note}` : ''}`,
    );
  }
  console.log(`\nThroughput: two ingesters on the HA stack ${haRate.toFixed(0)} events/s, one on the single stack ${singleRate.toFixed(0)} events/s (${(haRate / singleRate).toFixed(2)}x; ${THROUGHPUT_EVENTS} queued events each)`);
  console.log(`Conditions: one 2-core machine shared with other work; Galera, HAProxy, two brokers, six workers and the publishers all on it. Took ${T(Date.now() - started)}.`);
  const ok = results.length > 0 && results.every((r) => r.ok);
  console.log(ok ? 'PASS: every row met its target' : 'FAIL: a row missed its target');
  return ok;
}

async function shutdown(): Promise<void> {
  await Promise.all([...children].map((c) => stopChild(c)));
  await pair.stop().catch(() => undefined);
  await galera.stop().catch(() => undefined);
}

main()
  .then(async (ok) => {
    await shutdown();
    process.exit(ok ? 0 : 1);
  })
  .catch(async (error: Error) => {
    console.error(`[ha] ${error.stack ?? error.message}`);
    await shutdown();
    process.exit(1);
  });
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void shutdown().then(() => process.exit(130)));
