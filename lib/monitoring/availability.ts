// Time spent in each state over a window, from one host's or service's state-change history.
//
// Semantics (others rely on these):
// - The evaluated span is [from, min(to, now)). Time after `now` is future: excluded from every figure
//   (reported as `excludedFutureMs`), never counted as up or as no data. A window ending at `now` is fine.
// - Before the first known state there is no data: that time is also `notMonitoredMs` (the service was
//   not monitored yet). `gaps` mark further no-data intervals (e.g. monitoring itself was down); state
//   changes inside a gap still take effect, but gap time counts as no data.
// - `availabilityPct*` are the old figures (kept for the API); the stated SLA figure is slaFigure in
//   ./sla.ts, which counts WARNING as degraded, not down, and leaves not-monitored time out.
// - `availabilityPct` = up time (OK/UP) / known time; `availabilityPctOfWindow` = up time / evaluated
//   time, so no-data time is never counted as up. WARNING, UNKNOWN etc. are not up.
// - hardOnly (default): a SOFT problem never went HARD (flapping caught by retries), so it does not change
//   the state. In Nagios a SOFT problem only follows a hard up state, so when no state is known yet a SOFT
//   problem establishes the up state (OK/UP). Recoveries (OK/UP) always count, whatever their type.
// - Changes are sorted by time (ties keep input order, the later one wins). Changes at or before `from`
//   only set the starting state; changes at or after the end are ignored.
import type { MonitoringState, StateType } from './wire';
import { isUpState, upStateFor } from './severity';

export interface TimeWindow {
  from: Date;
  to: Date;
}

export interface StateChange {
  at: Date;
  state: MonitoringState;
  stateType: StateType;
}

/** The state in force before the window (the latest change before `from`). */
export interface PriorState {
  state: MonitoringState;
  stateType?: StateType;
}

export interface AvailabilityOptions {
  /** Ignore SOFT problem states (default true). */
  hardOnly?: boolean;
  /** Time after this is excluded as future. Defaults to no clipping. */
  now?: Date;
  /** Intervals with no data (monitoring down); may overlap each other and the window edges. */
  gaps?: readonly TimeWindow[];
  /**
   * Only for `changes` that went through `changesInTimeOrder`: start at this index (the first change
   * after the window's start, found by a binary search), with `before` the state in force there. Saves
   * each of a subject's windows its own pass over the changes before it.
   */
  orderedFrom?: number;
}

export interface StateTime {
  ms: number;
  /** Share of known (non no-data) time, 0..100; null when nothing is known. */
  pctOfKnown: number | null;
  /** Share of the evaluated window, 0..100; null for an empty window. */
  pctOfWindow: number | null;
}

export interface Availability {
  /** The evaluated span: `from` .. min(`to`, `now`). */
  from: Date;
  to: Date;
  windowMs: number;
  excludedFutureMs: number;
  /** All time without a known state, including notMonitoredMs. */
  noDataMs: number;
  /** The part of noDataMs before the first known state (the service was not monitored yet). */
  notMonitoredMs: number;
  knownMs: number;
  upMs: number;
  /** Only states that occurred in the evaluated span. */
  states: Partial<Record<MonitoringState, StateTime>>;
  /** upMs / knownMs * 100; null when no state is known in the span. */
  availabilityPct: number | null;
  /** upMs / windowMs * 100 (no data counts as not up); null for an empty span. */
  availabilityPctOfWindow: number | null;
  noDataPct: number | null;
}

function pct(part: number, whole: number): number | null {
  return whole > 0 ? (part / whole) * 100 : null;
}

function timeOf(d: Date, what: string): number {
  const t = d instanceof Date ? d.getTime() : Number.NaN;
  if (Number.isNaN(t)) throw new RangeError(`computeAvailability: ${what} is not a valid Date`);
  return t;
}

/** Sorted, merged [from, to) intervals clipped to [lo, hi). */
function mergeGaps(gaps: readonly TimeWindow[], lo: number, hi: number): [number, number][] {
  const clipped = gaps
    .map((g): [number, number] => [Math.max(lo, g.from.getTime()), Math.min(hi, g.to.getTime())])
    .filter(([a, b]) => !Number.isNaN(a) && !Number.isNaN(b) && b > a)
    .sort((x, y) => x[0] - y[0]);
  const merged: [number, number][] = [];
  for (const [a, b] of clipped) {
    const last = merged[merged.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else merged.push([a, b]);
  }
  return merged;
}

/**
 * The changes with valid times, in time order (ties keep their order). The callers' lists are almost
 * always in order already (the database and the state-history cache keep them so): then they are
 * used as they are, without building and sorting a copy, which was most of a busy VM's page time.
 */
export function changesInTimeOrder(changes: readonly StateChange[]): readonly StateChange[] {
  let last = Number.NEGATIVE_INFINITY;
  for (const c of changes) {
    const t = c.at instanceof Date ? c.at.getTime() : Number.NaN;
    if (Number.isNaN(t) || t < last) {
      return changes
        .map((x, i) => ({ x, i, t: x.at instanceof Date ? x.at.getTime() : Number.NaN }))
        .filter((y) => !Number.isNaN(y.t))
        .sort((p, q) => p.t - q.t || p.i - q.i)
        .map((y) => y.x);
    }
    last = t;
  }
  return changes;
}

export function computeAvailability(
  window: TimeWindow,
  changes: readonly StateChange[],
  before: PriorState | null = null,
  options: AvailabilityOptions = {},
): Availability {
  const hardOnly = options.hardOnly ?? true;
  const fromMs = timeOf(window.from, 'window.from');
  const toMs = Math.max(fromMs, timeOf(window.to, 'window.to'));
  const endMs = options.now === undefined ? toMs : Math.min(toMs, Math.max(fromMs, timeOf(options.now, 'now')));
  const gaps = mergeGaps(options.gaps ?? [], fromMs, endMs);

  // The state a change leaves in force, given the current one (null = unknown).
  const next = (current: MonitoringState | null, state: MonitoringState, type: StateType | undefined) => {
    if (!hardOnly || type !== 'SOFT' || isUpState(state)) return state;
    return current ?? upStateFor(state);
  };

  const sorted = options.orderedFrom === undefined ? changesInTimeOrder(changes) : changes;

  let current: MonitoringState | null = before ? next(null, before.state, before.stateType) : null;
  let k = options.orderedFrom ?? 0;
  for (; k < sorted.length; k++) {
    const x = sorted[k]!;
    if (x.at.getTime() > fromMs) break;
    current = next(current, x.state, x.stateType);
  }

  const stateMs = new Map<MonitoringState, number>();
  let noDataMs = 0;
  let notMonitoredMs = 0;
  const add = (a: number, b: number, state: MonitoringState | null) => {
    if (b <= a) return;
    if (state === null) {
      notMonitoredMs += b - a;
      noDataMs += b - a;
      return;
    }
    let inGap = 0;
    for (let g = 0; g < gaps.length; g++) inGap += Math.max(0, Math.min(b, gaps[g]![1]) - Math.max(a, gaps[g]![0]));
    noDataMs += inGap;
    const rest = b - a - inGap;
    if (rest > 0) stateMs.set(state, (stateMs.get(state) ?? 0) + rest);
  };

  let cursor = fromMs;
  for (; k < sorted.length; k++) {
    const x = sorted[k]!;
    const t = x.at.getTime();
    if (t >= endMs) break;
    add(cursor, t, current);
    cursor = t;
    current = next(current, x.state, x.stateType);
  }
  add(cursor, endMs, current);

  const windowMs = endMs - fromMs;
  const knownMs = windowMs - noDataMs;
  let upMs = 0;
  const states: Partial<Record<MonitoringState, StateTime>> = {};
  for (const [state, ms] of stateMs) {
    if (isUpState(state)) upMs += ms;
    states[state] = { ms, pctOfKnown: pct(ms, knownMs), pctOfWindow: pct(ms, windowMs) };
  }

  return {
    from: new Date(fromMs),
    to: new Date(endMs),
    windowMs,
    excludedFutureMs: toMs - endMs,
    noDataMs,
    notMonitoredMs,
    knownMs,
    upMs,
    states,
    availabilityPct: pct(upMs, knownMs),
    availabilityPctOfWindow: pct(upMs, windowMs),
    noDataPct: pct(noDataMs, windowMs),
  };
}
