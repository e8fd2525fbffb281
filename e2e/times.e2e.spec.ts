import { type Page, expect, test } from '@playwright/test';
import { basic, storageState, vmIds } from './fixtures';

// Times read the same in the HTML the server sends and in the page after its scripts ran (they used to
// shift by an hour, silently), every one with its zone; and the availability section says what its
// figure means. A browser in Berlin, so that any time written in the browser's own zone would differ.

const DB = 'db-01.acme.example'; // not the VM the live spec publishes to: its page stays still meanwhile

test.use({ storageState: storageState('alice'), timezoneId: 'Europe/Berlin' });

/** [datetime attribute, text] of every <time> element in an HTML text. */
function timesInHtml(html: string): Array<[string, string]> {
  return [...html.matchAll(/<time[^>]*\bdatetime="([^"]+)"[^>]*>([^<]*)<\/time>/gi)].map((m) => [m[1]!, m[2]!.replace(/&amp;/g, '&')]);
}

async function timesOnPage(page: Page): Promise<Array<[string, string]>> {
  return page.locator('time').evaluateAll((els) => els.map((e) => [e.getAttribute('datetime') ?? '', e.textContent ?? ''] as [string, string]));
}

test('a VM page’s times are the same text before and after hydration, each with its zone', async ({ page, request }) => {
  const id = (await vmIds(request, 'alice'))[DB]!;
  const url = `/vms/${id}`;
  // The first visit tells the portal the browser's zone (a cookie); from then on the server writes in it.
  await page.goto(url);
  await expect.poll(async () => (await page.context().cookies()).some((c) => c.name === 'porthole_tz')).toBe(true);

  // The server's HTML, with the same cookies as the browser.
  const raw = await page.request.get(url);
  expect(raw.status()).toBe(200);
  const server = timesInHtml(await raw.text());
  expect(server.length).toBeGreaterThan(5);
  for (const [, text] of server) expect(text).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC(?:[+-]\d{1,2}(?::\d{2})?)?$/);
  // Berlin: UTC+1 in winter, UTC+2 in summer; never the server's UTC once the zone is known.
  expect(server.some(([, text]) => /UTC\+[12]$/.test(text))).toBe(true);

  // The same page loaded in the browser, after hydration (the live status is set by a client effect).
  await page.goto(url);
  await expect(page.getByText('Live: new events appear here by themselves.')).toBeVisible();
  expect(await timesOnPage(page)).toEqual(server);

  // Last check result and the time the state began, apart, each with "… ago".
  await expect(page.getByTestId('last-check')).toContainText(/\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC\+[12] \((?:just now|\d+ (?:min|h|d) ago)\)/);
  await expect(page.getByTestId('state-since')).toContainText(/ago|just now/);
  const states = page.locator('table.states');
  await expect(states.getByRole('columnheader', { name: 'In this state since' })).toBeVisible();
  await expect(states.getByRole('columnheader', { name: 'Last check result' })).toBeVisible();
  // Chart axes name their zone.
  const zones = await page.locator('.chart-zone').allTextContents();
  expect(zones.length).toBeGreaterThan(0);
  for (const z of zones) expect(z).toMatch(/^UTC\+[12]$/);
});

test('the availability section shows the time in each state and the definition of its figure', async ({ page, request }) => {
  const id = (await vmIds(request, 'alice'))[DB]!;
  await page.goto(`/vms/${id}#availability`);
  const table = page.locator('table.availability');
  const host = table.locator('tbody tr', { has: page.locator('th', { hasText: /^Host$/ }) }).locator('td').first();
  await expect(host).toContainText(/\d+(?:\.\d{2})?% available|No figure/);
  await expect(host.locator('li[data-state]').first()).toContainText(/^(Up|Down|Unreachable|No data|Not monitored yet) /);
  const definition = page.getByTestId('sla-definition');
  await expect(definition).toContainText('Available = time up as a share of the time counted.');
  await expect(definition).toContainText(/Warning counts as (available \(degraded, not down\)|down)/);
  await expect(definition).toContainText('not monitored yet');

  // The API gives the same figure and breakdown, and the VM's last check apart from its state's start.
  const api = await (await request.get(`/api/v1/vms/${id}/availability`, { headers: basic('alice') })).json();
  expect(api.host).toMatchObject({ slaPct: expect.anything(), breakdown: expect.any(Array) });
  expect(api.sla.description).toBe(await definition.textContent());
  const vm = (await (await request.get(`/api/v1/vms/${id}`, { headers: basic('alice') })).json()).vm;
  expect(vm.state).toMatchObject({ lastCheckAt: expect.any(String), stateSince: expect.any(String), lastChangeAt: expect.any(String) });
});
