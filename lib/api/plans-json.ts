import type { OrderRecord } from '../db/queries/orders';
import type { PlanFit, PlanLimits } from '../plans/recommend';
import type { VmForecast } from '../plans/vm-forecast';

// The JSON of /api/v1/plans, /api/v1/vms/:id/forecast and the orders API, in one place.

export const planToJson = (p: PlanLimits) => ({
  id: p.id,
  slug: p.slug,
  name: p.name,
  vcpus: p.vcpus,
  memoryMb: p.memoryMb,
  diskGb: p.diskGb,
  transferGb: p.transferGb,
  priceMinor: p.priceCents,
  currency: 'EUR',
});

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function orderToJson(o: OrderRecord) {
  return {
    id: o.id,
    vmId: o.vmId,
    kind: o.kind,
    fromPlanId: o.fromPlanId,
    toPlanId: o.toPlanId,
    /** A rebuild's release; null for a plan change. */
    ubuntuRelease: o.targetRelease,
    idempotencyKey: o.idempotencyKey,
    status: o.status,
    amountMinor: o.amountMinor,
    currency: o.currency,
    proration: o.pricing,
    reason: o.reason,
    requestedBy: o.requestedBy,
    requestedAt: o.createdAt.toISOString(),
    sentAt: iso(o.sentAt),
    acceptedAt: iso(o.acceptedAt),
    completedAt: iso(o.completedAt),
    failedAt: iso(o.failedAt),
    cancelledAt: iso(o.cancelledAt),
    updatedAt: o.updatedAt.toISOString(),
  };
}

export function forecastToJson(f: VmForecast, fits: PlanFit[], recommended: PlanLimits | null) {
  return {
    disks: f.disks.map(({ service, mount, outlook: o }) => ({
      service,
      mount,
      status: o.status,
      usedBytes: o.used,
      capacityBytes: o.capacity,
      usedPct: o.usedPct,
      growthBytesPerDay: o.ratePerDay,
      daysUntilFull: o.daysUntilFull,
      fullBetween: o.fullBetween ? { earliest: iso(o.fullBetween.earliest), latest: iso(o.fullBetween.latest) } : null,
      asOf: iso(o.asOf),
      samples: o.sampleCount,
      message: o.message,
    })),
    transfer: f.transfer && {
      status: f.transfer.status,
      usedBytes: f.transfer.used,
      quotaBytes: f.transfer.quota,
      projectedBytes: f.transfer.projected,
      runsOutOn: iso(f.transfer.runsOutOn),
      periodStart: f.transfer.periodStart.toISOString(),
      periodEnd: f.transfer.periodEnd.toISOString(),
      asOf: iso(f.transfer.asOf),
      counterResets: f.transfer.resets,
      counterWraps: f.transfer.wraps,
      message: f.transfer.message,
    },
    attention: f.attention,
    recommendedPlanId: recommended?.id ?? null,
    plans: fits.map((p) => ({ planId: p.plan.id, fits: p.fits, problems: p.problems, current: p.isCurrent, upgrade: p.isUpgrade })),
  };
}
