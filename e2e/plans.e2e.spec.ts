import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import type { Client } from '@stomp/stompjs';
import { expect, test } from '@playwright/test';
import { connectTestClient } from '../lib/testing/stomp-test-client';
import { TEST_ENV } from '../scripts/test-setup/test-env';
import { basic, storageState, vmIds } from './fixtures';

// Alice sees web-01's disk forecast, opens the recommended plan, confirms (without JavaScript, clicking
// twice), and sees the order complete and the VM on its new plan; with JavaScript the page follows the
// order by itself. The provisioning worker is the real one; the provisioning system is this test's own
// consumer on the real broker. Bob can neither see nor order for alice's VM.

test.describe.configure({ mode: 'serial' });
const ROOT = path.join(import.meta.dirname, '..');
const DATABASE = new URL(TEST_ENV.DATABASE_URL!).pathname.slice(1);
const REQUESTS = `/queue/${DATABASE}.provisioning.e2e`;
const REPLIES = `/queue/${DATABASE}.provisioning.e2e.replies`;

let worker: ChildProcess | undefined;
let provisioner: Client | undefined;
test.beforeAll(async () => {
  worker = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'lib/plans/main.ts')], {
    cwd: ROOT,
    env: { ...process.env, ...TEST_ENV, PROVISIONING_QUEUE: REQUESTS, PROVISIONING_REPLY_QUEUE: REPLIES, PROVISIONING_POLL_MS: '100' },
    stdio: 'ignore',
  });
  // The host's provisioning system, as a test: "accepted" at once, "completed" a moment later.
  const client = await connectTestClient();
  provisioner = client;
  client.subscribe(REQUESTS, (message) => {
    const order = JSON.parse(message.body) as { orderId: number; idempotencyKey: string };
    const reply = (status: string) =>
      client.publish({ destination: REPLIES, body: JSON.stringify({ orderId: order.orderId, status, idempotencyKey: order.idempotencyKey }), headers: { persistent: 'true' } });
    reply('accepted');
    setTimeout(() => reply('completed'), 1500);
  });
});
test.afterAll(async () => {
  worker?.kill('SIGTERM');
  await provisioner?.deactivate();
});

async function webOrders(request: import('@playwright/test').APIRequestContext, vmId: number) {
  const r = await request.get(`/api/v1/vms/${vmId}/orders`, { headers: basic('alice') });
  expect(r.status()).toBe(200);
  return ((await r.json()) as { orders: Array<{ id: number; status: string; toPlanId: number }> }).orders;
}

test.describe('as alice', () => {
  test('without JavaScript: the forecast leads to the recommended plan; two clicks on confirm make one order, which completes', async ({ browser, request }) => {
    const vmId = (await vmIds(request, 'alice'))['web-01.acme.example']!;
    const forecast = (await (await request.get(`/api/v1/vms/${vmId}/forecast`, { headers: basic('alice') })).json()) as {
      forecast: { disks: Array<{ mount: string; status: string; message: string }>; recommendedPlanId: number | null };
    };
    expect(forecast.forecast.disks.find((d) => d.mount === '/')).toMatchObject({ status: 'filling', message: expect.stringMatching(/full in/) });
    const recommended = forecast.forecast.recommendedPlanId!;
    expect(recommended).not.toBeNull();
    const before = await webOrders(request, vmId);

    const context = await browser.newContext({ storageState: storageState('alice'), javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`/vms/${vmId}`);
    const banner = page.getByTestId('usage-attention');
    await expect(banner).toContainText(/The disk is \d+ % full\. At the current rate this disk is full in/);
    await banner.getByRole('link', { name: /^Upgrade to / }).click();
    await expect(page).toHaveURL(new RegExp(`/vms/${vmId}/plan/confirm\\?planId=${recommended}`));
    await expect(page.getByTestId('prorated-price')).toContainText(/days? left of \d+ ×/);
    const confirm = page.getByRole('button', { name: /^Confirm: upgrade to / });
    await confirm.click({ noWaitAfter: true });
    await confirm.click({ timeout: 500 }).catch(() => undefined); // the second click of an impatient customer, if the page is still there
    await expect(page).toHaveURL(new RegExp(`/vms/${vmId}/plan\\?order=\\d+`));
    const after = await webOrders(request, vmId);
    expect(after.length).toBe(before.length + 1);
    await expect(page.getByTestId('order-status')).toContainText(/^Order #\d+, Small → /);

    await expect(async () => {
      await page.reload();
      await expect(page.getByTestId('order-status')).toContainText('Done');
    }).toPass({ timeout: 30_000 });
    await expect(page.locator(`[data-testid="plan-row"]`).filter({ hasText: 'Your plan' })).toHaveAttribute('data-plan', /medium|large/);
    await expect(page.getByTestId('resize-confirmation')).toContainText(/^Now on /);
    await page.goto(`/vms/${vmId}`);
    await expect(page.locator('.facts')).not.toContainText('Small');
    await context.close();
  });

  test.use({ storageState: storageState('alice') });

  test('with JavaScript: a second upgrade is followed live to the end; a second order while one is open is refused', async ({ page, request }) => {
    const vmId = (await vmIds(request, 'alice'))['web-01.acme.example']!;
    const plans = ((await (await request.get('/api/v1/plans', { headers: basic('alice') })).json()) as { plans: Array<{ id: number; slug: string }> }).plans;
    const large = plans.find((p) => p.slug === 'large')!;
    await page.goto(`/vms/${vmId}/plan`);
    await page.locator('[data-plan="large"]').getByRole('link', { name: 'Upgrade to Large' }).click();
    await page.getByRole('button', { name: /^Confirm: upgrade to Large/ }).dblclick();
    await expect(page).toHaveURL(new RegExp(`/vms/${vmId}/plan`));
    await expect(page.getByTestId('order-status')).toContainText(/Medium → Large/);
    const open = (await webOrders(request, vmId)).find((o) => o.toPlanId === large.id && o.status !== 'completed');
    if (open) {
      const second = await request.post(`/api/v1/vms/${vmId}/orders`, { headers: basic('alice'), data: { planId: plans.find((p) => p.slug === 'small')!.id, idempotencyKey: `second-tab-${Date.now()}` } });
      expect(second.status()).toBe(409);
    }
    // No reload: the page polls the order and shows its end.
    await expect(page.getByTestId('order-status')).toContainText('Done', { timeout: 30_000 });
    expect((await webOrders(request, vmId)).filter((o) => o.toPlanId === large.id && o.status === 'completed').length).toBeGreaterThanOrEqual(1);
  });
});

test.describe('as bob', () => {
  test.use({ storageState: storageState('bob') });

  test("can neither see nor order for alice's VM", async ({ page, request }) => {
    const vmId = (await vmIds(request, 'alice'))['web-01.acme.example']!;
    for (const url of [`/vms/${vmId}/plan`, `/vms/${vmId}/plan/confirm?planId=1`]) expect((await page.goto(url))?.status(), url).toBe(404);
    expect((await request.get(`/api/v1/vms/${vmId}/forecast`, { headers: basic('bob') })).status()).toBe(404);
    expect((await request.post(`/api/v1/vms/${vmId}/orders`, { headers: basic('bob'), data: { planId: 1, idempotencyKey: 'bob-tries-12345' } })).status()).toBe(404);
    const alices = await webOrders(request, vmId);
    if (alices[0]) expect((await request.get(`/api/v1/orders/${alices[0].id}`, { headers: basic('bob') })).status()).toBe(404);
  });
});
