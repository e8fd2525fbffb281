import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { TEST_ENV } from '../scripts/test-setup/test-env';
import { basic, storageState, vmIds } from './fixtures';
import { publishServiceEvent, startIngester, stopIngester } from './vm-pipeline';

// Alice writes an alert rule in the browser, sees it in plain words with its preview, triggers it through
// the real pipeline (Nagios' command → ActiveMQ → ingester → notifier → the stack's SMTP server) and reads
// the message in her delivery log. Bob sees none of it.

test.describe.configure({ mode: 'serial' });
const run = Date.now().toString(36);
const RULE = `Disk alerts ${run}`;
const SERVICE = `e2e-alert-${run}`;

let ingester: ChildProcess | undefined;
let notifier: ChildProcess | undefined;
test.beforeAll(async () => {
  ingester = await startIngester();
  notifier = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, '..', 'lib/notify/main.ts')], {
    cwd: path.join(import.meta.dirname, '..'),
    env: { ...process.env, ...TEST_ENV, NOTIFY_POLL_MS: '100' },
    stdio: 'ignore',
  });
});
test.afterAll(async () => {
  notifier?.kill('SIGTERM');
  await stopIngester(ingester);
});

test.describe('as alice', () => {
  test.use({ storageState: storageState('alice') });

  test('writes a rule, reads its summary and preview, and finds the message it sent in the delivery log', async ({ page }) => {
    await page.goto('/alerts');
    const form = page.getByRole('form', { name: 'New rule' });
    await form.getByRole('textbox', { name: 'Name', exact: true }).fill(RULE);
    await form.locator('select[name="services"]').selectOption('pattern');
    await form.getByRole('textbox', { name: /^Name pattern/ }).fill('e2e-alert-*');
    for (const t of ['WARNING', 'UNKNOWN', 'DOWN', 'UNREACHABLE', 'RECOVERY']) await form.locator(`input[name="triggers"][value="${t}"]`).uncheck();
    await form.getByRole('button', { name: 'Create rule' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Rule created' })).toBeVisible();
    const section = page.locator('section', { has: page.getByRole('heading', { name: RULE }) });
    await expect(section.getByTestId('rule-summary')).toContainText('when services named like "e2e-alert-*" on any of your VMs');
    await expect(section.getByTestId('rule-summary')).toContainText('is CRITICAL');
    await expect(section.getByTestId('rule-preview')).toContainText('Over the last 7 days this rule would have sent 0 messages');

    await publishServiceEvent({ address: '192.0.2.10', service: SERVICE, state: 'CRITICAL', stateType: 'HARD', attempt: 3, maxAttempts: 3, output: `CRITICAL - ${run}` });
    await expect(async () => {
      await page.goto('/alerts/log');
      const row = page.getByTestId('delivery').filter({ hasText: RULE }).first();
      await expect(row).toContainText('Sent');
      await expect(row).toContainText(/Answer: 250 /);
    }).toPass({ timeout: 30_000 });
    const row = page.getByTestId('delivery').filter({ hasText: RULE }).first();
    await row.getByText('The message').click();
    await expect(row.locator('pre')).toContainText(SERVICE);
  });

  test('pauses a VM for maintenance without JavaScript: the next problem is logged as not sent, and ending it turns alerts back on', async ({ browser, request }) => {
    const vmId = (await vmIds(request, 'alice'))['web-01.acme.example']!;
    const context = await browser.newContext({ storageState: storageState('alice'), javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`/vms/${vmId}`);
    const form = page.getByRole('form', { name: 'Plan maintenance' });
    await form.getByRole('combobox', { name: 'Pause alerts for' }).selectOption('30');
    await form.getByRole('textbox', { name: 'Reason (optional)' }).fill(`Kernel upgrade ${run}`);
    await form.getByRole('button', { name: 'Pause alerts' }).click();
    await expect(page.getByText('Paused for maintenance until')).toBeVisible();
    await expect(page.getByRole('cell', { name: `Kernel upgrade ${run}` })).toBeVisible();

    // A recovery (not in the rule's triggers), then a new CRITICAL inside the window.
    await publishServiceEvent({ address: '192.0.2.10', service: SERVICE, state: 'OK', stateType: 'HARD', attempt: 1, maxAttempts: 3, output: 'OK' });
    await publishServiceEvent({ address: '192.0.2.10', service: SERVICE, state: 'CRITICAL', stateType: 'HARD', attempt: 3, maxAttempts: 3, output: `CRITICAL again - ${run}` });
    await expect(async () => {
      await page.goto('/alerts/log');
      await expect(page.getByTestId('delivery').filter({ hasText: RULE }).first()).toContainText('Not sent: maintenance window');
    }).toPass({ timeout: 30_000 });

    await page.goto(`/vms/${vmId}`);
    await page.locator('#maintenance').getByRole('button', { name: 'End now' }).click();
    await expect(page.getByText('Paused for maintenance until')).toHaveCount(0);
    await expect(page.locator('.facts')).toContainText('On. Your alert rules');
    await context.close();
  });
});

test.describe('as bob', () => {
  test.use({ storageState: storageState('bob') });

  test("never sees alice's rules or delivery log", async ({ page, request }) => {
    const alices = (await (await request.get('/api/v1/alerts/rules', { headers: basic('alice') })).json()) as { rules: Array<{ id: number; name: string }> };
    const rule = alices.rules.find((r) => r.name === RULE)!;
    expect(rule).toBeDefined();
    await page.goto('/alerts');
    await expect(page.getByRole('heading', { name: 'Alerts', level: 1 })).toBeVisible();
    await expect(page.getByText(RULE)).toHaveCount(0);
    const response = await page.goto(`/alerts/${rule.id}`);
    expect(response?.status()).toBe(404);
    await page.goto('/alerts/log');
    await expect(page.getByText(RULE)).toHaveCount(0);
  });
});

test.describe('as carol (staff)', () => {
  test.use({ storageState: storageState('carol') });

  test("reads every account's delivery log, narrowed by account and outcome", async ({ page }) => {
    await page.goto('/admin/alerts');
    await expect(page.getByRole('heading', { name: 'Alert deliveries', level: 1 })).toBeVisible();
    await expect(page.locator('.facts')).toContainText('Waiting to be sent');
    const filters = page.getByRole('form', { name: 'Filter deliveries' });
    await filters.getByRole('combobox', { name: 'Account' }).selectOption({ label: 'Acme Ltd' });
    await filters.getByRole('combobox', { name: 'Outcome' }).selectOption('suppressed');
    await filters.getByRole('button', { name: 'Show' }).click();
    const row = page.getByTestId('delivery').filter({ hasText: RULE }).first();
    await expect(row).toContainText('Not sent: maintenance window');
    await expect(row).toContainText('Acme Ltd');
    await expect(page.getByTestId('delivery').locator('strong').filter({ hasText: /^Sent$/ })).toHaveCount(0);
  });
});
