import http from 'node:http';
import { expect, test } from '@playwright/test';
import { E2E_PORT } from '../scripts/test-setup/test-env';
import { basic, vmIds } from './fixtures';

// /api/v1/vms/:id/{events,availability,metrics,stream}: shapes, validation and scoping, over HTTP Basic.

let web = 0;
let app = 0;
test.beforeAll(async ({ request }) => {
  web = (await vmIds(request, 'alice'))['web-01.acme.example']!;
  app = (await vmIds(request, 'bob'))['app-01.globex.example']!;
});

test.describe('events', () => {
  test('newest first with both wordings, and a cursor that walks every event once', async ({ request }) => {
    const first = await request.get(`/api/v1/vms/${web}/events?limit=5`, { headers: basic('alice') });
    expect(first.status()).toBe(200);
    expect(first.headers()['cache-control']).toBe('no-store');
    const body = await first.json();
    expect(body.vm).toEqual({ id: web, hostname: 'web-01.acme.example' });
    expect(body.events).toHaveLength(5);
    const [e] = body.events;
    expect(Object.keys(e).sort()).toEqual(
      ['attempt', 'id', 'kind', 'longOutput', 'maxAttempts', 'occurredAt', 'output', 'perfdata', 'service', 'state', 'stateDurationSec', 'stateType', 'summary'].sort(),
    );
    expect(e).toMatchObject({ id: expect.any(Number), occurredAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/), stateType: expect.stringMatching(/^(HARD|SOFT)$/) });
    expect(e.kind === 'host' ? e.service === null : typeof e.service === 'string').toBe(true);
    expect(e.summary).toContain('web-01.acme.example');
    const times = body.events.map((e: { occurredAt: string }) => e.occurredAt);
    expect([...times].sort().reverse()).toEqual(times);

    const seen = new Set<number>();
    let cursor: string | null = null;
    let total = 0;
    for (let i = 0; i < 50; i++) {
      const page = await (await request.get(`/api/v1/vms/${web}/events?limit=20${cursor ? `&cursor=${cursor}` : ''}`, { headers: basic('alice') })).json();
      for (const e of page.events) seen.add(e.id);
      total += page.events.length;
      cursor = page.nextCursor;
      if (!cursor) break;
    }
    expect(cursor).toBeNull();
    expect(seen.size).toBe(total);
    expect(total).toBeGreaterThan(20);
  });

  test('filters by service, state and type; bad input is a 400 that says what is wrong', async ({ request }) => {
    const get = (q: string) => request.get(`/api/v1/vms/${web}/events?${q}`, { headers: basic('alice') });
    const soft = await (await get('state=warning,critical&type=SOFT&limit=200')).json();
    expect(soft.events.length).toBeGreaterThan(0);
    for (const e of soft.events) {
      expect(['WARNING', 'CRITICAL']).toContain(e.state);
      expect(e.stateType).toBe('SOFT');
      expect(e.summary).toContain('we are checking again');
    }
    const host = await (await get('kind=host')).json();
    expect(host.events.every((e: { service: null; kind: string }) => e.service === null && e.kind === 'host')).toBe(true);
    for (const [q, message] of [
      ['state=FINE', /^state: expected UP, DOWN, UNREACHABLE, OK, WARNING, CRITICAL, UNKNOWN \(got "FINE"\)$/],
      ['limit=0', /^limit: must be at least 1$/],
      ['from=tomorrow', /^from: expected a date/],
      ['from=2026-01-02&to=2026-01-01', /^to: must be later than from$/],
      ['cursor=xyz!', /^cursor: not a cursor this server gave out$/],
    ] as const) {
      const response = await get(q);
      expect(response.status(), q).toBe(400);
      expect((await response.json()).error).toMatch(message);
    }
  });
});

test.describe('availability', () => {
  test('the last 24 hours by default, per host and service, no data never counted as up', async ({ request }) => {
    const response = await request.get(`/api/v1/vms/${web}/availability`, { headers: basic('alice') });
    expect(response.status()).toBe(200);
    const body = await response.json();
    expect(Date.parse(body.to) - Date.parse(body.from)).toBe(24 * 3_600_000);
    expect(body.hardOnly).toBe(true);
    expect(body.host).toMatchObject({ windowMs: expect.any(Number), upMs: expect.any(Number), noDataMs: expect.any(Number), states: expect.any(Object) });
    expect(body.services.map((s: { service: string }) => s.service)).toEqual(expect.arrayContaining(['HTTP', 'SSH', 'PING']));
    for (const s of body.services) {
      expect(s.upMs + s.noDataMs).toBeLessThanOrEqual(s.windowMs);
      expect(s.availabilityPctOfWindow).toBeCloseTo((s.upMs / s.windowMs) * 100, 6);
      // The stated figure: available of the time counted; every state, no data and not monitored add up.
      expect(s.breakdown.map((e: { state: string }) => e.state)).toEqual(expect.arrayContaining(['OK', 'WARNING', 'CRITICAL', 'UNKNOWN', 'NO_DATA', 'NOT_MONITORED']));
      expect(s.breakdown.reduce((sum: number, e: { ms: number }) => sum + e.ms, 0)).toBe(s.windowMs);
      expect(s.availableMs + s.downMs + s.leftOutMs).toBe(s.windowMs);
      if (s.slaPct !== null) expect(s.slaPct).toBeCloseTo((s.availableMs / (s.availableMs + s.downMs)) * 100, 6);
    }
    expect(body.host.breakdown.map((e: { state: string }) => e.state)).toEqual(['UP', 'DOWN', 'UNREACHABLE', 'NO_DATA', 'NOT_MONITORED']);
    expect(body.sla).toMatchObject({ warningIsUp: expect.any(Boolean), unknownIsDown: expect.any(Boolean), description: expect.stringContaining('Available =') });
  });

  test('a custom range and the SOFT switch; a range before any data is all no data', async ({ request }) => {
    const before = await (await request.get(`/api/v1/vms/${web}/availability?from=2020-01-01T00:00:00Z&to=2020-01-08T00:00:00Z`, { headers: basic('alice') })).json();
    expect(before.host).toMatchObject({ noDataPct: 100, availabilityPct: null, availabilityPctOfWindow: 0, slaPct: null, notMonitoredMs: 7 * 86_400_000 });
    const soft = await request.get(`/api/v1/vms/${web}/availability?from=${new Date(Date.now() - 30 * 86_400_000).toISOString()}&hardOnly=false`, { headers: basic('alice') });
    expect((await soft.json()).hardOnly).toBe(false);
    const bad = await request.get(`/api/v1/vms/${web}/availability?from=2020-01-01&to=2024-01-01`, { headers: basic('alice') });
    expect(bad.status()).toBe(400);
    expect(await bad.json()).toEqual({ error: 'to: the range may span at most 400 days' });
  });
});

test.describe('metrics', () => {
  test('lists the series, then one series in base units with its thresholds', async ({ request }) => {
    const list = await (await request.get(`/api/v1/vms/${web}/metrics`, { headers: basic('alice') })).json();
    expect(list.series).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ service: 'Disk /', label: '/', unit: 'MB' }),
        expect.objectContaining({ service: 'Load', label: 'load1', unit: '' }),
      ]),
    );
    const disk = await (await request.get(`/api/v1/vms/${web}/metrics?label=/&points=50`, { headers: basic('alice') })).json();
    expect(disk.series).toMatchObject({ service: 'Disk /', label: '/', unit: 'B', thresholds: { warn: expect.any(Number), crit: expect.any(Number) } });
    expect(disk.series.points.length).toBeGreaterThan(10);
    expect(disk.series.points.length).toBeLessThanOrEqual(50);
    expect(disk.series.thresholds.crit).toBeGreaterThan(disk.series.thresholds.warn);
    const missing = await request.get(`/api/v1/vms/${web}/metrics?label=nope`, { headers: basic('alice') });
    expect(missing.status()).toBe(404);
    expect((await missing.json()).error).toBe('No series "nope" for this VM.');
    const bad = await request.get(`/api/v1/vms/${web}/metrics?label=load1&points=1`, { headers: basic('alice') });
    expect(bad.status()).toBe(400);
  });
});

test.describe('scoping', () => {
  test('another account’s VM is a 404 on every endpoint, and the owner gets 200', async ({ request }) => {
    for (const suffix of ['/events', '/availability', '/metrics', '/stream']) {
      const asAlice = await request.get(`/api/v1/vms/${app}${suffix}`, { headers: basic('alice') });
      expect(asAlice.status(), suffix).toBe(404);
      expect(await asAlice.json()).toEqual({ error: 'Not found.' });
      if (suffix !== '/stream') expect((await request.get(`/api/v1/vms/${app}${suffix}`, { headers: basic('bob') })).status(), suffix).toBe(200);
    }
    for (const bad of ['0', 'abc', '99999999999']) {
      expect((await request.get(`/api/v1/vms/${bad}/events`, { headers: basic('alice') })).status()).toBe(404);
    }
  });

  test("staff read any VM's API as its customer sees it, but write nothing and have no account views", async ({ request }) => {
    for (const suffix of ['', '/events', '/availability', '/metrics', '/sources', '/forecast', '/orders', '/maintenance']) {
      expect((await request.get(`/api/v1/vms/${web}${suffix}`, { headers: basic('carol') })).status(), suffix).toBe(200);
    }
    expect((await request.get('/api/v1/vms/99999999/events', { headers: basic('carol') })).status()).toBe(404);
    // Account-level views and every write stay with the account's own users.
    expect((await request.get('/api/v1/vms', { headers: basic('carol') })).status()).toBe(403);
    expect((await request.post(`/api/v1/vms/${web}/maintenance`, { headers: basic('carol'), data: { minutes: 30 } })).status()).toBe(403);
    expect((await request.post(`/api/v1/vms/${web}/orders`, { headers: basic('carol'), data: { planId: 2, idempotencyKey: 'carol-tries-1234' } })).status()).toBe(403);
  });
});

test.describe('stream', () => {
  test('is an event stream that starts with "ready"', async () => {
    const { status, type, first } = await new Promise<{ status: number; type: string; first: string }>((resolve, reject) => {
      const req = http.get(
        { host: '127.0.0.1', port: E2E_PORT, path: `/api/v1/vms/${web}/stream`, headers: { ...basic('alice'), Accept: 'text/event-stream' } },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            text += chunk;
            if (text.includes('\n\n')) {
              req.destroy();
              resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), first: text });
            }
          });
        },
      );
      req.on('error', reject);
      setTimeout(() => reject(new Error('no event within 5 s')), 5_000);
    });
    expect(status).toBe(200);
    expect(type).toBe('text/event-stream; charset=utf-8');
    expect(first).toMatch(/^retry: 2000\nevent: ready\ndata: \{"vm":\d+,"after":\d+\}\n\n$/);
  });

  test('refuses a malformed start id', async ({ request }) => {
    const response = await request.get(`/api/v1/vms/${web}/stream?after=last`, { headers: basic('alice') });
    expect(response.status()).toBe(400);
  });
});
