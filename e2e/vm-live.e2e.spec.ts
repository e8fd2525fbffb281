import type { ChildProcess } from 'node:child_process';
import { type Locator, type Page, expect, test } from '@playwright/test';
import { basic, storageState, vmIds } from './fixtures';
import { publishServiceEvent, startIngester, stopIngester } from './vm-pipeline';

// The customer's VM pages against the whole pipeline: Nagios' command -> ActiveMQ -> ingester -> MariaDB
// -> the page, which updates itself (server-sent events) without a reload.

const WEB = { hostname: 'web-01.acme.example', address: '192.0.2.10' };

test.describe.configure({ mode: 'serial' });

let ingester: ChildProcess | undefined;
test.beforeAll(async () => {
  ingester = await startIngester();
});
test.afterAll(async () => {
  await stopIngester(ingester);
});

/** The 24-hour availability cell of one service (its exact figure is in data-up). */
const availabilityCell = (page: Page, service: string): Locator =>
  page.locator('table.availability tbody tr', { has: page.locator('th', { hasText: new RegExp(`^${service}$`) }) }).locator('td').first();

async function upShare(cell: Locator): Promise<number> {
  return Number(await cell.getAttribute('data-up'));
}

test.describe('as alice', () => {
  test.use({ storageState: storageState('alice') });

  test('a CRITICAL published with the pipeline’s command appears live, changes the 24 h availability, and bob never sees it', async ({ page, browser, request }) => {
    const webId = (await vmIds(request, 'alice'))[WEB.hostname]!;
    await page.goto(`/vms/${webId}`);
    await expect(page.getByRole('heading', { level: 1 })).toContainText(WEB.hostname);
    await expect(page.getByText('Live: new events appear here by themselves.')).toBeVisible();
    const dashboard = await page.context().newPage();
    await dashboard.goto('/');
    const webRow = dashboard.getByRole('row', { name: new RegExp(WEB.hostname) });
    await expect(webRow).toBeVisible();
    await expect(webRow.locator('[data-support]')).toHaveCount(1); // release support, from the guides

    const firstRow = page.locator('table.timeline tbody tr').first();
    const topBefore = await firstRow.getAttribute('data-event-id');
    const upBefore = await upShare(availabilityCell(page, 'HTTP'));
    // A reload would lose this; the live update must not.
    await page.evaluate(() => ((window as unknown as { stillHere: boolean }).stillHere = true));
    // Nor is the page rendered again on the server: the stream carries what changed (no RSC request).
    const rerenders: string[] = [];
    page.on('request', (r) => {
      if (r.headers()['rsc'] === '1') rerenders.push(r.url());
    });

    const marker = `HTTP CRITICAL - Socket timeout after 10 seconds (e2e ${Date.now()})`;
    await publishServiceEvent({ address: WEB.address, service: 'HTTP', state: 'CRITICAL', stateType: 'HARD', attempt: 3, maxAttempts: 3, output: marker });

    // Within 5 seconds, without a reload: the new row on top, worded for a customer.
    await expect(firstRow).not.toHaveAttribute('data-event-id', topBefore ?? '', { timeout: 5_000 });
    await expect(firstRow).toContainText(`HTTP on ${WEB.hostname} is critical.`);
    expect(await page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);
    // It is our event (the API shows its plugin output), not some other one.
    const newId = await firstRow.getAttribute('data-event-id');
    const events = await (await request.get(`/api/v1/vms/${webId}/events?service=HTTP&limit=5`, { headers: basic('alice') })).json();
    expect(events.events.find((e: { id: number }) => String(e.id) === newId)).toMatchObject({ output: marker, state: 'CRITICAL', stateType: 'HARD' });

    // The page re-rendered with the new state: current state and the last 24 hours.
    await expect(page.locator('table.states tbody tr', { has: page.locator('th', { hasText: /^HTTP$/ }) })).toContainText('CRITICAL');
    const cell = availabilityCell(page, 'HTTP');
    await expect(cell.locator('[data-state="CRITICAL"]')).toContainText('Critical');
    expect(await upShare(cell)).toBeLessThan(upBefore);
    await expect(cell.locator('strong')).not.toHaveText('100%');
    await expect(page.locator('.title-row .state')).toHaveText('CRITICAL');
    expect(rerenders).toEqual([]);

    // The dashboard (polling) shows the open problem too, also within 5 seconds.
    await expect(webRow).toContainText('CRITICAL', { timeout: 5_000 });
    await expect(webRow.getByText('HTTP')).toBeVisible();

    // Bob, in his own session, sees nothing of it: not on his pages, not in the API.
    const bob = await browser.newContext({ storageState: storageState('bob') });
    const bobPage = await bob.newPage();
    await bobPage.goto('/');
    await expect(bobPage.getByRole('heading', { level: 1 })).toHaveText('Globex Corp: virtual machines');
    await expect(bobPage.getByText(WEB.hostname)).toHaveCount(0);
    const appId = (await vmIds(request, 'bob'))['app-01.globex.example']!;
    await bobPage.goto(`/vms/${appId}`);
    await expect(bobPage.getByText(marker)).toHaveCount(0);
    await expect(bobPage.getByText(WEB.hostname)).toHaveCount(0);
    expect((await bobPage.goto(`/vms/${webId}`))?.status()).toBe(404);
    await expect(bobPage.getByText(marker)).toHaveCount(0);
    for (const suffix of ['', '/events', '/availability', '/metrics', '/stream']) {
      const response = await request.get(`/api/v1/vms/${webId}${suffix}`, { headers: basic('bob') });
      expect(response.status(), suffix).toBe(404);
      expect(await response.text()).not.toContain(WEB.hostname);
    }
    const bobsEvents = await (await request.get(`/api/v1/vms/${appId}/events?limit=200`, { headers: basic('bob') })).text();
    expect(bobsEvents).not.toContain(marker);
    await bob.close();

    // Leave web-01 as the other tests expect it: HTTP recovered.
    await publishServiceEvent({ address: WEB.address, service: 'HTTP', state: 'OK', stateType: 'HARD', attempt: 1, maxAttempts: 3, output: 'HTTP OK - e2e recovery' });
    await expect(firstRow).toContainText(`HTTP on ${WEB.hostname} has recovered.`, { timeout: 5_000 });
  });

  test('each event at the chosen detail level: a plain sentence, or the technical details', async ({ page, request }) => {
    const webId = (await vmIds(request, 'alice'))[WEB.hostname]!;
    await page.goto(`/vms/${webId}`);
    const history = page.locator('table.timeline');
    await expect(history).toHaveAttribute('data-detail', 'summary');
    await page.getByRole('radio', { name: 'Technical' }).check();
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect(history).toHaveAttribute('data-detail', 'technical');
    await expect(history.locator('tbody tr').first()).toContainText(/HARD · attempt \d+ of \d+/);
    await expect(history.locator('tbody tr').first()).toContainText('Output:');
    await page.reload();
    await expect(page.locator('table.timeline')).toHaveAttribute('data-detail', 'technical');
    await page.getByRole('radio', { name: 'Summary' }).check();
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect(page.locator('table.timeline')).toHaveAttribute('data-detail', 'summary');
    await expect(page.locator('table.timeline tbody tr').first()).toContainText(`on ${WEB.hostname}`);
  });

  test('history filters, pages and bad parameters', async ({ page, request }) => {
    const webId = (await vmIds(request, 'alice'))[WEB.hostname]!;
    await page.goto(`/vms/${webId}?limit=3`);
    const rows = page.locator('table.timeline tbody tr');
    await expect(rows).toHaveCount(3);
    const firstPage = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-event-id')));
    await page.getByRole('link', { name: 'Older events' }).click();
    await expect(page).toHaveURL(/cursor=/);
    await expect(rows.first()).not.toHaveAttribute('data-event-id', firstPage[0]!);
    await expect(rows).toHaveCount(3);
    const secondPage = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-event-id')));
    expect(secondPage.filter((id) => firstPage.includes(id))).toEqual([]);
    expect(Number(secondPage[0])).toBeLessThan(Number(firstPage[2]));

    await page.goto(`/vms/${webId}`);
    await page.getByLabel('Host or services').selectOption('host');
    await page.getByRole('button', { name: 'Show events' }).click();
    await expect(page).toHaveURL(/kind=host/);
    const services = await page.locator('table.timeline tbody tr td:nth-child(2)').allTextContents();
    expect(services.length).toBeGreaterThan(0);
    expect(new Set(services)).toEqual(new Set(['Host']));

    const response = await page.goto(`/vms/${webId}?state=BROKEN&chart=2y`);
    expect(response?.status()).toBe(200);
    const alert = page.getByRole('alert').filter({ hasText: 'could not be used' });
    await expect(alert).toContainText('state: expected UP, DOWN, UNREACHABLE, OK, WARNING, CRITICAL, UNKNOWN (got "BROKEN")');
    await expect(alert).toContainText('chart: expected 24h, 7d, 30d, 90d or 1y (got "2y")');
    await expect(page.locator('table.timeline tbody tr').first()).toBeVisible(); // the default view instead
  });

  test('charts are SVG drawn on the server, with thresholds and a text alternative', async ({ page, request }) => {
    const webId = (await vmIds(request, 'alice'))[WEB.hostname]!;
    const response = await page.request.get(`/vms/${webId}?chart=24h`);
    const html = await response.text();
    expect(html).toContain('<svg');
    expect(html).toMatch(/<title id="chart-0-title">Disk \/<\/title>/);
    expect(html).toMatch(/<desc id="chart-0-desc">From .* lowest .* GiB, highest .* GiB\. Latest .*Warning level .*Critical level/);
    expect(html).toMatch(/class="chart-threshold chart-warning"/);
    await page.goto(`/vms/${webId}`);
    const chart = page.getByRole('img', { name: /^Disk \// });
    await expect(chart).toBeVisible();
    await page.getByText('Data table', { exact: true }).first().click();
    const table = page.getByRole('table', { name: /^Disk \/: lowest, highest and last value per period$/ });
    await expect(table.getByRole('columnheader', { name: 'Highest' })).toBeVisible();
    await expect(table.getByRole('row')).not.toHaveCount(1);
    expect(await table.getByRole('row').count()).toBeLessThanOrEqual(13); // header + at most 12 periods
  });
});

test.describe('on a phone', () => {
  test.use({ storageState: storageState('alice'), viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

  test('the VM page fits the screen: no sideways scrolling of the page itself', async ({ page, request }) => {
    const webId = (await vmIds(request, 'alice'))[WEB.hostname]!;
    await page.goto(`/vms/${webId}`);
    await expect(page.getByRole('heading', { name: 'Availability' })).toBeVisible();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });
});
