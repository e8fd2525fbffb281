import type { ChildProcess } from 'node:child_process';
import { type APIRequestContext, expect, test } from '@playwright/test';
import { basic, storageState } from './fixtures';
import { publishServiceEvent, startIngester, stopIngester } from './vm-pipeline';

// A host no VM matches reports a CRITICAL through the real pipeline (Nagios' command → ActiveMQ →
// ingester); carol creates a new customer's account in the console, finds the host under Unassigned
// events and creates the customer's VM from it; the VM then has the event in its history, and the next
// event Nagios publishes for it shows on the VM's page and on the wallboard.

test.describe.configure({ mode: 'serial' });
test.use({ storageState: storageState('carol') });
const run = Date.now().toString(36);
const SERVICE = `e2e-unassigned-${run}`;
const OUTPUT = `CRITICAL - unassigned ${run}`;
const staff = { headers: basic('carol') };

interface StaffVm {
  id: number;
  accountKey: string;
  nagiosHostName: string;
  hostname: string;
  address: string;
}

const staffVms = async (request: APIRequestContext): Promise<StaffVm[]> => {
  const response = await request.get('/api/v1/admin/vms', staff);
  expect(response.status()).toBe(200);
  return ((await response.json()) as { vms: StaffVm[] }).vms;
};

/** An address in 198.18.0.0/15 (benchmarking, never routed) from this run's clock that no VM has yet. */
async function freshAddress(request: APIRequestContext): Promise<string> {
  const taken = new Set((await staffVms(request)).flatMap((v) => [v.address, v.nagiosHostName, v.hostname]));
  const seconds = Math.floor(Date.now() / 1000);
  for (let i = 0; ; i++) {
    const n = (seconds + i * 7919) % (256 * 254);
    const address = `198.18.${Math.floor(n / 254)}.${(n % 254) + 1}`;
    if (!taken.has(address)) return address;
  }
}

let ingester: ChildProcess | undefined;
let address = '';
let vmId: number | undefined;

test.beforeAll(async () => {
  ingester = await startIngester();
});

test.afterAll(async ({ request }) => {
  // Recovered and retired, so the wallboard of later specs does not show it.
  if (address) await publishServiceEvent({ address, service: SERVICE, state: 'OK', stateType: 'HARD', attempt: 1, maxAttempts: 3, output: 'OK' }).catch(() => undefined);
  await stopIngester(ingester);
  if (vmId !== undefined) expect((await request.patch(`/api/v1/admin/vms/${vmId}`, { ...staff, data: { retired: true } })).status()).toBe(200);
});

test('a new account and a VM created from an unknown host get its earlier CRITICAL; its next event shows on the VM and the wallboard', async ({ page, request }) => {
  await page.goto('/admin/accounts');
  const newAccount = page.getByRole('form', { name: 'New account' });
  await newAccount.getByLabel('Name').fill(`Initrode ${run}`);
  await newAccount.getByLabel(/^Key/).fill(`initrode-${run}`);
  await newAccount.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Account created' })).toBeVisible();

  address = await freshAddress(request);
  await publishServiceEvent({ address, service: SERVICE, state: 'CRITICAL', stateType: 'HARD', attempt: 3, maxAttempts: 3, output: OUTPUT });

  const host = page.getByTestId('unassigned-host').filter({ has: page.getByRole('heading', { name: address, exact: true }) });
  await expect(async () => {
    await page.goto('/admin/unassigned');
    await expect(host).toBeVisible();
  }).toPass({ timeout: 30_000 });
  await expect(page.getByRole('heading', { name: 'Unassigned events', level: 1 })).toBeVisible();
  await expect(host.getByTestId('last-event')).toContainText('CRITICAL');
  await expect(host.getByTestId('last-event')).toContainText(OUTPUT);
  await expect(host.getByRole('row').filter({ hasText: SERVICE })).toContainText('CRITICAL');

  await host.getByText('Create a VM from this host').click();
  const form = host.getByRole('form', { name: `Create a VM from ${address}` });
  await expect(form.getByLabel('Address')).toHaveValue(address);
  await expect(form.getByLabel('Name customers see')).toHaveValue(address);
  await form.getByLabel('Account').selectOption(`initrode-${run}`);
  await form.getByLabel('Name customers see').fill(`unassigned-${run}.initrode.example`);
  await form.getByRole('button', { name: 'Create VM' }).click();

  const done = page.getByRole('status').filter({ hasText: `unassigned-${run}.initrode.example` });
  await expect(done).toContainText(`The events of ${address} now belong to`);
  await expect(done).toContainText('1 event');
  await expect(page.getByTestId('unassigned-host').filter({ has: page.getByRole('heading', { name: address, exact: true }) })).toHaveCount(0);

  const vm = (await staffVms(request)).find((v) => v.nagiosHostName === address);
  expect(vm).toMatchObject({ accountKey: `initrode-${run}`, address, hostname: `unassigned-${run}.initrode.example` });
  vmId = vm!.id;

  const events = await request.get(`/api/v1/vms/${vmId}/events`, staff);
  expect(events.status()).toBe(200);
  const { events: history } = (await events.json()) as { events: Array<{ service: string | null; state: string; output: string | null }> };
  expect(history).toContainEqual(expect.objectContaining({ service: SERVICE, state: 'CRITICAL', output: OUTPUT }));
});

test('the next event Nagios publishes for the new VM shows on its page and on the wallboard', async ({ page }) => {
  expect(vmId, 'the VM from the first test').toBeDefined();
  const next = `CRITICAL - still broken ${run}`;
  await publishServiceEvent({ address, service: SERVICE, state: 'CRITICAL', stateType: 'HARD', attempt: 3, maxAttempts: 3, output: next });
  await expect(async () => {
    await page.goto(`/vms/${vmId}`);
    await expect(page.getByText(next).first()).toBeVisible();
  }).toPass({ timeout: 30_000 });
  await expect(page.getByText(`Initrode ${run}`).first()).toBeVisible(); // the staff banner names whose view it is

  await page.goto('/admin/wallboard');
  const row = page.getByTestId('wallboard-problem').filter({ hasText: SERVICE });
  await expect(row).toBeVisible({ timeout: 15_000 });
  await expect(row).toContainText(`unassigned-${run}.initrode.example`);
});
