import { expect, test } from '@playwright/test';
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
  await row.getByText('Edit or move').click();
  const edit = row.getByRole('form', { name: `Edit hive-${run}.umbrella.example` });
  await edit.getByLabel('Account').selectOption('globex');
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByTestId('vm-row').filter({ hasText: `hive-${run}.umbrella.example` })).toContainText('Globex Corp');
  // Back to its own account, out of bob's view for the other tests.
  const vms = ((await (await request.get('/api/v1/admin/vms', { headers: basic('carol') })).json()) as { vms: Array<{ id: number; nagiosHostName: string }> }).vms;
  const id = vms.find((v) => v.nagiosHostName === `hive-${run}`)!.id;
  expect((await request.patch(`/api/v1/admin/vms/${id}`, { headers: basic('carol'), data: { accountKey: `umbrella-${run}` } })).status()).toBe(200);
});
