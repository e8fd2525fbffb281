import { describe, expect, it } from 'vitest';
import { orderEndedWords } from '../notify/forecasts';
import { orderChangeWords } from './order-words';
import { requestBody } from './orders';
import type { PlanLimits } from './recommend';

const names = new Map([
  [1, 'Small'],
  [2, 'Medium'],
]);

describe('orderChangeWords', () => {
  it('says a plan change by its plans and a rebuild by its release', () => {
    expect(orderChangeWords({ kind: 'upgrade', targetRelease: null, fromPlanId: 1, toPlanId: 2 }, (id) => names.get(id))).toBe('Small → Medium');
    expect(orderChangeWords({ kind: 'upgrade', targetRelease: null, fromPlanId: 1, toPlanId: 9 }, (id) => names.get(id))).toBe('Small → plan 9');
    expect(orderChangeWords({ kind: 'rebuild', targetRelease: '24.04', fromPlanId: 2, toPlanId: 2 }, (id) => names.get(id))).toBe('Rebuild on Ubuntu 24.04');
  });
});

describe('orderEndedWords', () => {
  const base = { id: 7, reason: null, fromPlanName: 'Medium', toPlanName: 'Medium', hostname: 'db-01.acme.example' };
  it('tells of a finished rebuild with its release, the lost data and the packages page', () => {
    const words = orderEndedWords({ ...base, status: 'completed', kind: 'rebuild', targetRelease: '24.04' });
    expect(words).toMatchObject({ service: 'rebuild', page: 'packages', subject: 'db-01.acme.example has been rebuilt on Ubuntu 24.04' });
    expect(words.text).toMatch(/backups/);
    expect(orderEndedWords({ ...base, status: 'failed', reason: 'no capacity', kind: 'rebuild', targetRelease: '24.04' }).text).toContain('could not be carried out: no capacity');
  });
  it('keeps the plan change words', () => {
    expect(orderEndedWords({ ...base, toPlanName: 'Large', status: 'completed' })).toMatchObject({ service: 'plan change', page: 'plan', subject: 'db-01.acme.example is now on Large' });
  });
});

describe('requestBody', () => {
  const plan: PlanLimits = { id: 2, slug: 'medium', name: 'Medium', vcpus: 2, memoryMb: 4096, diskGb: 80, transferGb: 3000, priceCents: 2000, currency: 'EUR', sortOrder: 2 };
  const input = {
    orderId: 43,
    idempotencyKey: 'key-12345678',
    vm: { id: 4, nagiosHostName: 'db-01', hostname: 'db-01.acme.example', address: '192.0.2.11' },
    fromPlan: plan,
    toPlan: plan,
    amountMinor: 0,
    currency: 'EUR',
    requestedBy: 'alice',
    requestedAt: '2026-12-03T10:20:00.000Z',
  };
  it('keeps the plan change as it was, with kind added', () => {
    const body = JSON.parse(requestBody(input)) as Record<string, unknown>;
    expect(body).toMatchObject({ type: 'porthole.plan-change', version: 1, kind: 'upgrade', orderId: 43, fromPlan: { slug: 'medium', priceMinor: 2000 } });
    expect(body).not.toHaveProperty('ubuntuRelease');
  });
  it('gives a rebuild a type of its own with the release to install', () => {
    const body = JSON.parse(requestBody({ ...input, rebuild: { ubuntuRelease: '24.04', fromRelease: '20.04' } })) as Record<string, unknown>;
    expect(body).toMatchObject({ type: 'porthole.rebuild', version: 1, kind: 'rebuild', ubuntuRelease: '24.04', fromRelease: '20.04', amountMinor: 0, toPlan: { id: 2 } });
  });
});
