import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Rule } from '../alerts/rule';
import { buildCommands, run } from '../cli/int-test-helpers';
import { createDb } from '../db/connection';
import { type EventToStore, storeBatch } from '../db/queries/event-store';
import { accounts, alertContacts, alertDeliveries, alertRules, plans, vms } from '../db/schema';
import { Ingester } from '../ingest/ingester';
import { parseBrokerUrl } from '../stomp/broker-url';
import { waitForSms } from '../testing/fake-smsc';
import { readMail, waitForMail } from '../testing/maildir';
import { TcpProxy } from '../testing/tcp-proxy';
import { createEmailChannel } from './channels/email';
import { createSmsChannel, loadSmsConfig } from './channels/sms';
import { createPushChannel, generateVapidKeys } from './channels/push';
import { createWebhookChannel, verifyWebhookSignature } from './channels/webhook';
import { type PushService, pushSubscriber, startPushService } from '../testing/push-service';
import { Notifier } from './notifier';

// Alerts end to end against the real stack: Nagios' command → ActiveMQ → ingester → MariaDB outbox →
// notifier → a real SMTP server, Kannel's fake SMSC, a webhook receiver and a push service; then the notifier killed
// mid-run, and SMTP down for a minute.
const { db, pool } = createDb(process.env.DATABASE_URL!, { connectionLimit: 8 });
const run8 = randomUUID().slice(0, 8);
const SMTP_PORT = Number(process.env.SMTP_PORT || 24025);
const ROOT = path.join(import.meta.dirname, '..', '..');

afterAll(async () => {
  await pool.end();
});

async function fixture(name: string, contacts: Array<{ kind: 'email' | 'sms' | 'webhook' | 'push'; target: string; options?: Record<string, string> }>, over: Partial<Rule> = {}) {
  const slug = `d-${run8}-${name}`;
  await db.insert(accounts).values({ slug, name: slug });
  const [account] = await db.select().from(accounts).where(eq(accounts.slug, slug));
  const [plan] = await db.select().from(plans).limit(1);
  const host = `${slug}.example`;
  await db.insert(vms).values({ accountId: account!.id, nagiosHostName: host, hostname: host, address: `10.77.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250) + 1}`, ubuntuRelease: '24.04', planId: plan!.id });
  const [vm] = await db.select().from(vms).where(eq(vms.nagiosHostName, host));
  const ids: number[] = [];
  for (const [i, c] of contacts.entries()) {
    const [row] = await db
      .insert(alertContacts)
      .values({ accountId: account!.id, kind: c.kind, label: c.target.slice(0, 100), target: c.target, targetKey: `${run8}${name}${i}`.padEnd(64, '0').slice(0, 64), options: c.options ?? null, verifiedAt: new Date() })
      .$returningId();
    ids.push(row!.id);
  }
  const rule: Rule = {
    name: `rule ${name}`, enabled: true, vms: 'all', hostEvents: true, services: { mode: 'all' }, triggers: ['CRITICAL', 'DOWN', 'RECOVERY'], hardOnly: true,
    forMinutes: 0, repeatMinutes: null, maxPerHour: null, groupMinutes: 0, digest: null, quiet: null, timeZone: 'UTC', detail: 'technical', contactIds: ids, forecast: null, mailChecks: false, ...over,
  };
  const [r] = await db.insert(alertRules).values({ accountId: account!.id, name: rule.name, enabled: true, definition: rule, createdAt: new Date(), updatedAt: new Date() }).$returningId();
  return { host, vmId: vm!.id, ruleId: r!.id, contactIds: ids };
}

async function until<T>(what: string, fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(v).slice(0, 300)} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const deliveries = (ruleId: number) => db.select().from(alertDeliveries).where(eq(alertDeliveries.ruleId, ruleId));

describe('a CRITICAL published with the CLI', () => {
  const hooks: Array<{ headers: http.IncomingHttpHeaders; body: string }> = [];
  const receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      hooks.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  let pushService: PushService;
  beforeAll(async () => {
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    pushService = await startPushService();
  });
  afterAll(async () => {
    await new Promise<void>((r) => receiver.close(() => r()));
    await pushService.close();
  });

  it('reaches the SMTP server, the SMS gateway, a webhook receiver (signature checked) and a push service (payload decrypted)', async () => {
    const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    const phone = pushSubscriber();
    const f = await fixture('cli', [
      { kind: 'email', target: `ops-${run8}@example.com` },
      { kind: 'sms', target: '+4915112345678' },
      { kind: 'webhook', target: hookUrl, options: { secret: 'hook-secret', preset: 'generic' } },
      { kind: 'push', target: `${pushService.base}/push/${run8}`, options: phone.keys },
    ]);
    const destination = `/queue/test.alerts.${run8}`;
    const ingester = new Ingester(db, {
      endpoints: parseBrokerUrl(process.env.STOMP_URL!), destination, batchSize: 50, batchMs: 10, prefetch: 100, concurrency: 1,
      subscriptionName: `alerts-${run8}`, instance: `alerts-${run8}`, mode: 'batch', maxClockSkewSec: 300, log: () => undefined,
    });
    ingester.start();
    const notifier = new Notifier(db, {
      channels: {
        email: createEmailChannel({ url: `smtp://127.0.0.1:${SMTP_PORT}`, from: 'alerts@porthole.test' }),
        sms: createSmsChannel(loadSmsConfig()),
        webhook: createWebhookChannel({ allowNetworks: ['127.0.0.0/8'] }),
        push: createPushChannel({ vapid: { ...generateVapidKeys(), subject: 'mailto:ops@porthole.test' }, allowNetworks: ['127.0.0.0/8'], agent: pushService.agent }),
      },
      portalUrl: 'http://portal.test',
      log: () => undefined,
    });
    notifier.start();
    try {
      const commands = await buildCommands();
      const published = await run(commands['notify-service-by-stomp'], [process.env.STOMP_URL!, destination, f.host, `Disk ${run8}`, 'CRITICAL', 'HARD', '0', '3', '3', `DISK CRITICAL - ${run8} 98% used`], {
        PORTHOLE_SPOOL_DIR: path.join('/tmp', `porthole-alerts-spool-${run8}`),
      });
      expect(published.code).toBe(0);
      const [mail] = await waitForMail((m) => m.headers.to === `ops-${run8}@example.com`, { timeoutMs: 30_000 });
      expect(mail!.body).toContain(`DISK CRITICAL - ${run8} 98% used`);
      const sms = await waitForSms((s) => s.text.includes(run8), 30_000);
      expect(sms.number).toMatch(/4915112345678/);
      const hook = await until('webhook', async () => hooks.find((h) => h.body.includes(run8)), (h) => h !== undefined, 30_000);
      expect(verifyWebhookSignature('hook-secret', hook!.headers, hook!.body)).toBe(true);
      const pushed = await until('push', async () => pushService.received.find((p) => p.url === `/push/${run8}`), (p) => p !== undefined, 30_000);
      expect(phone.decrypt(pushed!.body)).toMatchObject({ title: expect.stringContaining(`Disk ${run8}`), url: `http://portal.test/vms/${f.vmId}` });
      const rows = await until('four sent', () => deliveries(f.ruleId), (r) => r.filter((d) => d.status === 'sent').length === 4);
      expect(rows.map((d) => d.channel).sort()).toEqual(['email', 'push', 'sms', 'webhook']);
      expect(rows.find((d) => d.channel === 'email')!.response).toMatch(/^250 /);
    } finally {
      await notifier.stop();
      await ingester.stop();
    }
  });
});

describe('the notifier killed with SIGKILL in the middle of 1,000 deliveries', () => {
  it('loses none: every message arrives, repeats are only the ones in flight', async () => {
    const address = `storm-${run8}@example.com`;
    const f = await fixture('kill', [{ kind: 'email', target: address }]);
    const t0 = Date.now() - 60_000;
    const events: EventToStore[] = Array.from({ length: 1000 }, (_, i) => ({
      key: `kill-${run8}-${i}`.padEnd(64, 'k'), check: false, kind: 'service', hostname: f.host, hostName: f.host, service: `svc-${i}`, state: 'CRITICAL',
      stateType: 'HARD', stateDurationSec: 0, attempt: 3, maxAttempts: 3, occurredAt: new Date(t0 + i), output: 'x', samples: [],
    }));
    for (let i = 0; i < 1000; i += 250) await storeBatch(db, { events: events.slice(i, i + 250) });
    const start = (): ChildProcess =>
      spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'lib/notify/main.ts')], {
        cwd: ROOT,
        env: { ...process.env, SMTP_URL: `smtp://127.0.0.1:${SMTP_PORT}`, NOTIFY_LEASE_MS: '3000', NOTIFY_POLL_MS: '100' },
        stdio: 'ignore',
      });
    const mine = () => readMail().filter((m) => m.headers.to === address);
    const first = start();
    try {
      await until('some delivered', async () => mine().length, (n) => n >= 150, 60_000);
    } finally {
      // Also when the wait fails: a notifier left running would send every later test's messages.
      first.kill('SIGKILL');
      if (first.exitCode === null && first.signalCode === null) await new Promise((r) => first.once('exit', r));
    }
    const atKill = mine().length;
    const second = start();
    try {
      await until('all sent', async () => (await deliveries(f.ruleId)).filter((d) => d.status === 'sent').length, (n) => n === 1000, 90_000);
      const keys = mine().map((m) => m.headers['x-porthole-delivery']!);
      const unique = new Set(keys);
      expect(unique.size).toBe(1000);
      const repeated = keys.length - unique.size;
      console.log(`[kill] ${atKill} delivered before SIGKILL, 1000 of 1000 delivered, ${repeated} repeated (in flight at the kill)`);
      expect(repeated).toBeLessThanOrEqual(100);
    } finally {
      second.kill('SIGTERM');
      await new Promise((r) => second.once('exit', r));
    }
  }, 180_000);
});

describe('SMTP down for a minute, then back', () => {
  it('delivers every message, and the log shows the retries', async () => {
    const address = `outage-${run8}@example.com`;
    const f = await fixture('smtp-down', [{ kind: 'email', target: address }]);
    const proxy = await new TcpProxy(SMTP_PORT).start();
    const notifier = new Notifier(db, {
      channels: { email: createEmailChannel({ url: `smtp://127.0.0.1:${proxy.port}`, from: 'alerts@porthole.test', timeoutMs: 3000 }) },
      portalUrl: 'http://portal.test',
      backoffMs: 2000,
      maxBackoffMs: 10_000,
      maxAttempts: 30,
      log: () => undefined,
    });
    await proxy.cut();
    notifier.start();
    try {
      const at = Date.now();
      await storeBatch(db, {
        events: Array.from({ length: 20 }, (_, i) => ({
          key: `down-${run8}-${i}`.padEnd(64, 'd'), check: false, kind: 'service' as const, hostname: f.host, hostName: f.host, service: `svc-${i}`, state: 'CRITICAL',
          stateType: 'HARD' as const, stateDurationSec: 0, attempt: 3, maxAttempts: 3, occurredAt: new Date(at + i), output: 'x', samples: [],
        })),
      });
      await new Promise((r) => setTimeout(r, 60_000));
      const during = await deliveries(f.ruleId);
      expect(during.filter((d) => d.status === 'sent')).toHaveLength(0);
      expect(during.every((d) => d.attempts >= 3 && d.reason === 'retrying')).toBe(true);
      await proxy.start();
      await until('all sent', async () => (await deliveries(f.ruleId)).filter((d) => d.status === 'sent').length, (n) => n === 20, 30_000);
      const rows = await db.select().from(alertDeliveries).where(inArray(alertDeliveries.ruleId, [f.ruleId]));
      expect(rows.every((d) => d.attempts > 3 && /^250 /.test(d.response ?? ''))).toBe(true);
      expect((await waitForMail((m) => m.headers.to === address, { count: 20 })).length).toBe(20);
    } finally {
      await notifier.stop();
      await proxy.cut();
    }
  }, 150_000);
});
