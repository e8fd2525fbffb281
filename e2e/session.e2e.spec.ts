import { randomUUID } from 'node:crypto';
import { type APIRequestContext, type Browser, type BrowserContext, expect, request as playwrightRequest, test } from '@playwright/test';
import { createTestUser, deleteTestUser } from '../lib/testing/directory-admin';
import { E2E_PORT } from '../scripts/test-setup/test-env';
import { USERS, logIn, storageState, vmIds } from './fixtures';

// Logout and staff revocation end a session everywhere: a copy of the cookie (another browser, a
// script) is refused on its very next request, pages with the login page, the API with 401.

const ORIGIN = `http://127.0.0.1:${E2E_PORT}`;

async function loggedIn(browser: Browser, user: keyof typeof USERS): Promise<BrowserContext> {
  const context = await browser.newContext();
  await logIn(await context.newPage(), user);
  return context;
}

/** A second browser holding a copy of the first one's cookies. */
async function copyOf(browser: Browser, source: BrowserContext): Promise<BrowserContext> {
  const copy = await browser.newContext();
  await copy.addCookies(await source.cookies());
  return copy;
}

/** A script that replays the cookie header by hand (no browser, no cookie jar). */
async function replay(source: BrowserContext): Promise<APIRequestContext> {
  const cookie = (await source.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
  return playwrightRequest.newContext({ baseURL: ORIGIN, extraHTTPHeaders: { cookie } });
}

async function expectRefused(context: BrowserContext, script: APIRequestContext, vmId: number) {
  const page = await context.newPage();
  await page.goto('/');
  await expect(page).toHaveURL(/\/login/);
  await page.goto(`/vms/${vmId}`);
  await expect(page).toHaveURL(/\/login/);
  for (const path of ['/api/v1/me', '/api/v1/vms', `/api/v1/vms/${vmId}/stream`]) {
    expect((await context.request.get(path)).status(), path).toBe(401);
    expect((await script.get(path)).status(), `${path} (replayed)`).toBe(401);
  }
  // Asking next-auth to renew it does not bring it back.
  expect(await (await context.request.get('/api/auth/session')).json()).toEqual({});
  expect((await script.get('/api/v1/me')).status()).toBe(401);
  expect((await script.get('/', { maxRedirects: 0 })).headers().location).toMatch(/\/login/);
}

test('sign-out ends the session for every copy of the cookie', async ({ browser, request }) => {
  const vmId = Object.values(await vmIds(request, 'alice'))[0]!;
  const first = await loggedIn(browser, 'alice');
  const second = await copyOf(browser, first);
  const script = await replay(first);
  // The copies work while the session lives.
  const page = await second.newPage();
  await page.goto('/');
  await expect(page).not.toHaveURL(/\/login/);
  expect((await second.request.get('/api/v1/me')).status()).toBe(200);
  expect((await script.get('/api/v1/me')).status()).toBe(200);
  expect(await (await second.request.get('/api/auth/session')).json()).toMatchObject({ user: { name: 'alice' } });

  const mine = await first.newPage();
  await mine.goto('/');
  await mine.getByRole('button', { name: 'Log out' }).click();
  await expect(mine).toHaveURL(/\/login/);
  expect(await (await first.request.get('/api/auth/session')).json()).toEqual({});

  await expectRefused(second, script, vmId);
  // Alice's other sessions (the saved one other specs use) are untouched.
  const saved = await browser.newContext({ storageState: storageState('alice') });
  expect((await saved.request.get('/api/v1/me')).status()).toBe(200);
  for (const context of [first, second, saved]) await context.close();
  await script.dispose();
});

test("staff end all of a user's sessions from /admin/users; a new login works again", async ({ browser, request }) => {
  const uid = `sess-e2e-${randomUUID().slice(0, 6)}`;
  const password = `pw-${randomUUID()}`;
  await createTestUser(uid, password, { account: 'acme' });
  try {
    const login = async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto('/login');
      await page.getByLabel('Username').fill(uid);
      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Log in' }).click();
      await expect(page).not.toHaveURL(/\/login/);
      return context;
    };
    const [laptop, phone] = [await login(), await login()];
    const script = await replay(laptop);
    const vmId = Object.values(await vmIds(request, 'alice'))[0]!; // an acme VM, which this user may see
    expect((await phone.request.get('/api/v1/me')).status()).toBe(200);

    const staff = await browser.newContext({ storageState: storageState('carol') });
    const admin = await staff.newPage();
    await admin.goto('/admin/users');
    const row = admin.getByRole('row', { name: new RegExp(uid) });
    await row.getByRole('button', { name: `End all sessions of ${uid}` }).click();
    await expect(row.getByRole('status')).toHaveText(`${uid}: 2 sessions ended.`);

    await expectRefused(laptop, script, vmId);
    await expectRefused(phone, script, vmId);
    // The staff member's own session is unaffected, and the user can simply log in again.
    await admin.reload();
    await expect(admin).toHaveURL(/\/admin\/users/);
    const again = await login();
    expect((await again.request.get('/api/v1/me')).status()).toBe(200);
    for (const context of [laptop, phone, staff, again]) await context.close();
    await script.dispose();
  } finally {
    await deleteTestUser(uid);
  }
});

test('an open live stream ends within 30 s of sign-out, and its reconnect gets 401', async ({ browser, request }) => {
  test.setTimeout(60_000);
  const vmId = Object.values(await vmIds(request, 'alice'))[0]!;
  const first = await loggedIn(browser, 'alice');
  const cookie = (await first.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
  const response = await fetch(`${ORIGIN}/api/v1/vms/${vmId}/stream`, { headers: { cookie } });
  expect(response.status).toBe(200);
  const reader = response.body!.getReader();
  expect(new TextDecoder().decode((await reader.read()).value)).toContain('event: ready');

  const page = await first.newPage();
  await page.goto('/');
  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page).toHaveURL(/\/login/);
  const loggedOutAt = Date.now();
  // Heartbeats may come first; the stream must then close on its own.
  for (;;) {
    const { done } = await reader.read();
    if (done) break;
  }
  expect(Date.now() - loggedOutAt).toBeLessThan(35_000);
  expect((await fetch(`${ORIGIN}/api/v1/vms/${vmId}/stream`, { headers: { cookie } })).status).toBe(401);
  await first.close();
});
