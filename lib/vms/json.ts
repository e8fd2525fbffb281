import type { VmSummary } from '../db/queries/vms';
import type { SeriesData } from '../db/queries/vm-metrics';
import type { Availability } from '../monitoring/availability';

// The JSON shapes of /api/v1/vms: one function per shape, so the API's fields change in one place.

/** The API's JSON for one VM with its current state. */
export function vmToJson(vm: VmSummary) {
  return {
    id: vm.id,
    hostname: vm.hostname,
    nagiosHostName: vm.nagiosHostName,
    address: vm.address,
    addressV6: vm.addressV6,
    ubuntuRelease: vm.ubuntuRelease,
    plan: vm.plan,
    state: {
      worst: vm.worst,
      host: vm.hostState,
      problems: vm.problems,
      lastCheckAt: vm.lastCheckAt?.toISOString() ?? null,
    },
  };
}

/** The API's JSON for one availability figure (times in ms and ISO, shares in percent). */
export function availabilityToJson(a: Availability) {
  return {
    from: a.from.toISOString(),
    to: a.to.toISOString(),
    windowMs: a.windowMs,
    excludedFutureMs: a.excludedFutureMs,
    upMs: a.upMs,
    knownMs: a.knownMs,
    noDataMs: a.noDataMs,
    availabilityPct: a.availabilityPct,
    availabilityPctOfWindow: a.availabilityPctOfWindow,
    noDataPct: a.noDataPct,
    states: Object.fromEntries(Object.entries(a.states).map(([state, t]) => [state, { ms: t.ms, pctOfWindow: t.pctOfWindow, pctOfKnown: t.pctOfKnown }])),
  };
}

/** The API's JSON for one series. */
export function seriesToJson(s: SeriesData) {
  return {
    service: s.service,
    label: s.label,
    unit: s.unit,
    from: s.from.toISOString(),
    to: s.to.toISOString(),
    bucketSeconds: s.bucketMs === null ? null : s.bucketMs / 1000,
    thresholds: { warn: s.warn, crit: s.crit },
    range: { min: s.min, max: s.max },
    points: s.points.map((p) => ({ at: p.at.toISOString(), value: p.value, low: p.low, high: p.high, samples: p.samples })),
  };
}
