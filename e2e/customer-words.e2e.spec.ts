import { type Browser, type Page, expect, test } from '@playwright/test';
import { sortWorstFirst } from '../lib/vms/dashboard';
import type { MonitoringState } from '../lib/monitoring/wire';
import { basic, logIn, storageState, vmIds } from './fixtures';

// Issue 15 as a customer reads it: a next step with the support contact on every problem, the dashboard
// worst first, a skip link and our own focus ring, a distinct title per VM page, the logged-out message and
// a "Forgot your password?" link only when staff set the directory's reset page.

test.describe.configure({ mode: 'serial' });

const SUPPORT = 'help@porthole.test';
const RESET = 'https://id.porthole.test/reset';

type ApiVm = { id: number; hostname: string; worst: MonitoringState | null };
type ApiVmJson = { id: number; hostname: string; state: { worst: MonitoringState | null } };

async function aliceVms(request: import('@playwright/test').APIRequestContext): Promise<ApiVm[]> {
  const response = await request.get('/api/v1/vms', { headers: basic('alice') });
  expect(response.status()).toBe(200);
  return ((await response.json()) as { vms: ApiVmJson[] }).vms.map((v) => ({ id: v.id, hostname: v.hostname, worst: v.state.worst }));
}

/** Carol sets (or, with empty strings, clears) the support settings on /admin/settings. */
async function setSupport(browser: Browser, contact: string, reset: string) {
  const context = await browser.newContext({ storageState: storageState('carol') });
  const page = await context.newPage();
  await page.goto('/admin/settings');
  const form = page.getByRole('form', { name: 'Support contact' });
  await form.getByLabel('Support contact').fill(contact);
  await form.getByLabel('Password reset page').fill(reset);
  await form.getByRole('button', { name: 'Save support settings' }).click();
  await expect(form.getByRole('status')).toHaveText(/^(Saved: .*|No changes\.)$/);
  await context.close();
}

async function focusedStyle(page: Page) {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement;
    const s = getComputedStyle(el);
    return { text: el.textContent?.trim() ?? '', id: el.id, outlineStyle: s.outlineStyle, outlineWidth: s.outlineWidth, outlineColor: s.outlineColor, boxShadow: s.boxShadow };
  });
}

test.afterAll(async ({ browser }) => {
  await setSupport(browser, '', '');
});

test.describe('as alice', () => {
  test.use({ storageState: storageState('alice') });

  test('the skip link is the first stop, shows itself with our focus ring, and moves focus to the content', async ({ page }) => {
    await page.goto('/');
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Skip to the page content' });
    await expect(skip).toBeFocused();
    const box = await skip.boundingBox();
    expect(box && box.y >= 0 && box.height > 0).toBe(true);
    const ring = await focusedStyle(page);
    expect(ring.outlineStyle).toBe('solid');
    expect(ring.outlineWidth).toBe('3px');
    expect(ring.outlineColor).toBe('rgb(255, 191, 71)');
    expect(ring.boxShadow).toContain('6px');
    await page.keyboard.press('Enter');
    expect((await focusedStyle(page)).id).toBe('content');
    // The next Tab lands inside the page, not back in the top bar.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.closest('main') !== null)).toBe(true);
    // A link in the top bar gets the ring too.
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Shift+Tab');
    const nav = await focusedStyle(page);
    expect(nav.outlineStyle).toBe('solid');
  });

  test('the dashboard lists the worst VMs first, then by name, each with its plan', async ({ page, request }) => {
    const vms = await aliceVms(request);
    expect(vms.length).toBeGreaterThan(1);
    await page.goto('/');
    const rows = page.locator('table.stack tbody tr');
    await expect(rows).toHaveCount(vms.length);
    const shown = await rows.locator('td:first-child a').allTextContents();
    expect(shown).toEqual(sortWorstFirst(vms).map((v) => v.hostname));
    for (const plan of await rows.locator('td[data-label="Plan"] a').allTextContents()) expect(plan.trim()).not.toBe('');
  });

  test('the packages and firewall pages are titled with the VM', async ({ page, request }) => {
    const ids = await vmIds(request, 'alice');
    const [a, b] = Object.entries(ids);
    expect(b).toBeDefined();
    const titles: string[] = [];
    for (const [hostname, id] of [a!, b!]) {
      for (const sub of ['packages', 'firewall']) {
        await page.goto(`/vms/${id}/${sub}`);
        await expect(page).toHaveTitle(new RegExp(hostname.replace(/\./g, '\\.')));
        titles.push(await page.title());
      }
    }
    expect(new Set(titles).size).toBe(4);
  });
});

test('a problem VM says what it means, what to do and how to reach support, on its page and the dashboard', async ({ browser, request }) => {
  await setSupport(browser, SUPPORT, '');
  const vms = await aliceVms(request);
  const problem = sortWorstFirst(vms).find((v) => v.worst !== null && v.worst !== 'OK' && v.worst !== 'UP');
  expect(problem, 'the demo data has a VM with a problem').toBeDefined();
  const context = await browser.newContext({ storageState: storageState('alice') });
  const page = await context.newPage();

  await page.goto(`/vms/${problem!.id}`);
  const steps = page.getByTestId('next-steps');
  await expect(steps).toBeVisible();
  await expect(steps).toContainText('What you can do:');
  await expect(steps).not.toContainText(/HARD|SOFT|attempt/);
  const contact = steps.getByRole('link', { name: SUPPORT });
  await expect(contact).toHaveAttribute('href', `mailto:${SUPPORT}`);
  await expect(steps.getByTestId('support-contact')).toContainText(problem!.hostname);

  await page.goto('/');
  const attention = page.getByRole('region', { name: 'Needs attention' });
  const vmSteps = attention.getByTestId('next-steps').filter({ has: page.getByRole('link', { name: problem!.hostname, exact: true }) });
  await expect(vmSteps).toContainText('What you can do:');
  await expect(vmSteps.getByRole('link', { name: SUPPORT })).toBeVisible();

  // A VM that is fine has no next step.
  const fine = vms.find((v) => v.worst === 'OK' || v.worst === 'UP');
  if (fine) {
    await page.goto(`/vms/${fine.id}`);
    await expect(page.getByTestId('next-steps')).toHaveCount(0);
  }
  await context.close();
});

test('after logging out the login page says so; "Forgot your password?" is there only when staff set the reset page', async ({ browser }) => {
  await setSupport(browser, '', '');
  const context = await browser.newContext();
  const page = await context.newPage();
  await logIn(page, 'alice');
  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByText('You are logged out.')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Forgot your password?' })).toHaveCount(0);

  await setSupport(browser, '', RESET);
  await page.goto('/login');
  await expect(page.getByRole('link', { name: 'Forgot your password?' })).toHaveAttribute('href', RESET);
  await context.close();
});
