import { type APIRequestContext, expect, test } from '@playwright/test';
import { basic, storageState, vmIds } from './fixtures';

// Alice orders a plan change through the API; carol (staff) finds it on /admin/orders and cancels it
// with a reason; alice's API then reads it as cancelled. Alice herself never gets the staff page.

test.describe.configure({ mode: 'serial' });
const run = Date.now().toString(36);
const REASON = `Customer asked by phone ${run}`;

interface ApiOrder {
  id: number;
  vmId: number;
  toPlanId: number;
  status: string;
  reason: string | null;
}

/**
 * An open order on alice's db-01 (an upgrade, 'large' while it is not on it already), with its target
 * plan's name: a new one, or the one an earlier run left open (a VM takes one open order at a time).
 */
async function openOrder(request: APIRequestContext): Promise<{ order: ApiOrder; toPlanName: string }> {
  const vmId = (await vmIds(request, 'alice'))['db-01.acme.example']!;
  expect(vmId).toBeDefined();
  const { plans } = (await (await request.get('/api/v1/plans', { headers: basic('alice') })).json()) as { plans: Array<{ id: number; slug: string; name: string }> };
  const outlook = (await (await request.get(`/api/v1/vms/${vmId}/forecast`, { headers: basic('alice') })).json()) as {
    forecast: { plans: Array<{ planId: number; fits: boolean; current: boolean; upgrade: boolean }> };
  };
  const upgrades = outlook.forecast.plans.filter((p) => p.upgrade && p.fits && !p.current).map((p) => plans.find((q) => q.id === p.planId)!);
  const target = upgrades.find((p) => p.slug === 'large') ?? upgrades[0];
  const response = await request.post(`/api/v1/vms/${vmId}/orders`, {
    headers: basic('alice'),
    data: { planId: target?.id ?? plans.find((p) => p.slug === 'large')!.id, idempotencyKey: `e2e-admin-orders-${run}` },
  });
  const body = (await response.json()) as { order?: ApiOrder; code?: string; error?: string };
  if (!(response.status() === 409 && body.code === 'open-order')) expect(response.status(), JSON.stringify(body)).toBe(201);
  const placed = body.order!;
  return { order: placed, toPlanName: plans.find((p) => p.id === placed.toPlanId)?.name ?? `plan ${placed.toPlanId}` };
}

let order: ApiOrder;

test.describe('as carol (staff)', () => {
  test.use({ storageState: storageState('carol') });

  test("finds alice's order on the orders page and cancels it with a reason", async ({ page, request }) => {
    const open = await openOrder(request);
    order = open.order;
    expect(['requested', 'sent', 'accepted']).toContain(order.status);

    await page.goto('/admin');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Orders', exact: true }).click();
    await expect(page.getByRole('heading', { name: 'Plan-change orders', level: 1 })).toBeVisible();
    await expect(page.locator('.facts')).toContainText('Messages waiting to be sent');

    const filters = page.getByRole('form', { name: 'Filter orders' });
    await filters.getByRole('combobox', { name: 'Status' }).selectOption(order.status);
    await filters.getByRole('button', { name: 'Show' }).click();
    await expect(page).toHaveURL(new RegExp(`status=${order.status}`));

    await expect(page.locator(`[data-testid="order"][data-order-id="${order.id}"]`)).toBeVisible();
    await expect(page.getByTestId('order').locator('.state').filter({ hasNotText: order.status })).toHaveCount(0);

    // Unfiltered, so the row (and the action's answer in it) stays in the list once it is cancelled.
    await page.goto('/admin/orders');
    const row = page.locator(`[data-testid="order"][data-order-id="${order.id}"]`);
    await expect(row).toContainText(`#${order.id}`);
    await expect(row).toContainText('Acme Ltd');
    await expect(row).toContainText('db-01.acme.example');
    await expect(row).toContainText(`→ ${open.toPlanName}`);
    await expect(row).toContainText(/€/);
    await expect(row).toContainText(order.status);

    const cancel = row.getByRole('form', { name: `Cancel order ${order.id}` });
    // An empty reason is refused by the browser before it reaches the server.
    await cancel.getByRole('button', { name: 'Cancel order' }).click();
    await expect(row).toContainText(order.status);
    await cancel.getByRole('textbox', { name: 'Reason' }).fill(REASON);
    await cancel.getByRole('button', { name: 'Cancel order' }).click();
    await expect(row.getByRole('status')).toContainText(`Order #${order.id} cancelled.`);

    await page.goto('/admin/orders?status=cancelled');
    const cancelled = page.locator(`[data-testid="order"][data-order-id="${order.id}"]`);
    await expect(cancelled).toContainText('cancelled');
    await expect(cancelled).toContainText(`Cancelled by staff: ${REASON}`);
    await expect(cancelled.getByRole('button', { name: 'Cancel order' })).toHaveCount(0);
    await expect(cancelled.getByRole('button', { name: 'Send again' })).toHaveCount(0);
  });
});

test.describe('as alice', () => {
  test.use({ storageState: storageState('alice') });

  test('reads her order as cancelled through the API', async ({ request }) => {
    test.skip(!order, 'the staff test did not get an order');
    const response = await request.get(`/api/v1/orders/${order.id}`, { headers: basic('alice') });
    expect(response.status()).toBe(200);
    const { order: after } = (await response.json()) as { order: ApiOrder & { cancelledAt: string | null } };
    expect(after).toMatchObject({ id: order.id, status: 'cancelled', reason: `Cancelled by staff: ${REASON}`, cancelledAt: expect.any(String) });
  });

  test('is not let into the staff orders page', async ({ page }) => {
    const response = await page.goto('/admin/orders');
    expect(response?.status()).toBe(403);
    await expect(page.getByRole('heading', { name: 'Forbidden' })).toBeVisible();
    await expect(page.getByText('Plan-change orders')).toHaveCount(0);
  });
});
