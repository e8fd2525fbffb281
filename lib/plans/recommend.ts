// Which plans hold a VM's usage, which one to suggest, and which changes to refuse. Pure: the needs
// are computed elsewhere (lib/monitoring/usage) and passed in.

/** Plan disk sizes are GiB (df's units). */
export const GIB = 1024 ** 3;
/** Transfer quotas are decimal GB, as hosts bill them. */
export const GB = 1e9;

export class PlanFitError extends Error {
  override name = 'PlanFitError';
}

export interface PlanLimits {
  id: number;
  slug: string;
  name: string;
  vcpus: number;
  memoryMb: number;
  diskGb: number;
  transferGb: number;
  priceCents: number;
  /** ISO 4217 code of the price (EUR when not given). */
  currency?: string;
  sortOrder: number;
}

export interface UsageNeeds {
  /** Largest mount's used bytes now (null: unknown). */
  diskUsedBytes: number | null;
  /** Used bytes projected over the horizon (e.g. 90 days): what the disk must hold. */
  diskNeededBytes: number | null;
  /** This billing month so far. */
  transferUsedBytes: number | null;
  /** Projected month total. */
  transferProjectedBytes: number | null;
}

export interface PlanFit {
  plan: PlanLimits;
  fits: boolean;
  /** Plain-words reasons it does not fit, e.g. "Disk: 25 GiB is less than the 31 GiB your disk is projected to need, with 20 % spare." */
  problems: string[];
  isCurrent: boolean;
  /** Dearer than the current plan (at an equal price: later in sortOrder); false when the current plan is not in the list. */
  isUpgrade: boolean;
}

const DEFAULT_HEADROOM = 0.2;

function known(n: number | null): n is number {
  return n !== null && Number.isFinite(n) && n >= 0;
}

/** The larger of the known values; null if none is known. A projection never needs less than what is used now. */
function need(...values: (number | null)[]): number | null {
  const k = values.filter(known);
  return k.length === 0 ? null : Math.max(...k);
}

/** Rounded up to a tenth, so a need just over a whole-unit limit never prints as equal to it. */
function formatUp(bytes: number, unit: number): string {
  const tenths = Math.ceil((bytes / unit) * 10 - 1e-9) / 10;
  return Number.isInteger(tenths) ? String(tenths) : tenths.toFixed(1);
}

function headroomOf(options?: { headroom?: number }): number {
  const h = options?.headroom ?? DEFAULT_HEADROOM;
  if (!Number.isFinite(h) || h < 0) throw new PlanFitError(`headroom must be a non-negative number, got ${h}`);
  return h;
}

function problemsWith(plan: PlanLimits, needs: UsageNeeds, headroom: number): string[] {
  const problems: string[] = [];
  const spare = headroom > 0 ? `, with ${Math.round(headroom * 100)} % spare` : '';
  const disk = need(needs.diskUsedBytes, needs.diskNeededBytes);
  if (disk !== null && disk * (1 + headroom) > plan.diskGb * GIB) {
    problems.push(`Disk: ${plan.diskGb} GiB is less than the ${formatUp(disk * (1 + headroom), GIB)} GiB your disk is projected to need${spare}.`);
  }
  const transfer = need(needs.transferUsedBytes, needs.transferProjectedBytes);
  if (transfer !== null && transfer * (1 + headroom) > plan.transferGb * GB) {
    problems.push(
      `Transfer: ${plan.transferGb} GB a month is less than the ${formatUp(transfer * (1 + headroom), GB)} GB you are projected to use this month${spare}.`,
    );
  }
  return problems;
}

function byPriceThenOrder(a: PlanLimits, b: PlanLimits): number {
  return a.priceCents - b.priceCents || a.sortOrder - b.sortOrder || a.id - b.id;
}

/** Every plan against the needs (projections plus headroom), ordered by sortOrder then price. Unknown needs rule nothing out. */
export function planFits(plans: PlanLimits[], currentPlanId: number, needs: UsageNeeds, options?: { headroom?: number }): PlanFit[] {
  const headroom = headroomOf(options);
  const current = plans.find((p) => p.id === currentPlanId);
  return [...plans]
    .sort((a, b) => a.sortOrder - b.sortOrder || a.priceCents - b.priceCents || a.id - b.id)
    .map((plan) => {
      const problems = problemsWith(plan, needs, headroom);
      return {
        plan,
        fits: problems.length === 0,
        problems,
        isCurrent: plan.id === currentPlanId,
        isUpgrade: current !== undefined && plan.id !== current.id && byPriceThenOrder(plan, current) > 0,
      };
    });
}

/**
 * The smallest (cheapest, then lowest sortOrder) plan that holds the needs with headroom; null if the
 * current already does or none does. Also null when the current plan is not in `plans`: without it we
 * cannot tell whether a change is needed, and a prompt would be a guess (pass a retired current plan too).
 */
export function recommendPlan(plans: PlanLimits[], currentPlanId: number, needs: UsageNeeds, options?: { headroom?: number }): PlanLimits | null {
  const fits = planFits(plans, currentPlanId, needs, options);
  const current = fits.find((f) => f.isCurrent);
  if (!current || current.fits) return null;
  const candidates = fits.filter((f) => f.fits).map((f) => f.plan);
  return candidates.sort(byPriceThenOrder)[0] ?? null;
}

/**
 * Why moving to `target` must be refused: never shrink a disk below what is used now (no headroom:
 * the data must fit), nor a quota below this month's transfer already used. Empty = allowed.
 */
export function changeProblems(target: PlanLimits, needs: UsageNeeds): string[] {
  const problems: string[] = [];
  if (known(needs.diskUsedBytes) && needs.diskUsedBytes > target.diskGb * GIB) {
    problems.push(`Disk: ${target.diskGb} GiB is less than the ${formatUp(needs.diskUsedBytes, GIB)} GiB already in use.`);
  }
  if (known(needs.transferUsedBytes) && needs.transferUsedBytes > target.transferGb * GB) {
    problems.push(`Transfer: ${target.transferGb} GB a month is less than the ${formatUp(needs.transferUsedBytes, GB)} GB already used this month.`);
  }
  return problems;
}
