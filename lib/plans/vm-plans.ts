import { LRUCache } from 'lru-cache';
import type { Database } from '../db/connection';
import { listPlans, vmPlan, vmPlans } from '../db/queries/orders';
import { newestUsageSample } from '../db/queries/usage';
import { type SeriesInfo, seriesListForVm, seriesListForVms } from '../db/queries/vm-metrics';
import type { OwnedVm } from '../db/queries/vms';
import { type PlanLimits, planFits, recommendPlan } from './recommend';
import { vmForecast, type VmForecast } from './vm-forecast';

// A VM's forecast changes when a new sample arrives (hourly, typically) or the plan changes, not per
// page view: each web process keeps the last few thousand, keyed by VM, plan and newest sample, and
// recomputes at least every few minutes so "full in N days" moves with the clock. Measured with
// bench:forecast: the VM page's data took 2.6x as long with the forecast computed on every view.
const FRESH_MS = 5 * 60_000;
const forecasts = new LRUCache<string, VmForecast>({ max: 5_000, ttl: FRESH_MS });

/** Everything the plan page, the banners and the forecast API show for one VM. */
export async function vmPlanOutlook(db: Database, vm: OwnedVm, now: Date) {
  const [current, plans, series] = await Promise.all([vmPlan(db, vm), listPlans(db), seriesListForVm(db, vm)]);
  return outlookOf(db, vm, current, plans, series, now);
}

export type VmPlanOutlook = Awaited<ReturnType<typeof vmPlanOutlook>>;

/** The same for several checked VMs (the dashboard) in three queries, plus the forecasts not cached. */
export async function vmPlanOutlooks(db: Database, checked: readonly OwnedVm[], now: Date): Promise<Map<number, VmPlanOutlook>> {
  if (checked.length === 0) return new Map();
  const [current, plans, series] = await Promise.all([vmPlans(db, checked), listPlans(db), seriesListForVms(db, checked)]);
  const out = new Map<number, VmPlanOutlook>();
  await Promise.all(
    checked.map(async (vm) => {
      const plan = current.get(vm.id);
      if (plan) out.set(vm.id, await outlookOf(db, vm, plan, plans, series.get(vm.id) ?? [], now));
    }),
  );
  return out;
}

async function outlookOf(db: Database, vm: OwnedVm, current: PlanLimits, plans: PlanLimits[], series: SeriesInfo[], now: Date) {
  const key = `${vm.id}:${current.id}:${current.transferGb}:${vm.billingDay}:${newestUsageSample(series)}`;
  let forecast = forecasts.get(key);
  if (!forecast) {
    forecast = await vmForecast(db, vm, current, now, series);
    forecasts.set(key, forecast);
  }
  const all = plans.some((p) => p.id === current.id) ? plans : [current, ...plans];
  return { current, plans: all, forecast, fits: planFits(all, current.id, forecast.needs), recommended: recommendPlan(all, current.id, forecast.needs) };
}
