import type { Database } from '../db/connection';
import { listPlans, vmPlan } from '../db/queries/orders';
import type { OwnedVm } from '../db/queries/vms';
import { planFits, recommendPlan } from './recommend';
import { vmForecast } from './vm-forecast';

/** Everything the plan page, the banners and the forecast API show for one VM. */
export async function vmPlanOutlook(db: Database, vm: OwnedVm, now: Date) {
  const [current, plans] = await Promise.all([vmPlan(db, vm), listPlans(db)]);
  const forecast = await vmForecast(db, vm, current, now);
  const all = plans.some((p) => p.id === current.id) ? plans : [current, ...plans];
  return { current, plans: all, forecast, fits: planFits(all, current.id, forecast.needs), recommended: recommendPlan(all, current.id, forecast.needs) };
}
