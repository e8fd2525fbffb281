// The dashboard's order and its one forecast per VM. Pure: the rows come from lib/db/queries/vms.ts and
// the forecasts from lib/plans/vm-forecast.ts (only their shapes are used here).
import { stateSeverity } from '../monitoring/severity';
import type { MonitoringState } from '../monitoring/wire';

/** A VM that has reported nothing yet ranks just above a healthy one: something may be wrong. */
const NO_DATA_RANK = 0.5;

function rank(worst: MonitoringState | null): number {
  return worst === null ? NO_DATA_RANK : stateSeverity(worst);
}

/** Worst state first (DOWN … WARNING, then no data, then OK), then by host name; a new array. */
export function sortWorstFirst<T extends { worst: MonitoringState | null; hostname: string }>(vms: readonly T[]): T[] {
  return [...vms].sort((a, b) => rank(b.worst) - rank(a.worst) || a.hostname.localeCompare(b.hostname, 'en') || 0);
}

export interface ForecastShape {
  disks: ReadonlyArray<{ mount: string; outlook: { status: string; fullBetween: { earliest: Date } | null } }>;
  transfer: { status: string; runsOutOn: Date | null } | null;
}

export interface NearestForecast {
  kind: 'disk' | 'transfer';
  /** The earliest likely date. */
  on: Date;
  /** Plain words; a coming one is followed by its date ("The disk at /var may be full around …"). */
  what: string;
  /** Already happened (full, used up) rather than coming. */
  now: boolean;
}

/** The nearest of a VM's forecasts (a disk full, the transfer quota out); null when none is coming. */
export function nearestForecast(f: ForecastShape, now: Date): NearestForecast | null {
  const candidates: NearestForecast[] = [];
  for (const d of f.disks) {
    const disk = d.mount === '/' ? 'The disk' : `The disk at ${d.mount}`;
    if (d.outlook.status === 'full') candidates.push({ kind: 'disk', on: now, what: `${disk} is full`, now: true });
    else if (d.outlook.status === 'filling' && d.outlook.fullBetween)
      candidates.push({ kind: 'disk', on: d.outlook.fullBetween.earliest, what: `${disk} may be full around`, now: false });
  }
  if (f.transfer?.status === 'exceeded') candidates.push({ kind: 'transfer', on: now, what: 'The transfer quota is used up', now: true });
  else if (f.transfer?.status === 'will-run-out' && f.transfer.runsOutOn)
    candidates.push({ kind: 'transfer', on: f.transfer.runsOutOn, what: 'The transfer quota may run out around', now: false });
  candidates.sort((a, b) => a.on.getTime() - b.on.getTime());
  return candidates[0] ?? null;
}
