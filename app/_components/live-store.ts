'use client';

import { useSyncExternalStore } from 'react';
import type { MonitoringState } from '@/lib/monitoring/wire';
import { type AvailabilityRow, type LiveDelta, type StateRow, type TimelineRow, latestBySubject, mergeTimeline } from '@/lib/vms/live-rows';

// What the live stream changed on the open VM page (lib/vms/live-view.ts's deltas), for the parts that
// show it: one store per page, started by LiveEvents for its stream and emptied when it goes.

export interface LiveState {
  key: string | null;
  rows: TimelineRow[];
  states: Map<string, StateRow>;
  availability: Map<string, AvailabilityRow>;
  /** undefined: nothing changed yet. */
  worst?: MonitoringState | null;
}

const EMPTY: LiveState = { key: null, rows: [], states: new Map(), availability: new Map() };
let current: LiveState = EMPTY;
const listeners = new Set<() => void>();

function set(next: LiveState): void {
  current = next;
  for (const l of listeners) l();
}

export const liveStore = {
  start(key: string): void {
    if (current.key !== key) set({ ...EMPTY, key });
  },
  stop(key: string): void {
    if (current.key === key) set(EMPTY);
  },
  apply(key: string, delta: LiveDelta): void {
    if (current.key !== key) return;
    set({
      key,
      rows: mergeTimeline(current.rows, delta.rows, new Set()),
      states: latestBySubject(current.states, delta.states),
      availability: latestBySubject(current.availability, delta.availability),
      worst: delta.worst,
    });
  },
};

const subscribe = (l: () => void) => {
  listeners.add(l);
  return () => listeners.delete(l);
};

/** The page's live changes (nothing during server rendering and hydration). */
export function useLive(): LiveState {
  return useSyncExternalStore(
    subscribe,
    () => current,
    () => EMPTY,
  );
}
