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
