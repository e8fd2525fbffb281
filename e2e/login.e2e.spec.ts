import { randomBytes } from 'node:crypto';
import { type Page, expect, test } from '@playwright/test';
import { USERS, logIn, storageState, vmIds } from './fixtures';

/** Every URL the page requests or is redirected to, so a test can assert what never appears in one. */
function watchUrls(page: Page): { urls: string[]; methods: Map<string, string> } {
  const urls: string[] = [];
  const methods = new Map<string, string>();
  page.on('request', (request) => {
    urls.push(request.url());
    if (new URL(request.url()).pathname === '/login') methods.set(request.url(), request.method());
  });
  page.on('response', (response) => {
    urls.push(response.url());
    const location = response.headers().location;
    if (location) urls.push(location);
  });
  page.on('framenavigated', (frame) => urls.push(frame.url()));
  return { urls, methods };
}

async function fillAndSubmit(page: Page, username: string, password: string) {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
}

const errorMessage = async (page: Page) => {
  const message = page.locator('form .error');
  await expect(message).toBeVisible();
  return (await message.textContent())?.trim();
};

for (const javaScriptEnabled of [false, true]) {
  test.describe(`the login form by POST, JavaScript ${javaScriptEnabled ? 'on' : 'off'}`, () => {
    test.use({ javaScriptEnabled });

    test('the form is a POST and logs in to the dashboard', async ({ page }) => {
      const { urls, methods } = watchUrls(page);
      await page.goto('/login');
      const form = page.locator('form');
      if (!javaScriptEnabled) expect((await form.getAttribute('method'))?.toLowerCase()).toBe('post');
      await fillAndSubmit(page, USERS.alice.username, USERS.alice.password);
      await expect(page).toHaveURL(/\/$/);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Acme Ltd: virtual machines');
      expect(urls.filter((url) => url.includes(USERS.alice.password))).toEqual([]);
      expect(urls.filter((url) => /[?&](username|password)=/.test(url))).toEqual([]);
      expect([...methods.values()].filter((method) => method !== 'GET' && method !== 'POST')).toEqual([]);
      expect([...methods.values()]).toContain('POST');
    });

    test('a wrong password shows the error, and the password is never in a URL', async ({ page }) => {
      const password = `never-in-a-url-${randomBytes(6).toString('hex')}`;
      const { urls } = watchUrls(page);
      await page.goto('/login?callbackUrl=%2Fmail');
      await fillAndSubmit(page, 'alice', password);
      expect(await errorMessage(page)).toBe('Invalid username or password.');
      await expect(page).toHaveURL(/\/login/);
      await expect(page.getByLabel('Username')).toHaveValue('alice');
      await expect(page.getByLabel('Password')).toHaveValue('');
      expect(urls.length).toBeGreaterThan(0);
      expect(urls.filter((url) => url.includes(password) || url.includes(encodeURIComponent(password)))).toEqual([]);
      expect(await page.content()).not.toContain(password);
      // The callbackUrl survives the failed attempt: the next try still goes where the user was going.
      await fillAndSubmit(page, USERS.alice.username, USERS.alice.password);
      await expect(page).toHaveURL(/\/mail$/);
    });

    test('lookalike spellings share one throttle, and the locked name is told to wait', async ({ page }) => {
      // A name of its own, so no other test is locked out; five spellings of it, five failures.
      const name = `mallory${randomBytes(3).toString('hex')}`;
      const fullwidth = [...name].map((c) => String.fromCodePoint(c.codePointAt(0)! + 0xfee0)).join('');
      const spellings = [name, name.toUpperCase(), fullwidth, ` ${name} `, `${name[0]!.toUpperCase()}${name.slice(1)}`];
      const { urls } = watchUrls(page);
      for (const spelling of spellings) {
        await page.goto('/login');
        await fillAndSubmit(page, spelling, 'wrong-password');
        expect(await errorMessage(page)).toBe('Invalid username or password.');
      }
      await page.goto('/login');
      await fillAndSubmit(page, fullwidth.toUpperCase(), 'wrong-password');
      expect(await errorMessage(page)).toBe('Too many failed logins. Try again in 15 minutes.');
      expect(urls.filter((url) => url.includes('wrong-password'))).toEqual([]);
    });

    test('a username with an invisible or bidi character is refused like a wrong password', async ({ page }) => {
      for (const username of ['alice\u200b', '\u202ealice', 'ali\u00adce']) {
        await page.goto('/login');
        await fillAndSubmit(page, username, USERS.alice.password);
        expect(await errorMessage(page)).toBe('Invalid username or password.');
        await expect(page).toHaveURL(/\/login/);
      }
    });
  });
}

test('a submit before the scripts load is a POST that logs in', async ({ page }) => {
  // The slow link taken to its end: the page's scripts never arrive.
  await page.route('**/_next/static/**/*.js', (route) => route.abort());
  const { urls, methods } = watchUrls(page);
  await page.goto('/login');
  await fillAndSubmit(page, USERS.alice.username, USERS.alice.password);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Acme Ltd: virtual machines');
  expect([...methods.values()]).toContain('POST');
  expect(urls.filter((url) => url.includes(USERS.alice.password))).toEqual([]);
});

test.describe('logging in', () => {
  test('a wrong password and an unknown user see the same message', async ({ page }) => {
    const attempt = async (username: string, password: string) => {
      await page.goto('/login');
      await page.getByLabel('Username').fill(username);
      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Log in' }).click();
      const message = page.locator('form .error');
      await expect(message).toBeVisible();
      return (await message.textContent())?.trim();
    };
    const wrong = await attempt('alice', 'not-her-password');
    const unknown = await attempt('nobody-here', 'whatever');
    expect(wrong).toBe('Invalid username or password.');
    expect(unknown).toBe(wrong);
    await expect(page).toHaveURL(/\/login/);
  });

  test('alice sees only Acme’s VMs, logs out, and the back button shows nothing private', async ({ page }) => {
    await page.goto('/vms/1');
    await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fvms%2F1/);
    await logIn(page, 'alice');
    await page.goto('/');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Acme Ltd: virtual machines');
    const rows = page.getByRole('table').getByRole('row');
    await expect(rows).toHaveCount(3); // header + web-01 + db-01
    const table = page.getByRole('table');
    await expect(table.getByRole('link', { name: 'web-01.acme.example' })).toBeVisible();
    await expect(table.getByRole('link', { name: 'db-01.acme.example' })).toBeVisible();
    await expect(page.getByText('globex')).toHaveCount(0);

    await table.getByRole('link', { name: 'web-01.acme.example' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(/^web-01\.acme\.example/);

    await page.getByRole('button', { name: 'Log out' }).click();
    await expect(page).toHaveURL(/\/login/);
    await expect(page.getByRole('status').filter({ hasText: 'You are logged out.' })).toBeVisible();
    await page.goBack();
    await expect(page).toHaveURL(/\/login/);
    await expect(page.getByText('web-01.acme.example')).toHaveCount(0);
    await expect(page.getByText('Acme Ltd')).toHaveCount(0);
  });
});

test.describe('as alice', () => {
  test.use({ storageState: storageState('alice') });

  test('Globex’s VM page is a 404', async ({ page, request }) => {
    const globex = await vmIds(request, 'bob');
    const response = await page.goto(`/vms/${globex['app-01.globex.example']}`);
    expect(response?.status()).toBe(404);
    await expect(page.getByRole('heading', { name: 'Not found' })).toBeVisible();
    await expect(page.getByText('app-01')).toHaveCount(0);
  });

  test('/admin is forbidden', async ({ page }) => {
    const response = await page.goto('/admin');
    expect(response?.status()).toBe(403);
    await expect(page.getByRole('heading', { name: 'Forbidden' })).toBeVisible();
  });
});

test.describe('as carol (staff)', () => {
  test.use({ storageState: storageState('carol') });

  test('the admin pages open and list every account', async ({ page }) => {
    const response = await page.goto('/admin');
    expect(response?.status()).toBe(200);
    await expect(page.getByRole('cell', { name: 'Acme Ltd' }).first()).toBeVisible();
    await expect(page.getByRole('cell', { name: 'Globex Corp' }).first()).toBeVisible();
  });

  test('the customer dashboard sends staff to /admin', async ({ page }) => {
    await page.goto('/');
    await expect(page).toHaveURL(/\/admin$/);
  });
});
