import { expect, test } from '@playwright/test';
import { basic, storageState, vmIds } from './fixtures';

// Carol opens alice's VM as alice sees it: the same history and charts, a banner saying whose view it
// is, nothing she could change, and the view in the audit log.

test.use({ storageState: storageState('carol') });

test("staff read a customer's VM pages read-only, each view audited", async ({ page, request }) => {
  const vmId = (await vmIds(request, 'alice'))['web-01.acme.example']!;
  const response = await page.goto(`/vms/${vmId}`);
  expect(response?.status()).toBe(200);
  await expect(page.getByTestId('staff-view')).toContainText('web-01.acme.example as Acme Ltd sees it. Read-only');
  await expect(page.getByRole('heading', { name: 'History' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Disk, load and transfer' })).toBeVisible();
  // Nothing to change: no maintenance form, no detail switch, no upgrade offer.
  await expect(page.getByRole('form', { name: 'Plan maintenance' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Apply' })).toHaveCount(0);
  await expect(page.getByTestId('usage-attention')).toHaveCount(0);

  await page.goto(`/vms/${vmId}/plan`);
  await expect(page.getByTestId('staff-view')).toBeVisible();
  await expect(page.getByRole('link', { name: /^Upgrade to / })).toHaveCount(0);

  // A customer's account pages still send staff to the console.
  await page.goto('/alerts');
  await expect(page).toHaveURL(/\/admin$/);

  await page.goto('/admin/audit?actor=carol');
  await expect(page.getByTestId('audit-entry').first()).toContainText('carol looked at web-01.acme.example (plan) as its customer sees it');
  expect((await request.get(`/api/v1/vms/${vmId}/events?limit=1`, { headers: basic('carol') })).status()).toBe(200);
});

test("staff read a customer's dashboard read-only with ?account=, audited; a customer's own dashboard ignores it", async ({ page, request, browser }) => {
  const accounts = ((await (await request.get('/api/v1/admin/accounts', { headers: basic('carol') })).json()) as { accounts: Array<{ id: number; key: string }> }).accounts;
  const acme = accounts.find((a) => a.key === 'acme')!;
  const globex = accounts.find((a) => a.key === 'globex')!;
  await page.goto(`/?account=${acme.id}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Acme Ltd: virtual machines');
  await expect(page.getByTestId('staff-view')).toContainText("Acme Ltd's portal as its users see it. Read-only");
  await expect(page.getByRole('table').getByRole('link', { name: 'web-01.acme.example' })).toBeVisible();
  await expect(page.getByTestId('usage-attention')).toHaveCount(0);
  expect((await page.goto('/?account=999999999'))?.status()).toBe(404);
  // The account's other pages, from the banner: read-only, none of the customer's forms.
  await page.goto(`/?account=${acme.id}`);
  await page.getByTestId('staff-view').getByRole('link', { name: 'Alerts' }).click();
  await expect(page).toHaveURL(new RegExp(`/alerts\\?account=${acme.id}$`));
  await expect(page.getByTestId('staff-view')).toContainText("Acme Ltd's portal");
  await expect(page.getByRole('heading', { name: 'New rule' })).toHaveCount(0);
  for (const [link, heading] of [['Delivery log', 'Delivery log'], ['Contacts', 'Where alerts go'], ['Mail backup', 'Mail backup (backup MX)']] as const) {
    await page.getByTestId('staff-view').getByRole('link', { name: link }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(heading);
    await expect(page.getByTestId('staff-view')).toBeVisible();
    await expect(page.locator('main form')).toHaveCount(0);
  }
  await page.goto('/admin/audit?actor=carol');
  await expect(page.getByTestId('audit-entry').filter({ hasText: "carol looked at the account Acme Ltd's dashboard as its users see them" }).first()).toBeVisible();

  const alice = await browser.newContext({ storageState: storageState('alice') });
  try {
    const own = await alice.newPage();
    await own.goto(`/?account=${globex.id}`);
    await expect(own.getByRole('heading', { level: 1 })).toHaveText('Acme Ltd: virtual machines');
    await expect(own.getByTestId('staff-view')).toHaveCount(0);
  } finally {
    await alice.close();
  }
});
