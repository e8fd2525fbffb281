import type { Database } from '../db/connection';
import { usageSamplesForVm } from '../db/queries/usage';
import type { SeriesInfo } from '../db/queries/vm-metrics';
import type { OwnedVm } from '../db/queries/vms';
import { forecastTransferQuota } from '../monitoring/forecast';
import { counterTotal, diskOutlook, type DiskOutlook } from '../monitoring/usage';
import { billingPeriodOf } from './proration';
import { GB, type PlanLimits, type UsageNeeds } from './recommend';

// One VM's forecast: each disk's time to full, the month's transfer against the plan's quota, what the
// VM needs of a plan, and what deserves the customer's attention. Reads the samples, computes the rest.

const DAY = 86_400_000;
/** Samples read for disks: the outlook fits the last 14 days (after the last deletion within them). */
const DISK_DAYS = 15;
/** A recommended plan must hold this many days of the disk's growth. */
export const NEED_HORIZON_DAYS = 90;

export interface TransferOutlook {
  status: 'within' | 'will-run-out' | 'exceeded' | 'not-enough-data';
  used: number;
  quota: number;
  projected: number | null;
  runsOutOn: Date | null;
  periodStart: Date;
  periodEnd: Date;
  asOf: Date | null;
  resets: number;
  wraps: number;
  message: string;
}

export interface Attention {
  kind: 'disk' | 'transfer';
  severity: 'warning' | 'critical';
  message: string;
}

export interface VmForecast {
  disks: Array<{ service: string; mount: string; outlook: DiskOutlook }>;
  transfer: TransferOutlook | null;
  needs: UsageNeeds;
  /** Worst first; empty when nothing needs doing. */
  attention: Attention[];
}

const gb = (bytes: number) => `${(bytes / GB).toLocaleString('en-GB', { maximumFractionDigits: bytes < 10 * GB ? 1 : 0 })} GB`;
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const day = (d: Date) => `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]}`;

export function transferOutlook(counters: Array<{ samples: Array<{ at: Date; value: number }> }>, quotaBytes: number, now: Date, billingDay = 1): TransferOutlook | null {
  if (counters.length === 0) return null;
  const period = billingPeriodOf(now, billingDay);
  let used = 0;
  let resets = 0;
  let wraps = 0;
  let asOf: Date | null = null;
  for (const c of counters) {
    const total = counterTotal(c.samples, { start: period.start, end: now < period.end ? new Date(now.getTime() + 1) : period.end });
    used += total.total;
    resets += total.resets;
    wraps += total.wraps;
    const last = c.samples.filter((s) => s.at <= now).at(-1)?.at ?? null;
    if (last && (!asOf || last > asOf)) asOf = last;
  }
  const base = { used, quota: quotaBytes, periodStart: period.start, periodEnd: period.end, asOf, resets, wraps };
  const forecast = asOf ? forecastTransferQuota([{ at: asOf, total: used }], quotaBytes, { now, period }) : null;
  if (!forecast?.ok) {
    return { ...base, status: 'not-enough-data', projected: null, runsOutOn: null, message: `${gb(used)} of ${gb(quotaBytes)} used this month; a projection needs a day of measurements.` };
  }
  const f = forecast.value;
  if (f.alreadyExceeded) {
    return { ...base, status: 'exceeded', projected: f.projectedTotal, runsOutOn: f.exceedsOn, message: `This month's transfer quota of ${gb(quotaBytes)} is used up (${gb(used)} so far).` };
  }
  if (f.willExceed && f.exceedsOn) {
    return {
      ...base,
      status: 'will-run-out',
      projected: f.projectedTotal,
      runsOutOn: f.exceedsOn,
      message: `At this month's rate the ${gb(quotaBytes)} transfer quota runs out around ${day(f.exceedsOn)}, before the month ends (about ${gb(f.projectedTotal)} by then).`,
    };
  }
  return { ...base, status: 'within', projected: f.projectedTotal, runsOutOn: null, message: `${gb(used)} of ${gb(quotaBytes)} used; about ${gb(f.projectedTotal)} by the end of the month.` };
}

/** The mount a plan's disk is about: "/" when there is one, else the fullest. */
function mainDisk(disks: VmForecast['disks']) {
  return disks.find((d) => d.mount === '/') ?? [...disks].sort((a, b) => b.outlook.usedPct - a.outlook.usedPct)[0];
}

/** What a forecast reads: disks for DISK_DAYS, counters for the billing period and the day before it. */
export const usageWindows = (now: Date, billingDay = 1) => ({
  diskFrom: new Date(now.getTime() - DISK_DAYS * DAY),
  counterFrom: new Date(billingPeriodOf(now, billingDay).start.getTime() - DAY),
  to: now,
});

export async function vmForecast(db: Database, vm: OwnedVm, plan: PlanLimits, now: Date, series?: SeriesInfo[]): Promise<VmForecast> {
  const { disks: diskSeries, counters } = await usageSamplesForVm(db, vm, usageWindows(now, vm.billingDay), series);
  const disks = diskSeries.map((d) => ({ service: d.service, mount: d.mount, outlook: diskOutlook(d.samples, { now }) }));
  const transfer = transferOutlook(counters, plan.transferGb * GB, now, vm.billingDay);
  const main = mainDisk(disks);
  const usable = main && main.outlook.status !== 'not-enough-data';
  const needs: UsageNeeds = {
    diskUsedBytes: main ? main.outlook.used : null,
    diskNeededBytes: usable ? main.outlook.projectedUsed(NEED_HORIZON_DAYS) : main ? main.outlook.used : null,
    transferUsedBytes: transfer ? transfer.used : null,
    transferProjectedBytes: transfer?.projected ?? null,
  };
  const attention: Attention[] = [];
  for (const d of disks) {
    const o = d.outlook;
    const label = d.mount === '/' ? 'The disk' : `The disk at ${d.mount}`;
    if (o.status === 'full') attention.push({ kind: 'disk', severity: 'critical', message: `${label} is full: ${o.message}` });
    else if (o.status === 'filling' && o.daysUntilFull && o.daysUntilFull.low <= 30)
      attention.push({ kind: 'disk', severity: o.daysUntilFull.low <= 7 ? 'critical' : 'warning', message: `${label} is ${Math.round(o.usedPct)} % full. ${o.message}` });
  }
  if (transfer?.status === 'exceeded') attention.push({ kind: 'transfer', severity: 'critical', message: transfer.message });
  else if (transfer?.status === 'will-run-out')
    attention.push({ kind: 'transfer', severity: transfer.runsOutOn && transfer.runsOutOn.getTime() - now.getTime() < 3 * DAY ? 'critical' : 'warning', message: transfer.message });
  attention.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'critical' ? -1 : 1));
  return { disks, transfer, needs, attention };
}

/**
 * The forecast as a chart draws it: from the latest measurement along the fitted rate, for a third of
 * the chart's range or until the disk is full, whichever comes first. Null when the disk is not filling.
 */
export function diskProjection(outlook: DiskOutlook, rangeMs: number): { points: Array<{ at: number; value: number }>; summary: string } | null {
  if (outlook.status !== 'filling' || !outlook.asOf || !outlook.ratePerDay || outlook.ratePerDay <= 0) return null;
  const start = outlook.asOf.getTime();
  const untilFull = ((outlook.capacity - outlook.used) / outlook.ratePerDay) * DAY;
  const end = start + Math.max(0, Math.min(rangeMs / 3, untilFull));
  const value = Math.min(outlook.capacity, outlook.used + (outlook.ratePerDay * (end - start)) / DAY);
  return { points: [{ at: start, value: outlook.used }, { at: end, value }], summary: outlook.message };
}
