import { LRUCache } from 'lru-cache';
import type { Database } from '../db/connection';
import { eventsInIdRange, latestEventId, settledFloor } from '../db/queries/vm-events';
import { type StateHistory, loadStateHistory, readStateHistory } from '../db/queries/vm-state-history';
import type { TimeWindow } from '../monitoring/availability';
import type { MonitoringState } from '../monitoring/wire';
import { isUpState } from '../monitoring/severity';
import type { StateHistorySource } from './availability';
import { LiveCursor } from './live';

// The last month of one VM's state changes, kept in memory and brought up to date by id on every use.
//
// Why: a VM page shows availability over 24 h, 7 d and 30 d. For a busy VM the month is tens of thousands
// of state changes, and reading them costs the database a scan of that many index entries on every view
// (and every live refresh). Events are only ever added, so after one full read the rows that arrived
// since are a short primary-key range (lib/db/queries/vm-events.ts), and the month stays exact:
// - rows are found by id with the same lagged cursor as the live stream, so a transaction that commits
//   after a later id was seen is still picked up, and each row is applied once;
// - a late event older than the cached month, or anything unexpected, drops the entry (re-read in full);
// - entries live for a few minutes at most (from their full read), and the cache is bounded by the number
//   of changes it holds, least recently used dropped first (lru-cache; an entry without changes counts
//   one, as the library wants sizes above zero, and one larger than the whole bound is not kept).
// Each web process has its own; nothing is shared, so several instances stay correct.

const DAY = 86_400_000;
/** The cached span: the 30-day window plus room for it to slide while the entry lives. */
export const CACHED_SPAN_MS = 31 * DAY;
const TTL_MS = 5 * 60_000;
/** Beyond this many new events of the VM per refresh, a full re-read is cheaper than the id range. */
const MAX_DELTA = 20_000;
/**
 * The id range spans every VM's events since the cursor's floor, which starts up to a minute back (rows
 * received in the last minute may still commit behind later ids): at 1,000 events a second that is
 * 60,000 ids, so the bound on the span is far above it. A span beyond it is a scan a full read beats.
 */
const MAX_SPAN = 500_000;

interface Entry {
  from: number;
  subjects: Map<string, StateHistory>;
  cursor: LiveCursor;
  changes: number;
  /** Updates of one entry run one after another. */
  queue: Promise<unknown>;
}

export interface CacheOptions {
  maxChanges?: number;
  now?: () => number;
}

export class StateHistoryCache implements StateHistorySource {
  private readonly entries: LRUCache<string, Entry>;
  private readonly clock: () => number;

  constructor(options: CacheOptions = {}) {
    this.clock = options.now ?? Date.now;
    this.entries = new LRUCache<string, Entry>({
      maxSize: options.maxChanges ?? 1_000_000,
      sizeCalculation: (entry) => Math.max(1, entry.changes),
      ttl: TTL_MS,
      // Every expiry check reads the clock (the default caches it for a millisecond of real time).
      ttlResolution: 0,
      perf: { now: () => this.clock() },
    });
  }

  /** Whether a window can be served from the cache: inside the cached span, ending about now. */
  covers(window: TimeWindow, now: number = this.clock()): boolean {
    return window.from.getTime() >= now - CACHED_SPAN_MS + 60_000 && window.to.getTime() <= now + 60_000;
  }

  /** The VM's state history from `window.from` on (it may start earlier: callers compute per window). */
  async get(db: Database, vmId: number, window: TimeWindow, hardOnly: boolean): Promise<StateHistory[]> {
    const now = this.clock();
    if (!this.covers(window, now)) return loadStateHistory(db, [vmId], window, { hardOnly });
    const key = `${vmId}:${hardOnly ? 'hard' : 'all'}`;
    const reload = async () => {
      this.entries.delete(key);
      const fresh = await this.load(db, vmId, now, hardOnly);
      this.entries.set(key, fresh, { start: now });
      return fresh;
    };
    // An expired entry reads as missing; get() also makes the entry the most recently used.
    let entry = this.entries.get(key);
    if (!entry || entry.from > window.from.getTime()) {
      entry = await reload();
    } else {
      const current = entry;
      const updated = current.queue.then(() => this.update(db, vmId, current, hardOnly));
      current.queue = updated.catch(() => undefined);
      if (!(await updated)) {
        entry = await reload();
      } else if (this.entries.peek(key) === current) {
        // Counted again with the changes it gained; its age still runs from the full read.
        this.entries.set(key, current, { noUpdateTTL: true });
      }
    }
    return [...entry.subjects.values()];
  }

  /** Drops everything (tests, or after a bulk change such as a replay of old events). */
  clear(): void {
    this.entries.clear();
  }

  private async load(db: Database, vmId: number, now: number, hardOnly: boolean): Promise<Entry> {
    // Updates re-read from a settled id: rows committed during or after this read are found then, and
    // the ones this read already has (named by id) are claimed now so they are not added twice.
    const startId = await latestEventId(db);
    const floor = await settledFloor(db, startId);
    const from = now - CACHED_SPAN_MS;
    const { histories, ids } = await readStateHistory(db, [vmId], { from: new Date(from), to: new Date(now + 60_000) }, { hardOnly, idsAbove: floor });
    const cursor = new LiveCursor(floor);
    for (const id of ids) cursor.claim(id);
    cursor.observe(startId, now);
    return {
      from,
      subjects: new Map(histories.map((h) => [h.service, h])),
      cursor,
      changes: histories.reduce((n, h) => n + h.changes.length, 0),
      queue: Promise.resolve(),
    };
  }

  /** Applies the events stored since; false when the entry must be read again. */
  private async update(db: Database, vmId: number, entry: Entry, hardOnly: boolean): Promise<boolean> {
    const max = await latestEventId(db);
    if (max - entry.cursor.scanFrom > MAX_SPAN) return false;
    const rows = await eventsInIdRange(db, [vmId], entry.cursor.scanFrom, max, MAX_DELTA + 1);
    if (rows.length > MAX_DELTA) return false;
    for (const row of rows) {
      if (!entry.cursor.claim(row.id)) continue; // already applied
      const at = row.occurredAt.getTime();
      if (at < entry.from) return false; // a late event before the span may change a prior state
      const service = row.service ?? '';
      let subject = entry.subjects.get(service);
      if (!subject) {
        subject = { vmId, service, prior: null, changes: [] };
        entry.subjects.set(service, subject);
      }
      const softProblem = row.stateType === 'SOFT' && !isUpState(row.state as MonitoringState);
      // As in the full read: a SOFT problem only matters as the very first sign of a service.
      if (hardOnly && softProblem && (subject.prior !== null || subject.changes.length > 0)) continue;
      insertInOrder(subject, { at: row.occurredAt, state: row.state, stateType: row.stateType });
      entry.changes++;
    }
    entry.cursor.observe(max, this.clock());
    return true;
  }
}

/** After every change at the same time or earlier: a later id at the same instant wins. */
function insertInOrder(subject: StateHistory, change: StateHistory['changes'][number]): void {
  const t = change.at.getTime();
  let i = subject.changes.length;
  while (i > 0 && subject.changes[i - 1]!.at.getTime() > t) i--;
  subject.changes.splice(i, 0, change);
}

/** The web process's cache (one per process; see above). */
export const stateHistoryCache = new StateHistoryCache();
