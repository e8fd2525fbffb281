import { expect, test } from '@playwright/test';
import { basic, storageState } from './fixtures';

// Support's view of every host's events: filtered by account and state, paged, the same in the API.

test.describe('as carol', () => {
  test.use({ storageState: storageState('carol') });

  test('filters every host’s events by account and state, and pages to older ones', async ({ page }) => {
    await page.goto('/admin/events');
    const form = page.getByRole('form', { name: 'Filter events' });
    await form.getByLabel('Account').selectOption({ label: 'Acme Ltd' });
    await form.getByLabel('CRITICAL').check();
    await form.getByRole('button', { name: 'Show' }).click();
    const rows = page.getByTestId('staff-event');
    await expect(rows.first()).toBeVisible();
    for (const text of await rows.allInnerTexts()) {
      expect(text).toContain('Acme Ltd');
      expect(text).toContain('CRITICAL');
    }
    await page.goto('/admin/events?limit=5');
    const ids = () => page.getByTestId('staff-event').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-event-id'))));
    const first = await ids();
    expect(first).toHaveLength(5);
    await page.getByRole('link', { name: 'Older events →' }).click();
    await expect(page).toHaveURL(/cursor=/);
    const second = await ids();
    expect(second).toHaveLength(5);
    expect(second.filter((id) => first.includes(id))).toEqual([]);
  });
});

test('the API: staff only, bad filters named', async ({ request }) => {
  const r = await request.get('/api/v1/admin/events?limit=3&type=HARD', { headers: basic('carol') });
  expect(r.status()).toBe(200);
  const body = (await r.json()) as { events: Array<{ stateType: string }>; nextCursor: string | null };
  expect(body.events.length).toBe(3);
  expect(body.events.every((e) => e.stateType === 'HARD')).toBe(true);
  expect((await request.get('/api/v1/admin/events?state=BROKEN', { headers: basic('carol') })).status()).toBe(400);
  expect((await request.get('/api/v1/admin/events', { headers: basic('alice') })).status()).toBe(403);
});
