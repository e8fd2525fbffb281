import type { VmSummary } from '../db/queries/vms';
import type { SeriesData } from '../db/queries/vm-metrics';
import type { Availability } from '../monitoring/availability';
import { type SlaDefinition, type SubjectKind, describeSlaDefinition, slaBreakdown } from '../monitoring/sla';

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
      /** The newest check result (host or any service). */
      lastCheckAt: vm.lastCheckAt?.toISOString() ?? null,
      /** When the host's current state began. */
      stateSince: vm.hostStateSince?.toISOString() ?? null,
      /** The newest state change of the host or any service. */
      lastChangeAt: vm.lastChangeAt?.toISOString() ?? null,
    },
  };
}

/** The definition of `slaPct`, as the API states it once per answer. */
export function slaDefinitionToJson(d: SlaDefinition) {
  return {
    unknownIsDown: d.unknownIsDown,
    warningIsUp: d.warningIsUp,
    downStates: d.unknownIsDown ? ['CRITICAL', 'UNKNOWN', 'DOWN', 'UNREACHABLE'] : ['CRITICAL', 'DOWN'],
    upStates: d.warningIsUp ? ['OK', 'UP', 'WARNING'] : ['OK', 'UP'],
    description: describeSlaDefinition(d),
  };
}

/**
 * The API's JSON for one availability figure (times in ms and ISO, shares in percent). The older fields
 * stay as they were; `slaPct` and `breakdown` follow the staff's definition (lib/monitoring/sla.ts).
 */
export function availabilityToJson(a: Availability, kind: SubjectKind, sla: SlaDefinition) {
  const b = slaBreakdown(a, kind, sla);
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
    notMonitoredMs: b.entries.find((e) => e.key === 'NOT_MONITORED')?.ms ?? 0,
    slaPct: b.slaPct,
    availableMs: b.availableMs,
    downMs: b.downMs,
    leftOutMs: b.leftOutMs,
    /** Every state of the kind, then no data and not monitored yet: what the VM page's table shows. */
    breakdown: b.entries.map((e) => ({ state: e.key, label: e.label, ms: e.ms, pctOfWindow: e.pctOfWindow, counts: e.counts })),
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
