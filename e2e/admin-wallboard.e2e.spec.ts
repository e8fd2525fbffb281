import type { ChildProcess } from 'node:child_process';
import { type Locator, type Page, expect, test } from '@playwright/test';
import { DatabaseSnapshots } from './db-snapshot';
import { basic, storageState } from './fixtures';
import { publishServiceEvent, startIngester, stopIngester } from './vm-pipeline';

// Carol opens the wallboard, turns the sound on, and a CRITICAL published through the real pipeline
// (Nagios' command → ActiveMQ → ingester) appears without a reload and sounds the alarm; a mute holds
// across a reload; acknowledging stops it, on the board and in the audit log. The board says when its
// connection is lost and comes back by itself. Alice is refused, page and API.

test.describe.configure({ mode: 'serial' });
const run = Date.now().toString(36);
const SERVICE = `e2e-wallboard-${run}`;
const SECOND = `e2e-wallboard-second-${run}`;
const ADDRESS = '192.0.2.10'; // web-01.acme.example in the demo data

let ingester: ChildProcess | undefined;
test.beforeAll(async () => {
  ingester = await startIngester();
});
test.afterAll(async () => {
  // Recovered again, so later runs and specs do not find these on the board.
  for (const service of [SERVICE, SECOND]) {
    await publishServiceEvent({ address: ADDRESS, service, state: 'OK', stateType: 'HARD', attempt: 1, maxAttempts: 3, output: 'OK' }).catch(() => undefined);
  }
  await stopIngester(ingester);
});

const board = (page: Page) => page.getByTestId('wallboard');
const problem = (page: Page, service: string) => page.getByTestId('wallboard-problem').filter({ hasText: service });
const beeps = async (b: Locator) => Number(await b.getAttribute('data-beeps'));

/** Hydrated, polling, and with a running AudioContext (a click on "Start sound" when the browser needs one). */
async function openWithSound(page: Page) {
  await page.goto('/admin/wallboard');
  const b = board(page);
  await expect(b).toHaveAttribute('data-ready', 'true');
  await expect(b).toHaveAttribute('data-live', 'live', { timeout: 15_000 });
  const start = b.getByRole('button', { name: 'Start sound' });
  // Headless Chromium may allow sound without a gesture; a desktop one does not. Either way: running.
  if (await start.isVisible()) await start.click();
  await expect(b).toHaveAttribute('data-audio', 'running');
  await expect(start).toHaveCount(0);
  return b;
}

test.describe('as carol (staff)', () => {
  test.use({ storageState: storageState('carol') });

  test('a new CRITICAL appears live and sounds until acknowledged; a mute holds across a reload; the ack is audited', async ({ page }) => {
    test.setTimeout(120_000);
    let b = await openWithSound(page);
    // Earlier runs and specs may have left CRITICALs nobody acknowledged: start from a silent board.
    const all = b.getByRole('button', { name: /^Acknowledge all alarms/ });
    if (await all.isVisible()) await all.click();
    await expect(b).toHaveAttribute('data-alarm', 'silent', { timeout: 15_000 });

    await publishServiceEvent({ address: ADDRESS, service: SERVICE, state: 'CRITICAL', stateType: 'HARD', attempt: 3, maxAttempts: 3, output: `CRITICAL - wallboard ${run}` });
    const row = problem(page, SERVICE);
    await expect(row).toBeVisible({ timeout: 30_000 }); // no reload: the board's own polling
    await expect(row).toHaveAttribute('data-state', 'CRITICAL');
    await expect(row).toContainText('web-01.acme.example');
    await expect(row).toContainText(/for \d+ s/);
    await expect(b).toHaveAttribute('data-alarm', 'sounding');
    // Tones are actually scheduled on the AudioContext, again and again.
    await expect.poll(() => beeps(b), { timeout: 10_000 }).toBeGreaterThanOrEqual(2);

    // Muted for 5 minutes: silent here, and still muted after a reload (localStorage).
    await b.getByRole('button', { name: 'Mute 5 min' }).click();
    await expect(b).toHaveAttribute('data-alarm', 'muted');
    await page.reload();
    b = board(page);
    await expect(b).toHaveAttribute('data-ready', 'true');
    await expect(b).toHaveAttribute('data-alarm', 'muted');
    await b.getByRole('button', { name: /^Unmute/ }).click();
    b = await openWithSound(page);
    await expect(b).toHaveAttribute('data-alarm', 'sounding');

    await problem(page, SERVICE).getByRole('button', { name: 'Acknowledge' }).click();
    await expect(problem(page, SERVICE)).toContainText('Acknowledged by carol');
    await expect(b).toHaveAttribute('data-alarm', 'silent');
    const after = await beeps(b);
    await page.waitForTimeout(2500); // longer than the tones' repeat (BEEP_EVERY_MS)
    expect(await beeps(b)).toBe(after);

    const db = await DatabaseSnapshots.open();
    try {
      const audits = await db.query<{ actor_username: string; target_type: string; details: string }>(
        "SELECT actor_username, target_type, details FROM audit_log WHERE action = 'wallboard.ack' AND JSON_VALUE(details, '$.service') = ?",
        [SERVICE],
      );
      expect(audits).toHaveLength(1);
      expect(audits[0]).toMatchObject({ actor_username: 'carol', target_type: 'vm' });
      const details = audits[0]!.details as unknown;
      // The driver hands JSON columns back parsed (or as text, depending on the server's type for them).
      expect(typeof details === 'string' ? JSON.parse(details) : details).toMatchObject({ hostname: 'web-01.acme.example', state: 'CRITICAL', stateType: 'HARD' });
    } finally {
      await db.close();
    }

    // Another one, acknowledged with "Acknowledge all alarms".
    await publishServiceEvent({ address: ADDRESS, service: SECOND, state: 'CRITICAL', stateType: 'HARD', attempt: 3, maxAttempts: 3, output: `CRITICAL - wallboard ${run} 2` });
    await expect(problem(page, SECOND)).toBeVisible({ timeout: 30_000 });
    await expect(b).toHaveAttribute('data-alarm', 'sounding');
    await b.getByRole('button', { name: 'Acknowledge all alarms (1)' }).click();
    await expect(b).toHaveAttribute('data-alarm', 'silent');
    await expect(problem(page, SECOND)).toContainText('Acknowledged by carol');
  });

  test('says the connection is lost and recovers by itself', async ({ page, context }) => {
    test.setTimeout(90_000);
    await page.goto('/admin/wallboard');
    const b = board(page);
    await expect(b).toHaveAttribute('data-live', 'live', { timeout: 15_000 });
    await context.setOffline(true);
    await expect(b).toHaveAttribute('data-live', 'retrying', { timeout: 15_000 });
    await expect(b.getByRole('status')).toContainText('Connection lost, retrying');
    await expect(problem(page, SERVICE)).toBeVisible(); // the last state stays on the board
    await context.setOffline(false);
    await expect(b).toHaveAttribute('data-live', 'live', { timeout: 45_000 });
    await expect(b.getByRole('status')).toContainText('Live');
  });

  test('the first view works without JavaScript', async ({ browser }) => {
    const context = await browser.newContext({ storageState: storageState('carol'), javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      await page.goto('/admin/wallboard');
      await expect(problem(page, SERVICE)).toContainText('Acknowledged by carol');
      await expect(problem(page, SERVICE)).toContainText(/for \d+ (s|min)/);
      await expect(board(page).getByRole('button')).toHaveCount(0);
    } finally {
      await context.close();
    }
  });
});

test.describe('as alice (customer)', () => {
  test.use({ storageState: storageState('alice') });

  test('is refused the board and its API', async ({ page, request }) => {
    expect((await page.goto('/admin/wallboard'))?.status()).toBe(403);
    expect((await request.get('/api/v1/admin/wallboard')).status()).toBe(403);
    expect((await request.get('/api/v1/admin/wallboard', { headers: basic('alice') })).status()).toBe(403);
    const ack = await request.post('/api/v1/admin/wallboard/acks', { headers: basic('alice'), data: { problems: [{ vmId: 1, service: SERVICE, since: new Date().toISOString() }] } });
    expect(ack.status()).toBe(403);
  });
});
