import { expect, test } from '@playwright/test';
import { basic } from './fixtures';

// Onboarding by script: staff create and change accounts, VMs and plans through /api/v1/admin with the
// same checks as the console; every bad request lists its problems and changes nothing; customers and
// strangers are refused.

const run = Date.now().toString(36);

test('staff create an account, a plan and a VM, change them, and are told what is wrong with bad input', async ({ request }) => {
  const staff = { headers: basic('carol') };
  const account = await request.post('/api/v1/admin/accounts', { ...staff, data: { key: `initech-${run}`, name: `Initech ${run}`, contactEmail: 'it@initech.example' } });
  expect(account.status()).toBe(201);
  const { account: a } = (await account.json()) as { account: { id: number; key: string } };
  expect(a).toMatchObject({ key: `initech-${run}` });
  expect(a.id).toBeGreaterThan(0);

  const plan = await request.post('/api/v1/admin/plans', { ...staff, data: { slug: `xl-${run}`, name: 'XL', priceMinor: 8000, currency: 'eur', diskGb: 320, transferGb: 10000, memoryMb: 16384, cpus: 8 } });
  expect(plan.status()).toBe(201);
  const { plan: p } = (await plan.json()) as { plan: { id: number; currency: string; active: boolean } };
  expect(p).toMatchObject({ currency: 'EUR', active: true });

  const vmBody = { accountKey: `initech-${run}`, nagiosHostName: `app-${run}.initech.example`, hostname: `app-${run}.initech.example`, address: '203.0.113.7', addressV6: '2001:db8::7', ubuntuRelease: '24.04', planSlug: `xl-${run}` };
  const vm = await request.post('/api/v1/admin/vms', { ...staff, data: vmBody });
  expect(vm.status()).toBe(201);
  const { vm: v } = (await vm.json()) as { vm: { id: number; accountId: number; planSlug: string; addressV6: string } };
  expect(v).toMatchObject({ accountId: a.id, planSlug: `xl-${run}`, addressV6: '2001:db8::7' });

  // Bad input: every problem listed, nothing created.
  const before = ((await (await request.get('/api/v1/admin/vms', staff)).json()) as { vms: unknown[] }).vms.length;
  for (const [url, data, expected] of [
    ['/api/v1/admin/accounts', { key: `initech-${run}`, name: 'again' }, /key: an account with the key .* exists already/],
    ['/api/v1/admin/accounts', { key: 'Has Spaces', name: '' }, /key: .*name: enter a name/s],
    ['/api/v1/admin/vms', vmBody, /nagiosHostName: a VM with this Nagios host name exists already/],
    ['/api/v1/admin/vms', { ...vmBody, nagiosHostName: `other-${run}`, address: '999.1.1.1' }, /address: an IPv4 or IPv6 address/],
    ['/api/v1/admin/vms', { ...vmBody, nagiosHostName: `other-${run}`, addressV6: '203.0.113.8' }, /addressV6: an IPv6 address/],
    ['/api/v1/admin/vms', { ...vmBody, nagiosHostName: `other ${run}` }, /nagiosHostName: no spaces/],
    ['/api/v1/admin/vms', { ...vmBody, nagiosHostName: `other-${run}`, accountKey: 'no-such-account', planSlug: 'no-such-plan' }, /accountKey: no account .*planSlug: no plan/s],
    ['/api/v1/admin/plans', { slug: `xl-${run}`, name: 'XL', priceMinor: 1, diskGb: 1, transferGb: 1, memoryMb: 512, cpus: 1 }, /slug: a plan with the slug .* exists already/],
    ['/api/v1/admin/plans', { slug: `half-${run}`, name: 'Half', priceMinor: 1.5, diskGb: 1, transferGb: 1, memoryMb: 512, cpus: 1, extra: true }, /priceMinor: a whole number of cents/],
  ] as const) {
    const r = await request.post(url, { ...staff, data });
    expect(r.status(), JSON.stringify(data)).toBe(400);
    expect(((await r.json()) as { problems: string[] }).problems.join(' | ')).toMatch(expected);
  }
  expect(((await (await request.get('/api/v1/admin/vms', staff)).json()) as { vms: unknown[] }).vms.length).toBe(before);

  // Changes: only the fields given; a VM moves to another account; a plan is retired, never deleted.
  const renamed = await request.patch(`/api/v1/admin/accounts/${a.id}`, { ...staff, data: { name: `Initech Ltd ${run}` } });
  expect(await renamed.json()).toMatchObject({ account: { name: `Initech Ltd ${run}`, contactEmail: 'it@initech.example' } });
  const moved = await request.patch(`/api/v1/admin/vms/${v.id}`, { ...staff, data: { accountKey: 'globex', hostname: `moved-${run}.example` } });
  expect(moved.status()).toBe(200);
  expect(await moved.json()).toMatchObject({ vm: { accountKey: 'globex', hostname: `moved-${run}.example`, nagiosHostName: `app-${run}.initech.example` } });
  const retired = await request.patch(`/api/v1/admin/plans/${p.id}`, { ...staff, data: { active: false } });
  expect(await retired.json()).toMatchObject({ plan: { active: false, priceMinor: 8000 } });
  expect(((await (await request.get('/api/v1/plans', staff)).json()) as { plans: Array<{ id: number }> }).plans.some((x) => x.id === p.id)).toBe(false);
  expect((await request.patch('/api/v1/admin/vms/999999999', { ...staff, data: { hostname: 'x' } })).status()).toBe(404);
  expect((await request.patch(`/api/v1/admin/vms/${v.id}`, { ...staff, data: { bogus: 1 } })).status()).toBe(400);
  // Put it back with its own account, out of bob's view for the other tests.
  await request.patch(`/api/v1/admin/vms/${v.id}`, { ...staff, data: { accountKey: `initech-${run}` } });
});

test('customers and strangers are refused, and change nothing', async ({ request }) => {
  for (const url of ['/api/v1/admin/accounts', '/api/v1/admin/vms', '/api/v1/admin/plans']) {
    expect((await request.get(url, { headers: basic('alice') })).status(), url).toBe(403);
    expect((await request.post(url, { headers: basic('alice'), data: { key: `alice-${run}`, name: 'mine' } })).status(), url).toBe(403);
    expect((await request.get(url)).status(), url).toBe(401);
  }
  expect((await request.patch('/api/v1/admin/accounts/1', { headers: basic('bob'), data: { name: 'Bob Corp' } })).status()).toBe(403);
});
