// The perfdata that feeds forecasts: disk use per mount and traffic counters (README, "Usage and
// forecasts"). Which series count is decided by name and unit here, in one place.
import { baseUnitOf, normalizeToBase } from '../../monitoring/perfdata';
import type { Database } from '../connection';
import { seriesListForVm, type SeriesInfo } from './vm-metrics';
import { arrayRows } from './vm-state-history';
import type { OwnedVm } from './vms';

/** check_disk: a service named "Disk…", one label per mount point ("/", "/var"), in a byte unit, with `max`. */
export const isDiskSeries = (s: Pick<SeriesInfo, 'service' | 'label' | 'unit'>) => /^disk/i.test(s.service) && s.label.startsWith('/') && baseUnitOf(s.unit) === 'B';

/** A traffic check: a service named "Traffic…" or "Transfer…", counters (UOM `c`) of bytes, e.g. `in=…c out=…c`. */
export const isTransferSeries = (s: Pick<SeriesInfo, 'service' | 'label' | 'unit'>) => /^(traffic|transfer)/i.test(s.service) && s.unit === 'c';

export interface DiskSeries {
  service: string;
  mount: string;
  samples: Array<{ at: Date; used: number; max: number | null }>;
}

export interface CounterSeries {
  service: string;
  label: string;
  samples: Array<{ at: Date; value: number }>;
}

const EPOCH_MS = "TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', sampled_at) DIV 1000";

async function rawSamples(db: Database, vm: OwnedVm, service: string, label: string, from: Date, to: Date) {
  const rows = await arrayRows(
    db,
    `SELECT ${EPOCH_MS}, value, unit, max FROM perf_samples WHERE vm_id = ? AND service = ? AND label = ? AND sampled_at >= ? AND sampled_at <= ? ORDER BY sampled_at, id`,
    [vm.id, service, label, from, to],
  );
  return rows as Array<[number | string, number | null, string, number | null]>;
}

/** Bytes per unit of a byte UOM (MB → 1048576 …), worked out once per series, not per sample. */
const byteFactor = (unit: string) =>
  normalizeToBase({ label: '', value: 1, unit, warn: null, crit: null, min: null, max: null, warnRange: null, critRange: null }).value ?? 1;

export interface UsageWindows {
  /** Disks are read from here: the outlook fits the last 14 days. */
  diskFrom: Date;
  /** Counters from here: the billing period, and a sample before it to split the first interval. */
  counterFrom: Date;
  to: Date;
}

/** The VM's disk and traffic samples, in bytes. `series` is the VM's series list when the caller has it. */
export async function usageSamplesForVm(db: Database, vm: OwnedVm, windows: UsageWindows, series?: SeriesInfo[]): Promise<{ disks: DiskSeries[]; counters: CounterSeries[] }> {
  const list = series ?? (await seriesListForVm(db, vm));
  const disks = await Promise.all(
    list.filter(isDiskSeries).map(async (s): Promise<DiskSeries> => {
      const rows = await rawSamples(db, vm, s.service, s.label, windows.diskFrom, windows.to);
      const samples: DiskSeries['samples'] = [];
      let unit = '';
      let factor = 1;
      for (const [at, value, rowUnit, max] of rows) {
        if (value === null || baseUnitOf(rowUnit) !== 'B') continue;
        if (rowUnit !== unit) [unit, factor] = [rowUnit, byteFactor(rowUnit)];
        samples.push({ at: new Date(Number(at)), used: Number(value) * factor, max: max === null ? null : Number(max) * factor });
      }
      return { service: s.service, mount: s.label, samples };
    }),
  );
  const counters = await Promise.all(
    list.filter(isTransferSeries).map(async (s): Promise<CounterSeries> => {
      const rows = await rawSamples(db, vm, s.service, s.label, windows.counterFrom, windows.to);
      return { service: s.service, label: s.label, samples: rows.filter((r) => r[1] !== null).map(([at, value]) => ({ at: new Date(Number(at)), value: Number(value) })) };
    }),
  );
  return { disks: disks.filter((d) => d.samples.length > 0), counters: counters.filter((c) => c.samples.length > 0) };
}

/** The newest sample of any usage series: what a cached forecast is good until. */
export const newestUsageSample = (series: SeriesInfo[]) =>
  series.filter((s) => isDiskSeries(s) || isTransferSeries(s)).reduce((newest, s) => Math.max(newest, s.latest.at.getTime()), 0);
