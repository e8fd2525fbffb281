import http from 'node:http';
import { expect, test } from '@playwright/test';
import { E2E_PORT } from '../scripts/test-setup/test-env';
import { USERS, basic, vmIds } from './fixtures';
import { appRoutes, isPublic } from './routes';

test.describe('the protected system', () => {
  const routes = appRoutes();

  test('finds the app routes to walk', () => {
    expect(routes.length).toBeGreaterThan(8);
    expect(routes.map((r) => r.url)).toEqual(expect.arrayContaining(['/', '/login', '/admin', '/vms/1', '/api/v1/vms', '/api/health', '/api/health/live', '/api/health/ready']));
  });

  for (const route of routes.filter((r) => !isPublic(r))) {
    test(`${route.url} (${route.file}) needs a login`, async ({ request }) => {
      for (const method of route.kind === 'api' ? ['GET', 'POST'] : ['GET']) {
        const response = await request.fetch(route.url, { method, maxRedirects: 0 });
        if (route.kind === 'page') {
          expect(response.status()).toBe(307);
          expect(response.headers().location).toMatch(/\/login(\?|$)/);
        } else {
          expect(response.status()).toBe(401);
          expect(response.headers()['www-authenticate']).toContain('Basic realm="Porthole"');
          expect(await response.json()).toEqual({ error: expect.any(String) });
        }
      }
    });
  }

  test('the health check answers without a login', async ({ request }) => {
    const response = await request.get('/api/health');
    expect(response.status()).toBe(200);
    expect(response.headers()['cache-control']).toBe('no-store');
    const body = await response.json();
    expect(body).toEqual({
      status: 'ok',
      checks: { database: 'ok', ldap: 'ok', broker: 'ok' },
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
      pipeline: {
        ingesters: expect.any(Array),
        lagSeconds: body.pipeline.lagSeconds === null ? null : expect.any(Number),
        deadLetters: expect.any(Number),
        notificationBacklog: expect.any(Number),
        // The test stack's broker tells (statistics plugin); null would be a broker that does not.
        queueDepth: body.pipeline.queueDepth === null ? null : expect.any(Number),
        queues: body.pipeline.queues === null ? null : expect.any(Array),
      },
    });
  });

  test('liveness and readiness answer without a login, for a load balancer', async ({ request }) => {
    for (const url of ['/api/health/live', '/api/health/ready']) {
      const response = await request.get(url, { maxRedirects: 0 });
      expect(response.status(), url).toBe(200);
      expect(response.headers()['cache-control'], url).toBe('no-store');
    }
    expect(await (await request.get('/api/health/live')).json()).toEqual({ status: 'ok' });
    expect(await (await request.get('/api/health/ready')).json()).toEqual({ status: 'ok', database: 'ok' });
  });

  test('the site icon is served without a login (browsers ask for it on every page)', async ({ request }) => {
    const response = await request.get('/favicon.ico', { maxRedirects: 0 });
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toMatch(/image\/(x-icon|vnd\.microsoft\.icon)/);
    expect((await response.body()).subarray(0, 4)).toEqual(Buffer.from([0, 0, 1, 0]));
  });

  test('the push service worker and the web app manifest are served without a login (browsers fetch them without cookies)', async ({ request }) => {
    const worker = await request.get('/sw.js', { maxRedirects: 0 });
    expect(worker.status()).toBe(200);
    expect(await worker.text()).toContain("addEventListener('push'");
    const manifest = await request.get('/manifest.webmanifest', { maxRedirects: 0 });
    expect(manifest.status()).toBe(200);
    expect(((await manifest.json()) as { start_url: string }).start_url).toBe('/');
  });

  test('a page redirect keeps where the user was going', async ({ request }) => {
    const response = await request.get('/vms/1?tab=history', { maxRedirects: 0 });
    expect(new URL(response.headers().location!, 'http://x').searchParams.get('callbackUrl')).toBe('/vms/1?tab=history');
  });
});

test.describe('HTTP Basic for scripts', () => {
  test('each demo user gets their own identity', async ({ request }) => {
    const me = async (user: 'alice' | 'bob' | 'carol') => (await request.get('/api/v1/me', { headers: basic(user) })).json();
    expect(await me('alice')).toMatchObject({ username: 'alice', staff: false, account: { name: 'Acme Ltd' } });
    expect(await me('bob')).toMatchObject({ username: 'bob', staff: false, account: { name: 'Globex Corp' } });
    expect(await me('carol')).toMatchObject({ username: 'carol', staff: true, account: null });
  });

  test('alice lists exactly Acme’s two VMs', async ({ request }) => {
    const response = await request.get('/api/v1/vms', { headers: basic('alice') });
    expect(response.status()).toBe(200);
    const { vms } = await response.json();
    expect(vms.map((vm: { hostname: string }) => vm.hostname).sort()).toEqual(['db-01.acme.example', 'web-01.acme.example']);
    expect(vms.find((vm: { hostname: string }) => vm.hostname === 'web-01.acme.example')).toMatchObject({
      address: '192.0.2.10',
      ubuntuRelease: '22.04',
    });
  });

  test('another account’s VM answers 404, never its data', async ({ request }) => {
    const globex = await vmIds(request, 'bob');
    const appId = globex['app-01.globex.example']!;
    const asAlice = await request.get(`/api/v1/vms/${appId}`, { headers: basic('alice') });
    expect(asAlice.status()).toBe(404);
    expect(await asAlice.text()).not.toContain('globex');
    expect((await request.get(`/api/v1/vms/${appId}`, { headers: basic('bob') })).status()).toBe(200);
    for (const bad of ['0', '-1', 'abc', '1e3', '99999999999']) {
      expect((await request.get(`/api/v1/vms/${bad}`, { headers: basic('alice') })).status()).toBe(404);
    }
  });

  test('a wrong password and an unknown user get the same 401 with a Basic challenge', async ({ request }) => {
    const wrong = await request.get('/api/v1/vms', { headers: basic({ username: 'alice', password: 'nope' }) });
    const unknown = await request.get('/api/v1/vms', { headers: basic({ username: 'mallory', password: 'nope' }) });
    for (const response of [wrong, unknown]) {
      expect(response.status()).toBe(401);
      expect(response.headers()['www-authenticate']).toBe('Basic realm="Porthole", charset="UTF-8"');
    }
    expect(await wrong.json()).toEqual(await unknown.json());
  });

  for (const username of ['*', 'alice)(uid=*', '*)(|(uid=*', 'alice\0', 'a'.repeat(10_000)]) {
    test(`the username ${JSON.stringify(username.slice(0, 20))} is refused without a 500`, async ({ request }) => {
      const response = await request.get('/api/v1/me', { headers: basic({ username, password: 'alice-demo' }) });
      expect(response.status()).toBe(401);
    });
  }

  test('an empty password never logs anyone in (no anonymous bind)', async ({ request }) => {
    expect((await request.get('/api/v1/me', { headers: basic({ username: 'alice', password: '' }) })).status()).toBe(401);
  });

  test('repeated failures for one username are throttled with a clear message', async ({ request }) => {
    const victim = { username: `throttle-${Date.now()}`, password: 'wrong' };
    for (let i = 0; i < 5; i++) {
      expect((await request.get('/api/v1/me', { headers: basic(victim) })).status()).toBe(401);
    }
    const blocked = await request.get('/api/v1/me', { headers: basic(victim) });
    expect(blocked.status()).toBe(429);
    expect((await blocked.json()).error).toMatch(/Too many failed logins/);
  });
});

test.describe('a trusted front end', () => {
  // The test server trusts 127.0.0.2 (TRUSTED_PROXY_IPS); requests from 127.0.0.1 are ordinary clients.
  const get = (localAddress: string, headers: Record<string, string>) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port: E2E_PORT, path: '/api/v1/me', localAddress, headers }, (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
    });

  test('names the user only from a trusted address', async () => {
    const trusted = await get('127.0.0.2', { 'X-Remote-User': USERS.alice.username });
    expect(trusted.status).toBe(200);
    expect(JSON.parse(trusted.body)).toMatchObject({ username: 'alice' });
    const forged = await get('127.0.0.1', { 'X-Remote-User': 'alice', 'X-Forwarded-For': '127.0.0.2', 'X-Porthole-Peer': '127.0.0.2' });
    expect(forged.status).toBe(401);
  });
});

test.describe('staff-only API', () => {
  test('the pipeline status is for staff only', async ({ request }) => {
    const asCarol = await request.get('/api/v1/admin/pipeline', { headers: basic('carol') });
    expect(asCarol.status()).toBe(200);
    expect(await asCarol.json()).toMatchObject({ eventsLastMinute: expect.any(Number), deadLetters: expect.any(Number), ingesters: expect.any(Array) });
    expect((await request.get('/api/v1/admin/pipeline', { headers: basic('alice') })).status()).toBe(403);
  });
});
