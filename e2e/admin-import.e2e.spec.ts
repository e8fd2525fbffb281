import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type APIRequestContext, type Page, expect, test } from '@playwright/test';
import { basic, storageState } from './fixtures';

// Carol imports VMs from Nagios: she pastes an objects.cache that Nagios 4 wrote (the unit test's
// fixture, its host names made unique to this run), picks Globex, sees each host with whether it can be
// imported, and creates the new ones. Without JavaScript: both steps are plain POSTs. Read again (with
// JavaScript this time), the same hosts show as existing and nothing more can be created.

const run = Date.now().toString(36);
const FIXTURE = readFileSync(path.join(import.meta.dirname, '..', 'lib', 'admin', '__fixtures__', 'objects.cache'), 'utf8');
// Every host_name line (the hosts' and the service's), so a rerun imports new hosts.
const OBJECTS_CACHE = FIXTURE.replace(/^(\thost_name\t)(\S+)$/gm, `$1$2-${run}`);
const WEB = `globex-web-41-${run}`;
const DB = `globex-db-41-${run}`;
const MAIL = `globex-mail-41-${run}`;

async function readHosts(page: Page) {
  await page.goto('/admin/vms/import');
  await expect(page.getByRole('heading', { name: 'Import from Nagios' })).toBeVisible();
  const form = page.getByRole('form', { name: 'Read objects.cache' });
  await form.getByLabel('objects.cache').fill(OBJECTS_CACHE);
  await form.getByLabel('Account').selectOption({ label: 'Globex Corp (globex)' });
  await expect(form.getByLabel('Ubuntu release')).toHaveValue('24.04');
  await form.getByRole('button', { name: 'Read hosts' }).click();
  const confirm = page.getByRole('form', { name: 'Hosts to import' });
  await expect(confirm).toBeVisible();
  const row = (hostName: string) => confirm.getByTestId('import-candidate').filter({ has: page.getByRole('cell', { name: hostName, exact: true }) });
  return { confirm, row };
}

const staffVms = async (request: APIRequestContext) => {
  const response = await request.get('/api/v1/admin/vms', { headers: basic('carol') });
  expect(response.status()).toBe(200);
  return ((await response.json()) as { vms: Array<{ id: number; nagiosHostName: string; hostname: string; accountKey: string; address: string; ubuntuRelease: string }> }).vms;
};

test('pastes objects.cache, creates the new hosts as Globex VMs, and finds them existing the next time', async ({ browser, request }) => {
  const context = await browser.newContext({ storageState: storageState('carol'), javaScriptEnabled: false });
  const page = await context.newPage();
  const { confirm, row } = await readHosts(page);
  await expect(confirm.getByTestId('import-candidate')).toHaveCount(3);
  await expect(confirm).toContainText('Globex Corp (globex)');
  for (const name of [WEB, DB]) {
    await expect(row(name)).toContainText('New');
    await expect(confirm.getByRole('checkbox', { name: `Create ${name}` })).toBeChecked();
    await expect(confirm.getByRole('checkbox', { name: `Create ${name}` })).toBeEnabled();
  }
  await expect(row(WEB)).toContainText('web-41.globex.example'); // the alias is a host name
  await expect(row(MAIL)).toContainText('Not an IP address');
  await expect(row(MAIL)).toContainText('a VM needs an IP address');
  await expect(confirm.getByRole('checkbox', { name: `Create ${MAIL}` })).toBeDisabled();
  await confirm.getByRole('button', { name: 'Create 2 VMs' }).click();

  await expect(page.getByRole('status').filter({ hasText: 'Created 2 VMs.' })).toBeVisible();
  await expect(page.getByTestId('import-result')).toHaveCount(2);
  for (const name of [WEB, DB]) await expect(page.getByTestId('import-result').filter({ hasText: name })).toContainText('Created');
  await context.close();

  const vms = await staffVms(request);
  expect(vms.find((v) => v.nagiosHostName === WEB)).toMatchObject({ accountKey: 'globex', hostname: 'web-41.globex.example', address: '198.51.100.41', ubuntuRelease: '24.04' });
  // Its alias ("Database server (primary)") is no host name, so customers see the host_name.
  expect(vms.find((v) => v.nagiosHostName === DB)).toMatchObject({ accountKey: 'globex', hostname: DB, address: '2001:db8:0:41::10' });
  expect(vms.some((v) => v.nagiosHostName === MAIL)).toBe(false);

  // Again, with JavaScript: nothing left to create.
  const again = await browser.newContext({ storageState: storageState('carol') });
  const second = await readHosts(await again.newPage());
  for (const name of [WEB, DB]) {
    await expect(second.row(name)).toContainText('Exists already');
    await expect(second.confirm.getByRole('checkbox', { name: `Create ${name}` })).toBeDisabled();
  }
  await expect(second.confirm.getByRole('checkbox', { name: `Create ${MAIL}` })).toBeDisabled();
  await expect(second.confirm.getByRole('button', { name: 'Create 0 VMs' })).toBeDisabled();
  await again.close();

  // Out of bob's (Globex's) view for the other tests: to an account of their own.
  const account = await request.post('/api/v1/admin/accounts', { headers: basic('carol'), data: { key: `import-${run}`, name: `Import ${run}` } });
  expect(account.status()).toBe(201);
  for (const name of [WEB, DB]) {
    const id = vms.find((v) => v.nagiosHostName === name)!.id;
    expect((await request.patch(`/api/v1/admin/vms/${id}`, { headers: basic('carol'), data: { accountKey: `import-${run}` } })).status()).toBe(200);
  }
});
