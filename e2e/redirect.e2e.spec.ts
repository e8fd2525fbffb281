import { type Page, expect, test } from '@playwright/test';
import { USERS, storageState, vmIds } from './fixtures';

// No open redirect: whatever callbackUrl the login page is given, after login the browser is on
// our own origin. The values are written exactly as they appear in the query string, so the
// browser's own URL handling (dropping TAB/CR/LF, reading `\` as `/`) is part of the test.
const ATTACKS = [
  '/%09/evil.example',
  '/%0a/evil.example',
  '/%0d/evil.example',
  '/%0d%0a/evil.example',
  '%5C%5Cevil.example',
  '/%5Cevil.example',
  '%5C/evil.example',
  '//evil.example',
  '///evil.example',
  '/%2F%2Fevil.example',
  '/%252F%252Fevil.example',
  '/.//evil.example',
  'https://evil.example/',
  'https:evil.example',
  '//evil.example@127.0.0.1',
  '%20//evil.example',
  '/%E2%88%95evil.example',
  '%EF%BC%8F%EF%BC%8Fevil.example',
  'javascript:alert(document.domain)',
  'data:text/html,%3Cscript%3Ealert(1)%3C/script%3E',
];

/** Every host the page talks to or is sent to, requests and redirects included. */
function watchHosts(page: Page): string[] {
  const hosts: string[] = [];
  // about:blank has no host; a data: or javascript: landing is caught by the URL checks.
  const add = (url: string) => new URL(url).host && hosts.push(new URL(url).host);
  page.on('request', (request) => add(request.url()));
  page.on('framenavigated', (frame) => add(frame.url()));
  page.on('response', (response) => {
    const location = response.headers().location;
    if (location) add(new URL(location, response.url()).href);
  });
  return hosts;
}

async function submitLogin(page: Page) {
  await page.getByLabel('Username').fill(USERS.alice.username);
  await page.getByLabel('Password').fill(USERS.alice.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page).not.toHaveURL(/\/login/);
}

for (const javaScriptEnabled of [true, false]) {
  test.describe(`after login, callbackUrl never leaves our origin (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, () => {
    test.use({ javaScriptEnabled });

    for (const attack of ATTACKS) {
      test(`callbackUrl=${attack}`, async ({ page, baseURL }) => {
        const ours = new URL(baseURL!).host;
        const hosts = watchHosts(page);
        let dialogs = 0;
        page.on('dialog', async (dialog) => {
          dialogs++;
          await dialog.dismiss();
        });
        const response = await page.goto(`/login?callbackUrl=${attack}`);
        if (response!.status() === 400) {
          // Refused at the door (server.mjs answers 400 to control characters in a URL): nothing
          // to follow. The same value in the form field is tested below.
          await expect(page.getByText(/^Bad request/)).toBeVisible();
          expect(new URL(page.url()).host).toBe(ours);
          expect(hosts.filter((host) => host !== ours)).toEqual([]);
          return;
        }
        expect(response!.status()).toBe(200);
        await expect(page.getByRole('heading', { name: 'Log in to Porthole' })).toBeVisible();
        await submitLogin(page);
        const landed = new URL(page.url());
        expect(landed.host).toBe(ours);
        expect(landed.pathname).toBe('/'); // the refusal answer: the dashboard
        await expect(page.getByRole('heading', { level: 1 })).toHaveText('Acme Ltd: virtual machines');
        expect(hosts.filter((host) => host !== ours)).toEqual([]);
        expect(dialogs).toBe(0);
      });
    }

    // The hidden field is the server action's input: a tampered one gets the same rule, whether
    // or not the URL layer in front would have let the value through.
    for (const tampered of ['/\t/evil.example', '/\n/evil.example', '/\r\n/evil.example', '\\\\evil.example', '/\\evil.example', '//evil.example', 'https://evil.example/', '/.//evil.example', '/\u2215evil.example', 'javascript:alert(1)']) {
      test(`a tampered callbackUrl field ${JSON.stringify(tampered)} still lands home`, async ({ page, baseURL }) => {
        const ours = new URL(baseURL!).host;
        const hosts = watchHosts(page);
        await page.goto('/login');
        await page.locator('input[name="callbackUrl"]').evaluate((input, value) => ((input as HTMLInputElement).value = value), tampered);
        await submitLogin(page);
        expect(new URL(page.url()).host).toBe(ours);
        expect(new URL(page.url()).pathname).toBe('/');
        await expect(page.getByRole('heading', { level: 1 })).toHaveText('Acme Ltd: virtual machines');
        expect(hosts.filter((host) => host !== ours)).toEqual([]);
      });
    }

    test('a legitimate callbackUrl is honoured, query included', async ({ page, request }) => {
      const acme = await vmIds(request, 'alice');
      const vmId = acme['web-01.acme.example'];
      await page.goto(`/login?callbackUrl=${encodeURIComponent(`/vms/${vmId}?tab=x`)}`);
      await submitLogin(page);
      const landed = new URL(page.url());
      expect(`${landed.pathname}${landed.search}`).toBe(`/vms/${vmId}?tab=x`);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(/^web-01\.acme\.example/);
    });

    test('the path the proxy sent someone from survives the login', async ({ page }) => {
      await page.goto('/mail?x=1');
      await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fmail%3Fx%3D1/);
      await submitLogin(page);
      await expect(page).toHaveURL(/\/mail\?x=1$/);
    });
  });
}

test.describe('already logged in', () => {
  test.use({ storageState: storageState('alice') });

  for (const attack of ['/%09/evil.example', '//evil.example', '/%5Cevil.example', 'https://evil.example/']) {
    test(`/login?callbackUrl=${attack} sends a logged-in user home, not away`, async ({ page, baseURL }) => {
      const hosts = watchHosts(page);
      const response = await page.goto(`/login?callbackUrl=${attack}`);
      expect(new URL(page.url()).host).toBe(new URL(baseURL!).host);
      // 400 when the URL layer refuses control characters first; otherwise home.
      if (response!.status() !== 400) expect(new URL(page.url()).pathname).toBe('/');
      expect(hosts.filter((host) => host !== new URL(baseURL!).host)).toEqual([]);
    });
  }
});

test.describe('next-auth’s own redirects', () => {
  const csrf = async (request: import('@playwright/test').APIRequestContext) =>
    ((await (await request.get('/api/auth/csrf')).json()) as { csrfToken: string }).csrfToken;

  for (const callbackUrl of ['https://evil.example/', '//evil.example', '/\t/evil.example', '/\\evil.example', 'javascript:alert(1)']) {
    test(`credentials callback and sign-out with callbackUrl ${JSON.stringify(callbackUrl)} stay home`, async ({ playwright, baseURL }) => {
      const request = await playwright.request.newContext({ baseURL });
      try {
        const signIn = await request.post('/api/auth/callback/credentials', {
          form: { ...USERS.alice, csrfToken: await csrf(request), callbackUrl },
          maxRedirects: 0,
        });
        expect(signIn.status()).toBe(302);
        expect(new URL(signIn.headers().location!).origin).toBe(new URL(baseURL!).origin);
        expect(new URL(signIn.headers().location!).pathname).toBe('/');

        const signOut = await request.post('/api/auth/signout', { form: { csrfToken: await csrf(request), callbackUrl }, maxRedirects: 0 });
        expect(signOut.status()).toBe(302);
        expect(new URL(signOut.headers().location!).origin).toBe(new URL(baseURL!).origin);
        expect(new URL(signOut.headers().location!).pathname).toBe('/');
      } finally {
        await request.dispose();
      }
    });
  }
});
