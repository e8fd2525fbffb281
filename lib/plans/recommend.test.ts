import { describe, it, expect } from 'vitest';
import { GB, GIB, PlanFitError, changeProblems, planFits, recommendPlan } from './recommend';
import type { PlanLimits, UsageNeeds } from './recommend';

const plan = (id: number, diskGb: number, transferGb: number, priceCents: number, sortOrder = id): PlanLimits => ({
  id,
  slug: `p${id}`,
  name: `Plan ${id}`,
  vcpus: 1,
  memoryMb: 1024,
  diskGb,
  transferGb,
  priceCents,
  sortOrder,
});

const small = plan(1, 25, 1000, 600);
const medium = plan(2, 50, 2000, 1200);
const large = plan(3, 100, 4000, 2000);
const plans = [large, small, medium];

const unknown: UsageNeeds = { diskUsedBytes: null, diskNeededBytes: null, transferUsedBytes: null, transferProjectedBytes: null };
const needs = (n: Partial<UsageNeeds>): UsageNeeds => ({ ...unknown, ...n });

describe('planFits', () => {
  it('checks every plan against the projected needs plus headroom, ordered by sortOrder then price', () => {
    // 22 GiB used, 26 GiB projected: 31.2 GiB with 20 % spare.
    const fits = planFits(plans, 1, needs({ diskUsedBytes: 22 * GIB, diskNeededBytes: 26 * GIB }));
    expect(fits.map((f) => f.plan.id)).toEqual([1, 2, 3]);
    expect(fits.map((f) => f.fits)).toEqual([false, true, true]);
    expect(fits[0]?.problems).toEqual(['Disk: 25 GiB is less than the 31.2 GiB your disk is projected to need, with 20 % spare.']);
    expect(fits.map((f) => f.isCurrent)).toEqual([true, false, false]);
    expect(fits.map((f) => f.isUpgrade)).toEqual([false, true, true]);
  });

  it('explains a transfer shortfall in decimal GB', () => {
    const fits = planFits(plans, 1, needs({ transferUsedBytes: 400 * GB, transferProjectedBytes: 900 * GB }));
    expect(fits[0]?.problems).toEqual(['Transfer: 1000 GB a month is less than the 1080 GB you are projected to use this month, with 20 % spare.']);
    expect(fits[1]?.fits).toBe(true);
  });

  it('never prints a need that rounds down to the limit', () => {
    const fits = planFits([small], 1, needs({ diskNeededBytes: 25 * GIB + 1 }), { headroom: 0 });
    expect(fits[0]?.problems).toEqual(['Disk: 25 GiB is less than the 25.1 GiB your disk is projected to need.']);
  });

  it('orders by price when sortOrder ties, and marks downgrades', () => {
    const a = plan(10, 50, 1000, 900, 5);
    const b = plan(11, 50, 1000, 700, 5);
    const fits = planFits([a, b, small], 10, unknown);
    expect(fits.map((f) => f.plan.id)).toEqual([1, 11, 10]);
    expect(fits.map((f) => f.isUpgrade)).toEqual([false, false, false]);
  });

  it('rejects a negative headroom', () => {
    expect(() => planFits(plans, 1, unknown, { headroom: -0.1 })).toThrow(PlanFitError);
  });
});

describe('recommendPlan', () => {
  it('recommends the smallest plan that fits, with headroom', () => {
    // 42 GiB projected: 50.4 GiB with 20 % spare, over the medium plan's 50.
    expect(recommendPlan(plans, 1, needs({ diskUsedBytes: 30 * GIB, diskNeededBytes: 42 * GIB }))).toBe(large);
    expect(recommendPlan(plans, 1, needs({ diskUsedBytes: 30 * GIB, diskNeededBytes: 42 * GIB }), { headroom: 0 })).toBe(medium);
  });

  it('counts the larger of used and projected, so a falling projection still holds today’s data', () => {
    expect(recommendPlan(plans, 1, needs({ diskUsedBytes: 30 * GIB, diskNeededBytes: 10 * GIB }))).toBe(medium);
  });

  it('recommends nothing when the current plan fits', () => {
    expect(recommendPlan(plans, 2, needs({ diskUsedBytes: 30 * GIB, diskNeededBytes: 35 * GIB }))).toBeNull();
  });

  it('recommends nothing when no plan fits', () => {
    expect(recommendPlan(plans, 1, needs({ diskNeededBytes: 500 * GIB }))).toBeNull();
  });

  it('does not rule plans out on unknown usage', () => {
    expect(recommendPlan(plans, 1, unknown)).toBeNull();
    // Disk unknown, transfer over the small plan.
    expect(recommendPlan(plans, 1, needs({ transferProjectedBytes: 1500 * GB }))).toBe(medium);
    // Non-finite values count as unknown.
    expect(planFits(plans, 1, needs({ diskNeededBytes: Number.NaN })).every((f) => f.fits)).toBe(true);
  });

  it('needs disk and transfer to fit together', () => {
    expect(recommendPlan(plans, 1, needs({ diskNeededBytes: 30 * GIB, transferProjectedBytes: 2000 * GB }))).toBe(large);
  });

  it('breaks an equal-price tie by sortOrder', () => {
    const late = plan(4, 60, 3000, 1500, 9);
    const early = plan(5, 60, 3000, 1500, 2);
    expect(recommendPlan([small, late, early], 1, needs({ diskNeededBytes: 40 * GIB }))).toBe(early);
  });

  it('recommends nothing when the current plan is not in the list', () => {
    expect(recommendPlan(plans, 99, needs({ diskNeededBytes: 40 * GIB }))).toBeNull();
  });
});

describe('changeProblems', () => {
  it('refuses a downgrade when the used disk does not fit, without headroom', () => {
    expect(changeProblems(small, needs({ diskUsedBytes: 26.3 * GIB }))).toEqual(['Disk: 25 GiB is less than the 26.3 GiB already in use.']);
    // 24 GiB used fits 25 GiB even though 24 × 1.2 would not.
    expect(changeProblems(small, needs({ diskUsedBytes: 24 * GIB, diskNeededBytes: 40 * GIB }))).toEqual([]);
  });

  it('refuses a quota below this month’s transfer already used', () => {
    expect(changeProblems(small, needs({ transferUsedBytes: 1200 * GB, transferProjectedBytes: 3000 * GB }))).toEqual([
      'Transfer: 1000 GB a month is less than the 1200 GB already used this month.',
    ]);
  });

  it('allows any change on unknown usage, and an upgrade always', () => {
    expect(changeProblems(small, unknown)).toEqual([]);
    expect(changeProblems(large, needs({ diskUsedBytes: 60 * GIB, transferUsedBytes: 1500 * GB }))).toEqual([]);
  });
});
