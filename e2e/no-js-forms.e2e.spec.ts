import { type APIRequestContext, expect, test } from '@playwright/test';
import { basic, storageState, vmIds } from './fixtures';

// Every customer form, submitted with JavaScript disabled (a customer on a slow link before the scripts
// load): each is a plain POST, and the page after it shows what happened; the API confirms the change, and
// the test removes what it made. Login (login.e2e.spec.ts) and the rebuild confirmation (rebuild.e2e.spec.ts)
// have their own no-JavaScript tests. db-01 is used for the VM forms: web-01 belongs to the alert and plan specs.

test.use({ storageState: storageState('alice'), javaScriptEnabled: false });
const run = Date.now().toString(36);

async function api<T>(request: APIRequestContext, path: string): Promise<T> {
  const response = await request.get(path, { headers: basic('alice') });
  expect(response.status()).toBe(200);
  return (await response.json()) as T;
}
type Rules = { rules: Array<{ id: number; name: string; enabled: boolean }> };
type Contacts = { contacts: Array<{ id: number; target: string | null; verified: boolean }> };
type Windows = { windows: Array<{ id: number; reason: string | null }> };
type Orders = { orders: Array<{ id: number }> };

test('alert rules: create, edit, switch off and delete', async ({ page, request }) => {
  const name = `No-JS rule ${run}`;
  await page.goto('/alerts');
  const form = page.getByRole('form', { name: 'New rule' });
  await form.getByRole('textbox', { name: 'Name', exact: true }).fill(name);
  await form.getByRole('checkbox', { name: 'Warning' }).check();
  await form.getByRole('button', { name: 'Create rule' }).click();
  await expect(page.getByRole('heading', { level: 2, name })).toBeVisible();
  const created = (await api<Rules>(request, '/api/v1/alerts/rules')).rules.find((r) => r.name === name);
  expect(created).toMatchObject({ enabled: true });

  // A bad entry is refused with its problem and saves nothing.
  await page.goto(`/alerts/${created!.id}`);
  const edit = page.getByRole('form', { name: 'Edit rule' });
  await edit.getByRole('radio', { name: /^Only these/ }).check();
  await edit.getByRole('button', { name: 'Save rule' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'The rule was not saved' })).toBeVisible();
  await page.goto(`/alerts/${created!.id}`);
  await page.getByRole('form', { name: 'Edit rule' }).getByRole('textbox', { name: 'Name', exact: true }).fill(`${name} edited`);
  await page.getByRole('form', { name: 'Edit rule' }).getByRole('button', { name: 'Save rule' }).click();
  await expect(page.getByRole('status').first()).toBeVisible();
  expect((await api<Rules>(request, '/api/v1/alerts/rules')).rules.find((r) => r.id === created!.id)?.name).toBe(`${name} edited`);

  await page.goto('/alerts');
  await page.getByRole('button', { name: `Switch off ${name} edited` }).click();
  await expect(page.getByRole('heading', { level: 2, name: `${name} edited (switched off)` })).toBeVisible();
  expect((await api<Rules>(request, '/api/v1/alerts/rules')).rules.find((r) => r.id === created!.id)?.enabled).toBe(false);

  await page.getByRole('button', { name: `Delete ${name} edited` }).click();
  await expect(page.getByRole('heading', { level: 2, name: new RegExp(name) })).toHaveCount(0);
  expect((await api<Rules>(request, '/api/v1/alerts/rules')).rules.some((r) => r.id === created!.id)).toBe(false);
});

test('contacts: add an email contact, a wrong code is refused, remove it', async ({ page, request }) => {
  const address = `nojs-${run}@acme.example`;
  await page.goto('/alerts/contacts');
  const form = page.getByRole('form', { name: 'Add a contact' });
  await form.getByRole('combobox', { name: 'Kind' }).selectOption('email');
  await form.getByRole('textbox', { name: 'Address, number or URL' }).fill(address);
  await form.getByRole('button', { name: 'Add contact' }).click();
  await expect(page.getByRole('status').first()).toBeVisible();
  const row = page.getByRole('row').filter({ hasText: address });
  await expect(row).toContainText('Not verified yet');
  const contact = (await api<Contacts>(request, '/api/v1/alerts/contacts')).contacts.find((c) => c.target === address);
  expect(contact).toMatchObject({ verified: false });

  await row.getByRole('textbox').fill('000000');
  await row.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByRole('alert').first()).toBeVisible();
  expect((await api<Contacts>(request, '/api/v1/alerts/contacts')).contacts.find((c) => c.id === contact!.id)?.verified).toBe(false);

  await page.getByRole('row').filter({ hasText: address }).getByRole('button', { name: /^Remove / }).click();
  await expect(page.getByRole('row').filter({ hasText: address })).toHaveCount(0);
  expect((await api<Contacts>(request, '/api/v1/alerts/contacts')).contacts.some((c) => c.id === contact!.id)).toBe(false);
});

test('mail domains: add, check, remove', async ({ page }) => {
  const domain = `nojs-${run}.example`;
  await page.goto('/mail');
  await page.getByLabel('Mail domain').fill(domain);
  await page.getByRole('button', { name: 'Add domain' }).click();
  await expect(page.getByRole('status').filter({ hasText: `${domain} added.` })).toBeVisible();
  const section = page.getByRole('region', { name: domain });
  await expect(section.getByText('Not checked yet')).toBeVisible();

  await section.getByRole('button', { name: `Check ${domain} now` }).click();
  const checked = page.getByRole('region', { name: domain });
  await expect(checked.getByText(new RegExp(`^${domain.replace(/\./g, '\\.')}: (all checks passed|some checks failed)`))).toBeVisible();
  await expect(checked.getByTestId('latest-check')).toContainText(/OK|PROBLEMS/);

  // Its section (and the actions' status line with it) is gone from the page that answers.
  await checked.getByRole('button', { name: `Remove ${domain}` }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Mail backup (backup MX)' })).toBeVisible();
  await expect(page.getByRole('region', { name: domain })).toHaveCount(0);
});

test('the VM page: detail level and a maintenance window', async ({ page, request }) => {
  const vmId = (await vmIds(request, 'alice'))['db-01.acme.example']!;
  await page.goto(`/vms/${vmId}`);
  await page.getByRole('radio', { name: 'Technical' }).check();
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Showing technical details.' })).toBeVisible();
  await page.goto(`/vms/${vmId}`);
  await expect(page.getByRole('radio', { name: 'Technical' })).toBeChecked();
  await page.getByRole('radio', { name: 'Summary' }).check();
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Showing plain summaries.' })).toBeVisible();
  await page.goto(`/vms/${vmId}`);
  await expect(page.getByRole('radio', { name: 'Summary' })).toBeChecked();

  // "Until the end time below" without an end time: refused, nothing saved.
  const form = page.getByRole('form', { name: 'Plan maintenance' });
  await form.getByRole('combobox', { name: 'Pause alerts for' }).selectOption('');
  await form.getByRole('button', { name: 'Pause alerts' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Nothing was changed' })).toBeVisible();
  expect((await api<Windows>(request, `/api/v1/vms/${vmId}/maintenance`)).windows).toHaveLength(0);

  const reason = `No-JS upgrade ${run}`;
  const again = page.getByRole('form', { name: 'Plan maintenance' });
  await again.getByRole('combobox', { name: 'Pause alerts for' }).selectOption('30');
  await again.getByRole('textbox', { name: 'Reason (optional)' }).fill(reason);
  await again.getByRole('button', { name: 'Pause alerts' }).click();
  await expect(page.getByRole('cell', { name: reason })).toBeVisible();
  expect((await api<Windows>(request, `/api/v1/vms/${vmId}/maintenance`)).windows.map((w) => w.reason)).toEqual([reason]);

  await page.locator('#maintenance').getByRole('button', { name: 'End now' }).click();
  await expect(page.getByText('Paused for maintenance until')).toHaveCount(0);
  expect((await api<Windows>(request, `/api/v1/vms/${vmId}/maintenance`)).windows).toHaveLength(0);
});

test('plan confirm: a price that changed since the screen was shown orders nothing and shows the price again', async ({ page, request }) => {
  const vmId = (await vmIds(request, 'alice'))['db-01.acme.example']!;
  const before = (await api<Orders>(request, `/api/v1/vms/${vmId}/orders`)).orders.length;
  await page.goto(`/vms/${vmId}/plan`);
  await page
    .getByRole('link', { name: /^(Upgrade|Move) to / })
    .first()
    .click();
  await expect(page).toHaveURL(new RegExp(`/vms/${vmId}/plan/confirm\\?planId=\\d+`));
  // The screen as it was before a price change: the amount the customer saw is no longer the price.
  await page.locator('input[name="expectedAmountMinor"]').evaluate((input: HTMLInputElement) => {
    input.value = String(Number(input.value) + 1);
  });
  await page.getByRole('button', { name: /^Confirm: / }).click();
  await expect(page).toHaveURL(/refused=price-changed/);
  await expect(page.getByRole('alert')).toContainText('The price changed since the confirmation screen was shown');
  await expect(page.getByRole('button', { name: /^Confirm: / })).toBeVisible();
  expect((await api<Orders>(request, `/api/v1/vms/${vmId}/orders`)).orders.length).toBe(before);
});

test('controls that need JavaScript (alarm sound, copy, push) are not offered without it', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('button', { name: /alarm sound/ })).toHaveCount(0);
  await page.goto('/mail');
  await expect(page.getByRole('heading', { level: 1, name: 'Mail backup (backup MX)' })).toBeVisible();
  await expect(page.getByRole('button', { name: /^Copy/ })).toHaveCount(0);
  await page.goto('/alerts/contacts');
  await expect(page.getByRole('button', { name: 'Get push notifications on this device' })).toHaveCount(0);
});
