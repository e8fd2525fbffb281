import { type APIResponse, expect, test } from '@playwright/test';
import { E2E_PORT } from '../scripts/test-setup/test-env';
import { storageState, vmIds } from './fixtures';
import { raw } from './raw-http';

// Security headers on every kind of response, the nonce CSP on pages, HSTS only over TLS, and the
// cross-origin refusal of server actions, against the production build (server.mjs + proxy.ts).

const OURS = `http://127.0.0.1:${E2E_PORT}`;

function directives(policy: string | undefined): Map<string, string[]> {
  return new Map((policy ?? '').split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map((d) => [d[0]!, d.slice(1)]));
}

function nonceOf(policy: string | undefined): string {
  const nonce = /'nonce-([^']+)'/.exec(policy ?? '')?.[1];
  expect(nonce, `a nonce in ${policy}`).toBeTruthy();
  return nonce!;
}

function expectBaseline(headers: Record<string, string>) {
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['referrer-policy']).toBe('same-origin');
  expect(headers['x-frame-options']).toBe('DENY');
  expect(headers['permissions-policy']).toContain('camera=()');
  expect(headers['permissions-policy']).toContain('microphone=()');
  expect(headers['permissions-policy']).not.toContain('autoplay');
  expect(headers['x-powered-by']).toBeUndefined();
}

/** Every <script> in the HTML carries this response's nonce, so CSP lets Next's own scripts run. */
async function expectNoncedPage(response: APIResponse) {
  expect(response.status()).toBe(200);
  const policy = response.headers()['content-security-policy'];
  const d = directives(policy);
  const nonce = nonceOf(policy);
  expect(d.get('script-src')).toEqual(["'self'", `'nonce-${nonce}'`, "'strict-dynamic'"]);
  expect(policy).not.toContain('unsafe-eval');
  expect(d.get('script-src')).not.toContain("'unsafe-inline'");
  expect(d.get('frame-ancestors')).toEqual(["'none'"]);
  expect(d.get('form-action')).toEqual(["'self'"]);
  expect(d.get('base-uri')).toEqual(["'self'"]);
  expect(d.get('object-src')).toEqual(["'none'"]);
  expectBaseline(response.headers());
  const html = await response.text();
  const scripts = html.match(/<script\b[^>]*>/g) ?? [];
  expect(scripts.length).toBeGreaterThan(2);
  for (const tag of scripts) expect(tag, tag).toContain(`nonce="${nonce}"`);
  return { nonce, html };
}

test.describe('pages', () => {
  test('the login page gets a fresh nonce per request on every script', async ({ request }) => {
    const first = await expectNoncedPage(await request.get('/login'));
    const second = await expectNoncedPage(await request.get('/login'));
    expect(second.nonce).not.toBe(first.nonce);
    expect(first.nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
  });

  test.describe('as alice', () => {
    test.use({ storageState: storageState('alice') });
    test('the dashboard, a VM page and a not-found page are all nonced', async ({ request }) => {
      const webId = (await vmIds(request, 'alice'))['web-01.acme.example']!;
      await expectNoncedPage(await request.get('/'));
      await expectNoncedPage(await request.get(`/vms/${webId}`));
      await expectNoncedPage(await request.get(`/vms/${webId}/packages`));
      const missing = await request.get('/no-such-page');
      expect(missing.status()).toBe(404);
      const nonce = nonceOf(missing.headers()['content-security-policy']);
      for (const tag of (await missing.text()).match(/<script\b[^>]*>/g) ?? []) expect(tag).toContain(`nonce="${nonce}"`);
    });
  });

  test.describe('as carol', () => {
    test.use({ storageState: storageState('carol') });
    test('the admin pages are nonced', async ({ request }) => {
      await expectNoncedPage(await request.get('/admin'));
      await expectNoncedPage(await request.get('/admin/settings'));
    });
  });

  test('a redirect to the login page carries the policy too', async ({ request }) => {
    const response = await request.get('/vms/1', { maxRedirects: 0 });
    expect(response.status()).toBe(307);
    expect(directives(response.headers()['content-security-policy']).get('frame-ancestors')).toEqual(["'none'"]);
    expectBaseline(response.headers());
  });
});

test.describe('other responses', () => {
  test('API answers may load nothing and carry the baseline', async ({ request }) => {
    for (const url of ['/api/health', '/api/v1/vms', '/api/auth/session']) {
      const response = await request.get(url);
      expect(response.status(), url).toBeLessThan(500);
      expect(directives(response.headers()['content-security-policy']).get('default-src'), url).toEqual(["'none'"]);
      expectBaseline(response.headers());
    }
  });

  test('static files carry the baseline (no CSP: a script file does not run a policy)', async ({ request }) => {
    const html = await (await request.get('/login')).text();
    const asset = /(?:src|href)="(\/_next\/static\/[^"]+)"/.exec(html)?.[1];
    expect(asset).toBeTruthy();
    const response = await request.get(asset!);
    expect(response.status()).toBe(200);
    expectBaseline(response.headers());
  });
});

test.describe('HSTS and forwarding headers', () => {
  test('no HSTS over plain HTTP, even when an ordinary client claims https', async () => {
    const variants: Array<Record<string, string>> = [{}, { 'X-Forwarded-Proto': 'https' }, { Forwarded: 'proto=https' }, { 'X-Forwarded-Proto': 'https', 'X-Porthole-Proto': 'https' }];
    for (const headers of variants) {
      const response = await raw('GET', '/login', headers);
      expect(response.status).toBe(200);
      expect(response.headers['strict-transport-security']).toBeUndefined();
      expect(response.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
    }
  });

  test('HSTS and upgrade-insecure-requests when the trusted front end says https', async () => {
    const response = await raw('GET', '/login', { 'X-Forwarded-Proto': 'https' }, { localAddress: '127.0.0.2' });
    expect(response.status).toBe(200);
    expect(response.headers['strict-transport-security']).toMatch(/^max-age=31536000$/);
    expect(response.headers['content-security-policy']).toContain('upgrade-insecure-requests');
    const plain = await raw('GET', '/login', { 'X-Forwarded-Proto': 'http' }, { localAddress: '127.0.0.2' });
    expect(plain.headers['strict-transport-security']).toBeUndefined();
  });
});

test.describe('server actions and form posts from other origins', () => {
  // A made-up action id: refused by us before Next, or (when allowed through) answered by Next as unknown.
  const action = (headers: Record<string, string>, localAddress?: string) =>
    raw('POST', '/', { 'Next-Action': '7f00000000000000000000000000000000000000aa', 'Content-Type': 'text/plain;charset=UTF-8', ...headers }, { localAddress, body: '[]' });

  const refused: Array<[string, Record<string, string>]> = [
    ['no Origin at all', {}],
    ['Origin: null', { Origin: 'null' }],
    ['another site', { Origin: 'http://evil.example' }],
    ['another port of ours', { Origin: 'http://127.0.0.1:1' }],
    ['a lookalike', { Origin: `http://127.0.0.1:${E2E_PORT}.evil.example` }],
    ['a forged X-Forwarded-Host to match', { Origin: 'http://evil.example', 'X-Forwarded-Host': 'evil.example' }],
    ['a forged Forwarded header to match', { Origin: 'http://evil.example', Forwarded: 'host=evil.example', 'X-Forwarded-Host': 'evil.example', 'X-Forwarded-Proto': 'http' }],
    ['Sec-Fetch-Site: cross-site and no Origin', { 'Sec-Fetch-Site': 'cross-site' }],
    ['an Origin that is not a URL', { Origin: '::::' }],
    ['Sec-Fetch-Site: same-origin but a foreign Origin', { Origin: 'http://evil.example', 'Sec-Fetch-Site': 'same-origin' }],
  ];
  for (const [what, headers] of refused) {
    test(`a server action with ${what} is refused with 403`, async () => {
      const response = await action(headers);
      expect(response.status).toBe(403);
      expect(response.headers['content-type']).toMatch(/^text\/plain/);
      expect(response.body.length).toBeLessThan(200);
    });
  }

  test('a page form POST without Origin is refused too', async () => {
    const response = await raw('POST', '/mail', { 'Content-Type': 'application/x-www-form-urlencoded' }, { body: 'domain=x' });
    expect(response.status).toBe(403);
  });

  test('our own origin, or Sec-Fetch-Site: same-origin, gets through to Next', async () => {
    const allowed: Array<Record<string, string>> = [{ Origin: OURS }, { 'Sec-Fetch-Site': 'same-origin' }];
    for (const headers of allowed) {
      const response = await action(headers);
      expect(response.status).not.toBe(403);
      expect(response.status).toBeLessThan(500);
    }
  });

  test('the trusted front end’s forwarded host is our origin; an ordinary client’s is not', async () => {
    const headers = { Origin: 'https://portal.example.org', 'X-Forwarded-Host': 'portal.example.org', 'X-Forwarded-Proto': 'https' };
    expect((await action(headers, '127.0.0.2')).status).not.toBe(403);
    expect((await action(headers, '127.0.0.1')).status).toBe(403);
  });

  test('the sign-in POST keeps working without Origin (next-auth checks its CSRF token) but not from another site', async ({ request }) => {
    const noOrigin = await request.post('/api/auth/callback/credentials', { form: { username: 'alice', password: 'x', csrfToken: 'nope' }, maxRedirects: 0 });
    expect(noOrigin.status()).not.toBe(403);
    expect(noOrigin.status()).toBeLessThan(500);
    const foreign = await request.post('/api/auth/callback/credentials', { form: { username: 'alice', password: 'x' }, headers: { Origin: 'http://evil.example' }, maxRedirects: 0 });
    expect(foreign.status()).toBe(403);
  });
});
