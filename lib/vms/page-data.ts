import { type HistoryPage, historyForVm, latestEventId } from '../db/queries/vm-events';
import { type SeriesData, type SeriesInfo, seriesForVm, seriesListForVm } from '../db/queries/vm-metrics';
import { type OwnedVm, type ServiceStateDetail, currentStatesForVm } from '../db/queries/vms';
import type { Database } from '../db/connection';
import type { TimeWindow } from '../monitoring/availability';
import { type SlaDefinition, slaBreakdown } from '../monitoring/sla';
import { loadSlaDefinition } from '../db/queries/sla-settings';
import type { MonitoringState } from '../monitoring/wire';
import { compareStates, worstState } from '../monitoring/severity';
import { type SubjectAvailability, availabilityForVm } from './availability';
import { type StateHistoryCache, stateHistoryCache } from './history-cache';
import { CHART_RANGES, type ChartRange, type HistoryParams } from './params';

// Everything the VM page shows, in one framework-free call: the page renders it, and the benchmark's
// bare node:http handler runs exactly the same queries (scripts/bench/portal-bare.ts).

const DAY = 86_400_000;

export const STANDARD_WINDOWS = [
  { key: '24h', label: '24 hours', ms: DAY },
  { key: '7d', label: '7 days', ms: 7 * DAY },
  { key: '30d', label: '30 days', ms: 30 * DAY },
] as const;

/** How many series get a chart on the page; the rest are listed (and all are in the metrics API). */
export const MAX_CHARTS = 6;
/** Points per chart: about one per 2 px of a phone-to-desktop wide plot. */
export const CHART_POINTS = 240;

export interface AvailabilityWindow extends TimeWindow {
  key: string;
  label: string;
}

export interface VmPageRequest {
  now: Date;
  history: HistoryParams;
  hardOnly: boolean;
  custom: TimeWindow | null;
  chartRange: ChartRange;
  /** The process's state-history cache unless given (null: read everything from the database). */
  cache?: StateHistoryCache | null;
}

export interface VmPageData {
  vm: OwnedVm;
  /** Worst current state over the host and its services (null: nothing known yet). */
  worst: MonitoringState | null;
  states: ServiceStateDetail[];
  history: HistoryPage;
  /** Service names with history or a current state, for the timeline filter. */
  services: string[];
  /** `sla`: the staff's definition of the figure shown (lib/monitoring/sla.ts). */
  availability: { windows: AvailabilityWindow[]; hardOnly: boolean; rows: SubjectAvailability[]; sla: SlaDefinition };
  charts: SeriesData[];
  /** Series without a chart on the page (beyond MAX_CHARTS). */
  moreSeries: SeriesInfo[];
  /** The newest event id when the page was read: the live stream continues from here. */
  liveAfterId: number;
}

/** Host first, then the worst states, then by name. */
function compareStatesForDisplay(a: ServiceStateDetail, b: ServiceStateDetail): number {
  if (a.service === null || b.service === null) return a.service === null ? (b.service === null ? 0 : -1) : 1;
  return compareStates(b.state, a.state) || a.service.localeCompare(b.service);
}

export function availabilityWindows(now: Date, custom: TimeWindow | null): AvailabilityWindow[] {
  const windows: AvailabilityWindow[] = STANDARD_WINDOWS.map((w) => ({ key: w.key, label: w.label, from: new Date(now.getTime() - w.ms), to: now }));
  if (custom) windows.push({ key: 'custom', label: 'Chosen range', from: custom.from, to: custom.to });
  return windows;
}

// Disk use, load and transfer first: what customers look at.
const CHART_ORDER = [/disk|\//i, /load/i, /transfer|traffic|^(rx|tx)|bytes/i];
const chartRank = (s: SeriesInfo) => {
  const i = CHART_ORDER.findIndex((re) => re.test(s.service) || re.test(s.label));
  return i === -1 ? CHART_ORDER.length : i;
};

/** The VM page's data for a VM the ownership check passed. */
export async function vmPageForVm(db: Database, vm: OwnedVm, request: VmPageRequest): Promise<VmPageData> {
  const { now } = request;
  const windows = availabilityWindows(now, request.custom);
  const chartFrom = new Date(now.getTime() - CHART_RANGES[request.chartRange]);
  const [states, history, availability, seriesList, liveAfterId, sla] = await Promise.all([
    currentStatesForVm(db, vm).then((rows) => rows.sort(compareStatesForDisplay)),
    historyForVm(db, vm, request.history),
    availabilityForVm(db, vm, { windows, hardOnly: request.hardOnly, now, cache: request.cache === undefined ? stateHistoryCache : request.cache }),
    seriesListForVm(db, vm),
    latestEventId(db),
    loadSlaDefinition(db),
  ]);
  const ordered = [...seriesList].sort((a, b) => chartRank(a) - chartRank(b) || a.service.localeCompare(b.service) || a.label.localeCompare(b.label));
  const charted = ordered.slice(0, MAX_CHARTS);
  const charts = await Promise.all(
    charted.map((s) => seriesForVm(db, vm, { service: s.service, label: s.label, from: chartFrom, to: now, points: CHART_POINTS })),
  );
  const services = [...new Set([...availability.map((a) => a.service), ...states.map((s) => s.service)].filter((s): s is string => s !== null))].sort((a, b) =>
    a.localeCompare(b),
  );
  return {
    vm,
    worst: worstState(states.map((s) => s.state)),
    states,
    history,
    services,
    availability: { windows, hardOnly: request.hardOnly, rows: availability, sla: sla.definition },
    charts,
    moreSeries: ordered.slice(MAX_CHARTS),
    liveAfterId,
  };
}

/**
 * Availability rows for display: the host first, then the services with the lowest figure (as `sla`
 * defines it; without one, the share up of the time with data), then those with no figure, each group by name.
 */
export function worstAvailabilityFirst(rows: readonly SubjectAvailability[], sla?: SlaDefinition): SubjectAvailability[] {
  const score = (r: SubjectAvailability) => {
    const known = r.windows
      .map((w) => (sla ? slaBreakdown(w, r.service === null ? 'host' : 'service', sla).slaPct : w.availabilityPct))
      .filter((p): p is number => p !== null);
    return known.length === 0 ? Number.POSITIVE_INFINITY : Math.min(...known);
  };
  return [...rows].sort((a, b) => {
    if (a.service === null || b.service === null) return a.service === null ? (b.service === null ? 0 : -1) : 1;
    return score(a) - score(b) || a.service.localeCompare(b.service);
  });
}
