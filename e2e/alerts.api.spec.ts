import { expect, test } from '@playwright/test';
import { basic, vmIds } from './fixtures';

// The alerts API: scoped to the caller's account, bad input refused with every problem and nothing changed.

const rule = (contactId: number, over: Record<string, unknown> = {}) => ({
  name: 'API rule', vms: 'all', hostEvents: true, services: { mode: 'all' }, triggers: ['CRITICAL'], hardOnly: true, forMinutes: 0, repeatMinutes: null,
  maxPerHour: null, groupMinutes: 0, digest: null, quiet: null, timeZone: 'Europe/London', detail: 'summary', contactIds: [contactId], ...over,
});

test('rules: create, read with summary, patch, delete; foreign ids and bad input refused', async ({ request }) => {
  const contacts = (await (await request.get('/api/v1/alerts/contacts', { headers: basic('alice') })).json()) as { contacts: Array<{ id: number; kind: string; verified: boolean }> };
  const email = contacts.contacts.find((c) => c.kind === 'email' && c.verified)!;
  expect(email).toBeDefined();
  const bobContacts = (await (await request.get('/api/v1/alerts/contacts', { headers: basic('bob') })).json()) as { contacts: Array<{ id: number }> };
  const bobVms = await vmIds(request, 'bob');

  const created = await request.post('/api/v1/alerts/rules', { headers: basic('alice'), data: rule(email.id) });
  expect(created.status()).toBe(201);
  const { rule: saved } = (await created.json()) as { rule: { id: number; summary: string; warnings: string[] } };
  expect(saved.summary).toContain('is CRITICAL');

  for (const bad of [
    rule(bobContacts.contacts[0]!.id),
    rule(email.id, { vms: [Object.values(bobVms)[0]] }),
    rule(email.id, { timeZone: 'Nowhere/Land' }),
    rule(email.id, { triggers: [] }),
    { name: 'x' },
  ]) {
    const r = await request.post('/api/v1/alerts/rules', { headers: basic('alice'), data: bad });
    expect(r.status(), JSON.stringify(bad)).toBe(400);
    expect(((await r.json()) as { problems: string[] }).problems.length).toBeGreaterThan(0);
  }
  const notJson = await request.post('/api/v1/alerts/rules', { headers: { ...basic('alice'), 'Content-Type': 'text/plain' }, data: 'rule' });
  expect(notJson.status()).toBe(400);

  expect((await request.patch(`/api/v1/alerts/rules/${saved.id}`, { headers: basic('bob'), data: { name: 'mine now' } })).status()).toBe(404);
  expect((await request.delete(`/api/v1/alerts/rules/${saved.id}`, { headers: basic('bob') })).status()).toBe(404);
  const patched = await request.patch(`/api/v1/alerts/rules/${saved.id}`, { headers: basic('alice'), data: { maxPerHour: 2 } });
  expect(patched.status()).toBe(200);
  expect(((await patched.json()) as { rule: { summary: string } }).rule.summary).toContain('at most 2 times an hour');
  expect((await request.delete(`/api/v1/alerts/rules/${saved.id}`, { headers: basic('alice') })).status()).toBe(204);
  expect((await request.get(`/api/v1/alerts/rules/${saved.id}`, { headers: basic('alice') })).status()).toBe(404);
});

test('rules: the mail checks alone are something to watch; a rule without the field does not watch them', async ({ request }) => {
  const contacts = (await (await request.get('/api/v1/alerts/contacts', { headers: basic('alice') })).json()) as { contacts: Array<{ id: number; kind: string; verified: boolean }> };
  const email = contacts.contacts.find((c) => c.kind === 'email' && c.verified)!;
  const created = await request.post('/api/v1/alerts/rules', { headers: basic('alice'), data: rule(email.id, { name: 'Mail only', triggers: [], mailChecks: true }) });
  expect(created.status()).toBe(201);
  const { rule: saved } = (await created.json()) as { rule: { id: number; summary: string; definition?: { mailChecks: boolean }; mailChecks?: boolean } };
  expect(saved.summary).toContain('a check of your mail domains finds problems');
  const plain = await request.post('/api/v1/alerts/rules', { headers: basic('alice'), data: rule(email.id, { name: 'No mail' }) });
  const { rule: other } = (await plain.json()) as { rule: { id: number; summary: string } };
  expect(other.summary).not.toContain('mail domains');
  const notBoolean = await request.post('/api/v1/alerts/rules', { headers: basic('alice'), data: rule(email.id, { triggers: [], mailChecks: 'yes' }) });
  expect(notBoolean.status()).toBe(400);
  for (const id of [saved.id, other.id]) expect((await request.delete(`/api/v1/alerts/rules/${id}`, { headers: basic('alice') })).status()).toBe(204);
});

test('deliveries: a cursor page of the caller only; staff see all under /api/v1/admin', async ({ request }) => {
  const page = await request.get('/api/v1/alerts/deliveries?limit=5', { headers: basic('alice') });
  expect(page.status()).toBe(200);
  const body = (await page.json()) as { deliveries: unknown[]; nextCursor: string | null };
  expect(Array.isArray(body.deliveries)).toBe(true);
  expect((await request.get('/api/v1/alerts/deliveries?limit=0', { headers: basic('alice') })).status()).toBe(400);
  expect((await request.get('/api/v1/alerts/deliveries?cursor=abc', { headers: basic('alice') })).status()).toBe(400);
  expect((await request.get('/api/v1/admin/alerts/deliveries', { headers: basic('alice') })).status()).toBe(403);
  expect((await request.get('/api/v1/admin/alerts/deliveries', { headers: basic('carol') })).status()).toBe(200);
  expect((await request.get('/api/v1/admin/alerts/rules', { headers: basic('carol') })).status()).toBe(200);
});

test('maintenance windows: plan, list, end; another account, bad times and bad bodies change nothing', async ({ request }) => {
  const aliceVms = await vmIds(request, 'alice');
  const bobVms = await vmIds(request, 'bob');
  const vmId = Object.values(aliceVms)[0]!;
  const bobVmId = Object.values(bobVms)[0]!;
  const list = async () => ((await (await request.get(`/api/v1/vms/${vmId}/maintenance`, { headers: basic('alice') })).json()) as { windows: Array<{ id: number; status: string }> }).windows;
  const before = await list();

  const created = await request.post(`/api/v1/vms/${vmId}/maintenance`, { headers: basic('alice'), data: { minutes: 90, reason: 'Kernel upgrade' } });
  expect(created.status()).toBe(201);
  const { window } = (await created.json()) as { window: { id: number; status: string; startsAt: string; endsAt: string; reason: string } };
  expect(window).toMatchObject({ status: 'active', reason: 'Kernel upgrade' });
  expect(Date.parse(window.endsAt) - Date.parse(window.startsAt)).toBe(90 * 60_000);
  const later = new Date(Date.now() + 86_400_000);
  const planned = await request.post(`/api/v1/vms/${vmId}/maintenance`, {
    headers: basic('alice'),
    data: { startsAt: later.toISOString(), endsAt: new Date(later.getTime() + 3_600_000).toISOString() },
  });
  expect(planned.status()).toBe(201);
  const upcoming = ((await planned.json()) as { window: { id: number; status: string } }).window;
  expect(upcoming.status).toBe('upcoming');
  expect((await list()).length).toBe(before.length + 2);

  // Another account: its VM, and alice's window through bob's login or under bob's VM.
  expect((await request.get(`/api/v1/vms/${vmId}/maintenance`, { headers: basic('bob') })).status()).toBe(404);
  expect((await request.post(`/api/v1/vms/${vmId}/maintenance`, { headers: basic('bob'), data: { minutes: 30 } })).status()).toBe(404);
  expect((await request.delete(`/api/v1/vms/${vmId}/maintenance/${window.id}`, { headers: basic('bob') })).status()).toBe(404);
  expect((await request.delete(`/api/v1/vms/${bobVmId}/maintenance/${window.id}`, { headers: basic('bob') })).status()).toBe(404);
  expect((await request.delete(`/api/v1/vms/${bobVmId}/maintenance/${window.id}`, { headers: basic('alice') })).status()).toBe(404);

  for (const bad of [
    {},
    { minutes: 0 },
    { minutes: 1.5 },
    { minutes: 'soon' },
    { minutes: 60 * 24 * 40 },
    { endsAt: '2001-01-01T00:00:00Z' },
    { endsAt: 'tomorrow' },
    { startsAt: later.toISOString(), endsAt: later.toISOString() },
    { minutes: 30, endsAt: later.toISOString() },
    { minutes: 30, reason: 'x'.repeat(256) },
    { minutes: 30, reason: 42 },
    { startsAt: new Date(Date.now() + 400 * 86_400_000).toISOString(), minutes: 30 },
  ]) {
    const r = await request.post(`/api/v1/vms/${vmId}/maintenance`, { headers: basic('alice'), data: bad });
    expect(r.status(), JSON.stringify(bad)).toBe(400);
    expect(((await r.json()) as { problems: string[] }).problems.length, JSON.stringify(bad)).toBeGreaterThan(0);
  }
  for (const body of ['[]', 'null', '"x"', '{']) {
    const r = await request.post(`/api/v1/vms/${vmId}/maintenance`, { headers: { ...basic('alice'), 'Content-Type': 'application/json' }, data: body });
    expect(r.status(), body).toBe(400);
  }
  expect((await list()).length).toBe(before.length + 2);

  const ended = await request.delete(`/api/v1/vms/${vmId}/maintenance/${window.id}`, { headers: basic('alice') });
  expect(await ended.json()).toEqual({ result: 'ended' });
  expect((await request.delete(`/api/v1/vms/${vmId}/maintenance/${window.id}`, { headers: basic('alice') })).status()).toBe(409);
  expect(await (await request.delete(`/api/v1/vms/${vmId}/maintenance/${upcoming.id}`, { headers: basic('alice') })).json()).toEqual({ result: 'removed' });
  expect((await request.delete(`/api/v1/vms/${vmId}/maintenance/${upcoming.id}`, { headers: basic('alice') })).status()).toBe(404);
  expect((await list()).length).toBe(before.length);
});

test('deliveries: filters by outcome; staff narrow to one account; a customer cannot widen their view', async ({ request }) => {
  const failed = (await (await request.get('/api/v1/alerts/deliveries?status=failed', { headers: basic('alice') })).json()) as { deliveries: Array<{ status: string }> };
  expect(failed.deliveries.every((d) => d.status === 'failed')).toBe(true);
  expect((await request.get('/api/v1/alerts/deliveries?status=lost', { headers: basic('alice') })).status()).toBe(400);
  const staff = (await (await request.get('/api/v1/admin/alerts/deliveries?limit=200', { headers: basic('carol') })).json()) as { deliveries: Array<{ accountId: number }> };
  const accountId = staff.deliveries[0]?.accountId;
  if (accountId !== undefined) {
    const narrowed = (await (await request.get(`/api/v1/admin/alerts/deliveries?accountId=${accountId}`, { headers: basic('carol') })).json()) as { deliveries: Array<{ accountId: number }> };
    expect(narrowed.deliveries.every((d) => d.accountId === accountId)).toBe(true);
  }
  expect((await request.get('/api/v1/admin/alerts/deliveries?accountId=x', { headers: basic('carol') })).status()).toBe(400);
  // accountId means nothing on the customer's route: bob still sees only his own.
  const bobOwn = (await (await request.get('/api/v1/alerts/deliveries?limit=200', { headers: basic('bob') })).json()) as { deliveries: Array<{ id: number }> };
  const bobWidened = (await (await request.get('/api/v1/alerts/deliveries?limit=200&accountId=1', { headers: basic('bob') })).json()) as { deliveries: Array<{ id: number }> };
  expect(bobWidened.deliveries.map((d) => d.id)).toEqual(bobOwn.deliveries.map((d) => d.id));
});
