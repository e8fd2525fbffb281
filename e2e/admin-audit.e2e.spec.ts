import { expect, test, type Page } from '@playwright/test';
import { basic, storageState, vmIds } from './fixtures';

// Carol (staff) searches the audit log: alice's maintenance pauses read as sentences, the actor and
// action filters keep to them, and "Older entries →" pages on with the filters kept. Alice is refused.
// db-01 and a window starting tomorrow, so that alerts.e2e.spec.ts's pauses on web-01 are not touched.

test.describe.configure({ mode: 'serial' });
const run = Date.now().toString(36);
const REASON = `Audit e2e ${run}`;
const WINDOWS = 26; // each is planned and cancelled: 52 entries by alice, more than one page of 50
const HOST = 'db-01.acme.example';

const entries = (page: Page) => page.getByTestId('audit-entry');
const sentences = (page: Page) => page.getByTestId('audit-sentence');

async function expectOnlyActor(page: Page, actor: string) {
  await expect(entries(page).first()).toBeVisible();
  const actors = await page.getByTestId('audit-actor').allInnerTexts();
  expect(actors.length).toBeGreaterThan(0);
  expect(new Set(actors.map((a) => a.trim()))).toEqual(new Set([actor]));
}

async function expectReadable(page: Page) {
  for (const sentence of await sentences(page).allInnerTexts()) {
    expect(sentence, 'a sentence, not a raw code').not.toMatch(/ did [a-z_]+\.[a-z_.]+/);
  }
}

test.beforeAll(async ({ request }) => {
  const vmId = (await vmIds(request, 'alice'))[HOST];
  expect(vmId, HOST).toBeDefined();
  const startsAt = new Date(Date.now() + 86_400_000).toISOString();
  for (let i = 0; i < WINDOWS; i++) {
    const created = await request.post(`/api/v1/vms/${vmId}/maintenance`, { headers: basic('alice'), data: { startsAt, minutes: 30, reason: `${REASON} ${i}` } });
    expect(created.status(), await created.text()).toBe(201);
    const { window } = (await created.json()) as { window: { id: number } };
    const removed = await request.delete(`/api/v1/vms/${vmId}/maintenance/${window.id}`, { headers: basic('alice') });
    expect(removed.status()).toBe(200);
  }
});

test.describe('as carol', () => {
  test.use({ storageState: storageState('carol') });

  test('filters by actor and reads what alice did in sentences', async ({ page }) => {
    await page.goto('/admin/audit');
    await expect(page.getByRole('heading', { name: 'Audit log' })).toBeVisible();
    const form = page.getByRole('form', { name: 'Filter the audit log' });
    await form.getByRole('textbox', { name: 'Who' }).fill('alice');
    await form.getByRole('button', { name: 'Show' }).click();
    await expect(page).toHaveURL(/[?&]actor=alice(&|$)/);
    await expectOnlyActor(page, 'alice');
    await expectReadable(page);
    const last = `${REASON} ${WINDOWS - 1}`;
    await expect(sentences(page).filter({ hasText: `“${last}”` })).toHaveText(new RegExp(`^alice paused alerts for ${HOST.replace(/\./g, '\\.')} from .+ until .+ \\(“${last}”\\)$`));
    await expect(sentences(page).filter({ hasText: `alice cancelled a planned maintenance pause of ${HOST}` }).first()).toBeVisible();
    // The raw entry is one click away.
    const row = entries(page).filter({ hasText: `“${last}”` });
    await row.locator('summary').click();
    await expect(row.locator('details')).toContainText('alerts.maintenance.create');
    await expect(row.locator('pre')).toContainText(`"reason": "${last}"`);
  });

  test('filters by action family, and pages to older entries with the filters kept', async ({ page }) => {
    await page.goto('/admin/audit?actor=alice');
    const form = page.getByRole('form', { name: 'Filter the audit log' });
    await form.getByRole('combobox', { name: 'What' }).selectOption({ label: 'Maintenance pauses' });
    await form.getByRole('button', { name: 'Show' }).click();
    await expect(page).toHaveURL(/action=alerts\.maintenance\./);
    await expect(entries(page)).toHaveCount(50);
    await expectOnlyActor(page, 'alice');
    for (const sentence of await sentences(page).allInnerTexts()) expect(sentence).toMatch(/^alice (paused alerts for|cancelled a planned maintenance pause of|ended the maintenance pause of) /);
    const firstPage = await entries(page).locator('summary').allInnerTexts();

    await page.getByRole('link', { name: 'Older entries →' }).click();
    await expect(page).toHaveURL(/before=\d+/);
    await expect(page).toHaveURL(/actor=alice/);
    await expect(page).toHaveURL(/action=alerts\.maintenance\./);
    await expect(entries(page).first()).toBeVisible();
    await expectOnlyActor(page, 'alice');
    await expectReadable(page);
    const secondPage = await entries(page).locator('summary').allInnerTexts();
    expect(secondPage.filter((id) => firstPage.includes(id))).toEqual([]);
    await expect(page.getByRole('combobox', { name: 'What' })).toHaveValue('alerts.maintenance.');
  });

  test('says when a filter is not understood, and shows everything instead', async ({ page }) => {
    await page.goto('/admin/audit?action=DROP%20TABLE&from=yesterday');
    // The page's own message, not Next's route announcer (also role=alert).
    const problems = page.locator('main [role="alert"]');
    await expect(problems).toContainText('is not a kind of action');
    await expect(problems).toContainText('is not a date and time');
    await expect(entries(page).first()).toBeVisible();
    await page.goto(`/admin/audit?actor=nobody-${run}`);
    await expect(page.getByText('No entries match these filters.')).toBeVisible();
  });
});

test.describe('as alice', () => {
  test.use({ storageState: storageState('alice') });

  test('is not let into the audit log', async ({ page }) => {
    const response = await page.goto('/admin/audit');
    expect(response?.status()).toBe(403);
    await expect(page.getByRole('heading', { name: 'Forbidden' })).toBeVisible();
    await expect(page.getByTestId('audit-entry')).toHaveCount(0);
  });
});
