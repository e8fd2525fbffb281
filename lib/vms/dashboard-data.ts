import type { Database } from '../db/connection';
import { loadReleaseTable } from '../db/queries/releases';
import { type VmSummary, accountVmsWithStates } from '../db/queries/vms';
import { type VmPlanOutlook, vmPlanOutlooks } from '../plans/vm-plans';
import { type NearestForecast, nearestForecast, sortWorstFirst } from './dashboard';

// Everything the dashboard (app/(portal)/page.tsx) shows, in one framework-free call, so the benchmark's
// bare handler runs exactly its queries (scripts/bench/portal-bare.ts): the account's VMs with their
// states (two queries), the release table, and the forecasts of the first FORECAST_VMS in three queries
// for all of them (plus the forecasts not cached, lib/plans/vm-plans.ts), not three per VM.

/** Forecasts are read for this many VMs on the dashboard; every VM's own page has its own. */
export const FORECAST_VMS = 50;

export interface DashboardData {
  /** Worst first, then by name. */
  vms: VmSummary[];
  releases: Awaited<ReturnType<typeof loadReleaseTable>>;
  /** Of the first FORECAST_VMS, in the list's order. */
  outlooks: Array<{ vm: { id: number; hostname: string }; outlook: VmPlanOutlook }>;
  nearest: Map<number, NearestForecast | null>;
}

export async function dashboardData(db: Database, accountId: number, today: Date): Promise<DashboardData> {
  const [{ owned, summaries }, releases] = await Promise.all([accountVmsWithStates(db, accountId), loadReleaseTable(db)]);
  const vms = sortWorstFirst(summaries);
  const byId = new Map(owned.map((vm) => [vm.id, vm]));
  const first = vms.slice(0, FORECAST_VMS).flatMap((v) => {
    const vm = byId.get(v.id);
    return vm ? [vm] : [];
  });
  const found = await vmPlanOutlooks(db, first, today);
  const outlooks = first.flatMap((vm) => {
    const outlook = found.get(vm.id);
    return outlook ? [{ vm: { id: vm.id, hostname: vm.hostname }, outlook }] : [];
  });
  const nearest = new Map(outlooks.map((o) => [o.vm.id, nearestForecast(o.outlook.forecast, today)] as const));
  return { vms, releases, outlooks, nearest };
}
