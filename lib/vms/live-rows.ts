import type { MonitoringState, StateType } from '../monitoring/wire';

// The VM page's rows as compact arrays (built on the server by live-view.ts) and how live changes
// merge into them. Pure and import-free, so the page's client components can use it.

/** [id, ISO time, time as written, service (null: host), state, state type, sentence | null, technical | null] */
export type TimelineRow = [
  id: number,
  at: string,
  when: string,
  service: string | null,
  state: MonitoringState,
  stateType: StateType,
  sentence: string | null,
  technical: [attempt: number, maxAttempts: number, output: string | null, longOutput: string | null, perfdata: string | null] | null,
];

/** [service (null: host), state, type, attempt, max attempts, since ISO, since as written, last check ISO, last check as written, output] */
export type StateRow = [
  service: string | null,
  state: MonitoringState,
  stateType: StateType,
  attempt: number,
  maxAttempts: number,
  since: string,
  sinceText: string,
  lastCheck: string,
  lastCheckText: string,
  output: string | null,
];

/** One period's cell: [SLA figure, share of the window, the figure as written (null: no figure), [state, line, left out]] */
export type AvailabilityCell = [slaPct: number | null, upOfWindow: number | null, up: string | null, entries: Array<[key: string, text: string, leftOut: 0 | 1]>];
export type AvailabilityRow = [service: string | null, cells: AvailabilityCell[]];

/**
 * One message of the page's live stream: the events since the last one (newest first, as the
 * timeline shows them), the changed current states, the changed availability rows (the standard
 * periods only), and the worst state now.
 */
export interface LiveDelta {
  rows: TimelineRow[];
  states: StateRow[];
  availability: AvailabilityRow[];
  worst: MonitoringState | null;
}

/** Live rows on top of the shown ones: newest first, each id once (a row may arrive twice after a reconnect). */
export function mergeTimeline(live: readonly TimelineRow[], incoming: readonly TimelineRow[], shownIds: ReadonlySet<number>, max = 50): TimelineRow[] {
  const seen = new Set<number>(shownIds);
  const out: TimelineRow[] = [];
  for (const r of [...incoming, ...live]) {
    if (seen.has(r[0])) continue;
    seen.add(r[0]);
    out.push(r);
  }
  // Newest first: by time, then by id (a later id at the same instant is newer).
  out.sort((a, b) => (a[1] < b[1] ? 1 : a[1] > b[1] ? -1 : b[0] - a[0]));
  return out.slice(0, max);
}

/** The latest of each row by its service: live changes replace what the page was rendered with. */
export function latestBySubject<T extends [string | null, ...unknown[]]>(current: ReadonlyMap<string, T>, incoming: readonly T[]): Map<string, T> {
  const next = new Map(current);
  for (const r of incoming) next.set(r[0] ?? '', r);
  return next;
}
