import { type Page, expect, test } from '@playwright/test';
import { createTestUser, deleteTestUser } from '../lib/testing/directory-admin';
import { basic, storageState } from './fixtures';

// Carol onboards a customer in the console: an account, a plan and a VM, each form showing every problem
// of a bad entry and saving nothing; then she moves the VM. Without JavaScript: the forms are plain POSTs.

test.use({ storageState: storageState('carol'), javaScriptEnabled: false });
const run = Date.now().toString(36);

test('an account, a plan and a VM from the console; a bad entry lists its problems and saves nothing', async ({ page, request }) => {
  await page.goto('/admin/accounts');
  const newAccount = page.getByRole('form', { name: 'New account' });
  await newAccount.getByLabel('Name').fill(`Umbrella ${run}`);
  await newAccount.getByLabel(/^Key/).fill(`umbrella-${run}`);
  await newAccount.getByLabel('Contact email').fill('ops@umbrella.example');
  await newAccount.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Account created' })).toBeVisible();
  await expect(page.getByTestId('account-row').filter({ hasText: `umbrella-${run}` })).toContainText('ops@umbrella.example');

  await page.goto('/admin/plans');
  const newPlan = page.getByRole('form', { name: 'New plan' });
  await newPlan.getByLabel('Name').fill(`Tiny ${run}`);
  await newPlan.getByLabel('Slug').fill(`tiny-${run}`);
  await newPlan.getByLabel('Price a month (cents)').fill('300');
  await newPlan.getByLabel('Disk (GiB)').fill('10');
  await newPlan.getByLabel('Transfer a month (GB)').fill('500');
  await newPlan.getByLabel('Memory (MiB)').fill('512');
  await newPlan.getByLabel('vCPUs').fill('1');
  await newPlan.getByRole('button', { name: 'Create plan' }).click();
  await expect(page.getByTestId('plan-row').filter({ hasText: `tiny-${run}` })).toContainText('€3.00');

  await page.goto('/admin/vms');
  const before = ((await (await request.get('/api/v1/admin/vms', { headers: basic('carol') })).json()) as { vms: unknown[] }).vms.length;
  const newVm = page.getByRole('form', { name: 'New VM' });
  await newVm.getByLabel('Account').selectOption(`umbrella-${run}`);
  await newVm.getByLabel('Nagios host_name').fill(`hive ${run}`);
  await newVm.getByLabel('Name customers see').fill(`hive-${run}.umbrella.example`);
  await newVm.getByLabel('Address', { exact: true }).fill('300.1.2.3');
  await newVm.getByLabel('Plan').selectOption(`tiny-${run}`);
  await newVm.getByRole('button', { name: 'Create VM' }).click();
  const problems = page.getByRole('alert');
  await expect(problems).toContainText('nagiosHostName: no spaces');
  await expect(problems).toContainText('address: an IPv4 or IPv6 address');
  expect(((await (await request.get('/api/v1/admin/vms', { headers: basic('carol') })).json()) as { vms: unknown[] }).vms.length).toBe(before);

  const again = page.getByRole('form', { name: 'New VM' });
  await again.getByLabel('Account').selectOption(`umbrella-${run}`);
  await again.getByLabel('Nagios host_name').fill(`hive-${run}`);
  await again.getByLabel('Name customers see').fill(`hive-${run}.umbrella.example`);
  await again.getByLabel('Address', { exact: true }).fill('203.0.113.40');
  await again.getByLabel('IPv6 address (optional)').fill('2001:db8::40');
  await again.getByLabel('Plan').selectOption(`tiny-${run}`);
  await again.getByRole('button', { name: 'Create VM' }).click();
  const row = page.getByTestId('vm-row').filter({ hasText: `hive-${run}.umbrella.example` });
  await expect(row).toContainText(`Umbrella ${run}`);
  await expect(row).toContainText('2001:db8::40');

  // Move it to Globex.
  await row.getByText('Edit, move or retire').click();
  const edit = row.getByRole('form', { name: `Edit hive-${run}.umbrella.example` });
  await edit.getByLabel('Account').selectOption('globex');
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByTestId('vm-row').filter({ hasText: `hive-${run}.umbrella.example` })).toContainText('Globex Corp');
  // Back to its own account, out of bob's view for the other tests.
  const vms = ((await (await request.get('/api/v1/admin/vms', { headers: basic('carol') })).json()) as { vms: Array<{ id: number; nagiosHostName: string }> }).vms;
  const id = vms.find((v) => v.nagiosHostName === `hive-${run}`)!.id;
  expect((await request.patch(`/api/v1/admin/vms/${id}`, { headers: basic('carol'), data: { accountKey: `umbrella-${run}` } })).status()).toBe(200);

  // Retired: bob (Globex) no longer sees it once it is moved back to Globex and retired; staff still do.
  expect((await request.patch(`/api/v1/admin/vms/${id}`, { headers: basic('carol'), data: { accountKey: 'globex' } })).status()).toBe(200);
  expect((await request.get(`/api/v1/vms/${id}`, { headers: basic('bob') })).status()).toBe(200);
  await page.goto(`/admin/vms?q=hive-${run}`);
  const retiring = page.getByTestId('vm-row').filter({ hasText: `hive-${run}.umbrella.example` });
  await retiring.getByText('Edit, move or retire').click();
  await retiring.getByRole('form', { name: `Retire hive-${run}.umbrella.example` }).getByRole('button', { name: 'Retire VM' }).click();
  await expect(page.getByTestId('vm-row').filter({ hasText: `hive-${run}.umbrella.example` })).toContainText('Retired');
  expect((await request.get(`/api/v1/vms/${id}`, { headers: basic('bob') })).status()).toBe(404);
  expect(((await (await request.get('/api/v1/vms', { headers: basic('bob') })).json()) as { vms: Array<{ id: number }> }).vms.some((v) => v.id === id)).toBe(false);
  expect((await request.get(`/api/v1/vms/${id}`, { headers: basic('carol') })).status()).toBe(200);
  const staffRow = ((await (await request.get(`/api/v1/admin/vms/${id}`, { headers: basic('carol') })).json()) as { vm: { retiredAt: string | null } }).vm;
  expect(staffRow.retiredAt).not.toBeNull();
  // Back to its own account (still retired), out of bob's lists for the other tests.
  expect((await request.patch(`/api/v1/admin/vms/${id}`, { headers: basic('carol'), data: { accountKey: `umbrella-${run}` } })).status()).toBe(200);
});

test("an account's billing day, time zone and suspension; bad values are refused", async ({ page }) => {
  await page.goto('/admin/accounts');
  const form = page.getByRole('form', { name: 'New account' });
  await form.getByLabel('Name').fill(`Tyrell ${run}`);
  await form.getByLabel(/^Key/).fill(`tyrell-${run}`);
  await form.getByLabel(/^Billing day/).fill('15');
  await form.getByLabel('Time zone').fill('Mars/Olympus_Mons');
  await form.getByRole('button', { name: 'Create account' }).click();
  await expect(page.locator('main [role="alert"]')).toContainText('timeZone: a time zone like Europe/Berlin');
  await expect(page.getByTestId('account-row').filter({ hasText: `tyrell-${run}` })).toHaveCount(0);

  const again = page.getByRole('form', { name: 'New account' });
  await again.getByLabel('Name').fill(`Tyrell ${run}`);
  await again.getByLabel(/^Key/).fill(`tyrell-${run}`);
  await again.getByLabel(/^Billing day/).fill('15');
  await again.getByLabel('Time zone').fill('America/Los_Angeles');
  await again.getByRole('button', { name: 'Create account' }).click();
  const row = page.getByTestId('account-row').filter({ hasText: `tyrell-${run}` });
  await expect(row).toContainText('Billing day 15, America/Los_Angeles');
  await expect(row).toContainText('Active');

  await row.getByText('Edit').click();
  const suspend = row.getByRole('form', { name: `Suspend Tyrell ${run}` });
  await suspend.getByLabel('Reason (staff only)').fill('invoice 42 unpaid');
  await suspend.getByRole('button', { name: 'Suspend account' }).click();
  const suspended = page.getByTestId('account-row').filter({ hasText: `tyrell-${run}` });
  await expect(suspended).toContainText('Suspended');
  await expect(suspended).toContainText('invoice 42 unpaid');

  await suspended.getByText('Edit').click();
  await suspended.getByRole('form', { name: `Reactivate Tyrell ${run}` }).getByRole('button', { name: 'Reactivate account' }).click();
  await expect(page.getByTestId('account-row').filter({ hasText: `tyrell-${run}` })).toContainText('Active');
});

test("a directory user is assigned before their first login; suspending the account logs them out and refuses them in words", async ({ page, browser }) => {
  const uid = `wallace${run}`;
  const password = 'Suspended-e2e-1';
  await createTestUser(uid, password); // no account in the directory: staff decide
  const customer = await browser.newContext({ javaScriptEnabled: false, storageState: { cookies: [], origins: [] } });
  try {
    await page.goto('/admin/accounts');
    const form = page.getByRole('form', { name: 'New account' });
    await form.getByLabel('Name').fill(`Soylent ${run}`);
    await form.getByLabel(/^Key/).fill(`soylent-${run}`);
    await form.getByRole('button', { name: 'Create account' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Account created' })).toBeVisible();

    await page.goto('/admin/users');
    const lookup = page.getByRole('form', { name: 'Look up in the directory' });
    await lookup.getByLabel('Username in the directory').fill(uid);
    await lookup.getByRole('button', { name: 'Look up' }).click();
    const found = page.getByTestId('directory-user');
    await expect(found).toContainText('Never');
    const assign = found.getByRole('form', { name: `Assign ${uid}` });
    await assign.getByLabel('Account').selectOption({ label: `Soylent ${run}` });
    await assign.getByRole('button', { name: 'Assign account' }).click();
    await expect(page.getByRole('status').filter({ hasText: `${uid} is linked` })).toBeVisible();

    const them = await customer.newPage();
    await logInAs(them, uid, password);
    await expect(them).toHaveURL(/\/$/);
    await expect(them.getByText(`Soylent ${run}`).first()).toBeVisible();

    await page.goto(`/admin/accounts?q=soylent-${run}`);
    const row = page.getByTestId('account-row').filter({ hasText: `soylent-${run}` });
    await row.getByText('Edit').click();
    await row.getByRole('form', { name: `Suspend Soylent ${run}` }).getByRole('button', { name: 'Suspend account' }).click();
    await expect(page.getByTestId('account-row').filter({ hasText: `soylent-${run}` })).toContainText('Suspended');

    await them.goto('/');
    await expect(them).toHaveURL(/\/login/);
    await logInAs(them, uid, password, { expectIn: false });
    await expect(them.locator('main [role="alert"]')).toContainText('Your account is suspended');
  } finally {
    await customer.close();
    await deleteTestUser(uid).catch(() => undefined);
  }
});

async function logInAs(page: Page, username: string, password: string, { expectIn = true } = {}) {
  await page.goto('/login');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  if (expectIn) await expect(page).not.toHaveURL(/\/login/);
}
