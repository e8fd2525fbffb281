import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import type { Client } from '@stomp/stompjs';
import { type APIRequestContext, expect, test } from '@playwright/test';
import { connectTestClient } from '../lib/testing/stomp-test-client';
import { TEST_ENV } from '../scripts/test-setup/test-env';
import { DatabaseSnapshots } from './db-snapshot';
import { basic, storageState, vmIds } from './fixtures';

// Alice's db-01 runs 20.04, past standard support: the packages page says so loudly and offers a
// rebuild; she orders one onto 24.04 without JavaScript (a wrong host name first, which orders nothing),
// and once the provisioning system (this test's consumer on the real broker, behind the real worker)
// answers "completed", db-01's guides are those of 24.04. The API refuses an unsupported release and a
// wrong confirmation; carol's staff view cannot order. db-01 is put back on 20.04 afterwards, for the
// specs (and reruns) that expect it there.

test.describe.configure({ mode: 'serial' });
const ROOT = path.join(import.meta.dirname, '..');
const DATABASE = new URL(TEST_ENV.DATABASE_URL!).pathname.slice(1);
const REQUESTS = `/queue/${DATABASE}.provisioning.rebuild.e2e`;
const REPLIES = `/queue/${DATABASE}.provisioning.rebuild.e2e.replies`;
const HOST = 'db-01.acme.example';
const run = Date.now().toString(36);

interface ApiOrder {
  id: number;
  kind: string;
  ubuntuRelease: string | null;
  status: string;
  amountMinor: number;
}

let worker: ChildProcess | undefined;
let provisioner: Client | undefined;
test.beforeAll(async () => {
  worker = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'lib/plans/main.ts')], {
    cwd: ROOT,
    env: { ...process.env, ...TEST_ENV, PROVISIONING_QUEUE: REQUESTS, PROVISIONING_REPLY_QUEUE: REPLIES, PROVISIONING_POLL_MS: '100' },
    stdio: 'ignore',
  });
  // The host's provisioning system: rebuilds are "accepted" at once and "completed" a moment later;
  // anything else (an order an earlier spec left behind) is none of this test's business.
  const client = await connectTestClient();
  provisioner = client;
  client.subscribe(REQUESTS, (message) => {
    const order = JSON.parse(message.body) as { type: string; kind?: string; orderId: number; idempotencyKey: string };
    if (order.type !== 'porthole.rebuild' || order.kind !== 'rebuild') return;
    const reply = (status: string) =>
      client.publish({ destination: REPLIES, body: JSON.stringify({ orderId: order.orderId, status, idempotencyKey: order.idempotencyKey }), headers: { persistent: 'true' } });
    reply('accepted');
    setTimeout(() => reply('completed'), 2500);
  });
});
test.afterAll(async () => {
  worker?.kill('SIGTERM');
  await provisioner?.deactivate();
  const db = await DatabaseSnapshots.open();
  try {
    await db.query(`UPDATE vms SET ubuntu_release = '20.04' WHERE hostname = ?`, [HOST]);
  } finally {
    await db.close();
  }
});

async function orders(request: APIRequestContext, vmId: number): Promise<ApiOrder[]> {
  const r = await request.get(`/api/v1/vms/${vmId}/orders`, { headers: basic('alice') });
  expect(r.status()).toBe(200);
  return ((await r.json()) as { orders: ApiOrder[] }).orders;
}

test.describe('as alice', () => {
  test('the API refuses an unsupported or unknown release and a wrong host name, ordering nothing; bob gets nothing', async ({ request }) => {
    const vmId = (await vmIds(request, 'alice'))[HOST]!;
    const before = (await orders(request, vmId)).length;
    const post = (data: Record<string, unknown>, user: 'alice' | 'bob' = 'alice') => request.post(`/api/v1/vms/${vmId}/orders`, { headers: basic(user), data });
    const cases: Array<[Record<string, unknown>, number, string | undefined]> = [
      [{ kind: 'rebuild', ubuntuRelease: '20.04', confirmHostname: HOST, idempotencyKey: `e2e-rb-old-${run}` }, 422, 'unsupported-release'],
      [{ kind: 'rebuild', ubuntuRelease: '25.10', confirmHostname: HOST, idempotencyKey: `e2e-rb-old2-${run}` }, 422, 'unsupported-release'],
      [{ kind: 'rebuild', ubuntuRelease: '31.04', confirmHostname: HOST, idempotencyKey: `e2e-rb-none-${run}` }, 422, 'unknown-release'],
      [{ kind: 'rebuild', ubuntuRelease: '24.04', confirmHostname: 'web-01.acme.example', idempotencyKey: `e2e-rb-wrong-${run}` }, 422, 'wrong-confirmation'],
      [{ kind: 'rebuild', ubuntuRelease: '24.04', idempotencyKey: `e2e-rb-missing-${run}` }, 400, undefined],
      [{ kind: 'reinstall', ubuntuRelease: '24.04', confirmHostname: HOST, idempotencyKey: `e2e-rb-kind-${run}` }, 400, undefined],
    ];
    for (const [data, status, code] of cases) {
      const r = await post(data);
      const body = (await r.json()) as { code?: string; error?: string };
      expect(r.status(), JSON.stringify(body)).toBe(status);
      expect(body.error).toBeTruthy();
      if (code) expect(body.code).toBe(code);
    }
    const unsupported = (await (await post(cases[0]![0])).json()) as { error: string };
    expect(unsupported.error).toMatch(/only build releases that are still supported.*24\.04/);
    expect((await post({ kind: 'rebuild', ubuntuRelease: '24.04', confirmHostname: HOST, idempotencyKey: `e2e-rb-bob-${run}` }, 'bob')).status()).toBe(404);
    expect((await orders(request, vmId)).length).toBe(before);
  });

  test('without JavaScript: orders a rebuild of db-01 onto 24.04 from the packages page and sees its guides change when it completes', async ({ browser, request }) => {
    const vmId = (await vmIds(request, 'alice'))[HOST]!;
    const before = (await orders(request, vmId)).length;
    const context = await browser.newContext({ storageState: storageState('alice'), javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`/vms/${vmId}/packages`);
    const banner = page.getByTestId('rebuild-banner');
    await expect(banner).toContainText('Ubuntu 20.04 LTS (Focal Fossa) no longer gets standard security updates');
    await expect(page.getByRole('heading', { name: 'Rebuild on a newer release' })).toBeVisible();
    await page.getByRole('link', { name: 'Rebuild on Ubuntu 24.04 LTS (Noble Numbat)' }).click();
    await expect(page).toHaveURL(new RegExp(`/vms/${vmId}/rebuild/confirm\\?release=24\\.04`));
    await expect(page.getByTestId('rebuild-warning')).toContainText(`All data on ${HOST} will be destroyed.`);
    await expect(page.getByTestId('rebuild-warning')).toContainText('backups');
    await expect(page.getByTestId('rebuild-when')).toContainText('Straight away');

    // The wrong host name: back on the screen, nothing ordered.
    const form = page.getByRole('form', { name: 'Confirm rebuild' });
    await form.getByRole('textbox', { name: /type the VM’s host name/ }).fill('db-01');
    await form.getByRole('button', { name: 'Destroy all data and rebuild on Ubuntu 24.04 LTS' }).click();
    await expect(page).toHaveURL(/refused=wrong-confirmation/);
    await expect(page.getByTestId('rebuild-refused')).toContainText('nothing was ordered');
    expect((await orders(request, vmId)).length).toBe(before);

    // The right one, in capitals and with spaces around it; the second click of an impatient customer makes no second order.
    await form.getByRole('textbox', { name: /type the VM’s host name/ }).fill(`  ${HOST.toUpperCase()} `);
    const confirm = form.getByRole('button', { name: 'Destroy all data and rebuild on Ubuntu 24.04 LTS' });
    await confirm.click({ noWaitAfter: true });
    await confirm.click({ timeout: 500 }).catch(() => undefined);
    await expect(page).toHaveURL(new RegExp(`/vms/${vmId}/rebuild\\?order=\\d+`));
    const after = await orders(request, vmId);
    expect(after.length).toBe(before + 1);
    expect(after[0]).toMatchObject({ kind: 'rebuild', ubuntuRelease: '24.04', amountMinor: 0 });
    await expect(page.getByTestId('rebuild-status')).toContainText(new RegExp(`^Order #${after[0]!.id}, rebuild on Ubuntu 24\\.04: `));

    await expect(async () => {
      await page.reload();
      await expect(page.getByTestId('rebuild-status')).toContainText('Done');
    }).toPass({ timeout: 30_000 });
    await expect(page.getByTestId('rebuild-status')).toContainText('The VM now runs Ubuntu 24.04');

    // Its guides are those of 24.04 now: the support countdown, the deb822 sources, no banner.
    await page.goto(`/vms/${vmId}/packages`);
    await expect(page.getByTestId('rebuild-banner')).toHaveCount(0);
    await expect(page.getByRole('heading', { name: /Release support/ }).locator('[data-support]')).toHaveAttribute('data-support', 'supported');
    await expect(page.getByText(/^Ubuntu 24\.04 LTS \(Noble Numbat\) is supported until 2029-05-31/)).toBeVisible();
    const sources = page.locator('section[aria-labelledby="sources-heading"]');
    await expect(sources).toContainText('/etc/apt/sources.list.d/ubuntu.sources');
    await expect(sources).toContainText('Suites: noble noble-updates noble-security');
    await expect(sources).not.toContainText('focal');
    await expect(page.getByTestId('rebuild-status')).toContainText('Done');

    // The plan page lists it among the VM's orders.
    await page.goto(`/vms/${vmId}/plan`);
    await expect(page.getByTestId('order-row').first()).toContainText('Rebuild on Ubuntu 24.04');
    await context.close();
  });
});

test.describe('as carol (staff)', () => {
  test.use({ storageState: storageState('carol') });

  test("reads alice's rebuilds read-only and sees the order with its release on /admin/orders", async ({ page, request }) => {
    const vmId = (await vmIds(request, 'alice'))[HOST]!;
    await page.goto(`/vms/${vmId}/rebuild`);
    await expect(page.getByTestId('staff-view')).toBeVisible();
    await expect(page.getByTestId('rebuild-row').first()).toContainText('Ubuntu 24.04');
    await expect(page.getByRole('link', { name: /^Rebuild on / })).toHaveCount(0);
    await page.goto(`/vms/${vmId}/rebuild/confirm?release=24.04`);
    await expect(page).toHaveURL(/\/admin$/);
    expect((await request.post(`/api/v1/vms/${vmId}/orders`, { headers: basic('carol'), data: { kind: 'rebuild', ubuntuRelease: '24.04', confirmHostname: HOST, idempotencyKey: `e2e-rb-carol-${run}` } })).status()).toBe(403);

    await page.goto('/admin/orders');
    const row = page.getByTestId('order').filter({ hasText: HOST }).first();
    await expect(row.getByTestId('order-kind')).toHaveText('rebuild');
    await expect(row.getByTestId('order-release')).toHaveText('24.04');
  });
});
