import type { Database } from '../db/connection';
import { type VmEvent, eventsInIdRange, latestEventId } from '../db/queries/vm-events';
import { type OwnedVm, type ServiceStateDetail, currentStatesForVms } from '../db/queries/vms';
import { loadSlaDefinition } from '../db/queries/sla-settings';
import type { SlaDefinition } from '../monitoring/sla';
import { worstState } from '../monitoring/severity';
import type { MonitoringState } from '../monitoring/wire';
import { type StateHistorySource, type SubjectAvailability, availabilityFor } from './availability';
import { stateHistoryCache } from './history-cache';
import { LiveCursor } from './live';
import { availabilityWindows } from './page-data';

// One poller per web process for every open live view of a VM (the VM page, /api/v1/vms/:id/stream):
// each interval it reads the new events of all watched VMs in one primary-key range and, only for VMs
// that had some, their current states (one query) and the availability of what changed (from the
// process's state-history cache). It fans the result out to the subscribers, so the database sees the
// same few queries per interval whether one page is open or a thousand.
//
// - Who may watch a VM is checked by the caller before `subscribe` (the route's session and account
//   checks); the hub only ever hands a subscriber the events of the VM it subscribed to.
// - The cursor keeps lib/vms/live.ts's guarantee: ids are handed out before commit, so each poll re-reads
//   from a lagged floor and each id is claimed once. A subscriber that joins with an older `after` gets
//   the rows between (one query, once) and remembers what it was sent, so nothing comes twice.
// - Polling stops while nobody watches, and starts again with the next subscriber.

/** What one interval found for one VM. */
export interface VmUpdate {
  /** New events, oldest first. */
  events: VmEvent[];
  /** Each event's previous state of its host or service (for "has recovered"); undefined when not known. */
  previous: Array<MonitoringState | undefined>;
  /** The current state of the host and services these events were about. */
  states: ServiceStateDetail[];
  /** Their availability over the standard periods (24 h, 7 d, 30 d), as `hardOnly` asked; empty on catch-up. */
  availability: SubjectAvailability[];
  worst: MonitoringState | null;
  sla: SlaDefinition;
}

export interface SubscribeOptions {
  /** Only events after this id (the page's newest when it was read); null: from now. */
  after: number | null;
  /** Availability from confirmed state changes only (the page's default). */
  hardOnly?: boolean;
  /** Called once the subscription's start is known (the id after which it delivers), before any update. */
  onStart?: (after: number) => void;
}

interface Subscriber {
  vm: OwnedVm;
  after: number;
  hardOnly: boolean;
  sent: Set<number>;
  deliver: (update: VmUpdate) => void;
}

export interface HubOptions {
  pollMs?: number;
  lagMs?: number;
  /** A client that was away longer than this many events starts from the present. */
  maxCatchUp?: number;
  now?: () => number;
  cache?: StateHistorySource | null;
  /** Rows per poll; a burst beyond it is picked up by the next polls. */
  batch?: number;
}

const SLA_TTL_MS = 60_000;

export class LiveHub {
  private readonly subscribers = new Map<number, Set<Subscriber>>();
  private cursor: LiveCursor | null = null;
  /** The newest id the last poll saw. */
  private seenMax = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private polling: Promise<void> | null = null;
  private sla: { at: number; value: SlaDefinition } | null = null;
  /** Per watched VM: the last known state of each host ('') and service, from its states and the events since. */
  private readonly lastStates = new Map<number, Map<string, MonitoringState>>();
  private readonly pollMs: number;
  private readonly lagMs: number;
  private readonly maxCatchUp: number;
  private readonly clock: () => number;
  private readonly cache: StateHistorySource | null;
  private readonly batch: number;

  constructor(
    private readonly db: Database,
    options: HubOptions = {},
  ) {
    this.pollMs = options.pollMs ?? 2_000;
    this.lagMs = options.lagMs ?? 10_000;
    this.maxCatchUp = options.maxCatchUp ?? 5_000;
    this.clock = options.now ?? Date.now;
    this.cache = options.cache === undefined ? stateHistoryCache : options.cache;
    this.batch = options.batch ?? 5_000;
  }

  /** How many subscribers are open (all VMs). */
  get size(): number {
    let n = 0;
    for (const set of this.subscribers.values()) n += set.size;
    return n;
  }

  /**
   * Starts delivering the VM's updates (the caller has checked the caller may read `vm`). Resolves with
   * the function that ends the subscription, once the rows since `after` (if any) have been delivered.
   */
  async subscribe(vm: OwnedVm, options: SubscribeOptions, deliver: (update: VmUpdate) => void): Promise<() => void> {
    if (!this.cursor) {
      const latest = await latestEventId(this.db);
      if (!this.cursor) {
        const start = Math.max(options.after ?? latest, latest - this.maxCatchUp);
        this.cursor = new LiveCursor(Math.min(start, latest), this.lagMs);
        this.seenMax = Math.min(start, latest);
      }
    }
    if (!this.lastStates.has(vm.id)) {
      const now = (await currentStatesForVms(this.db, [vm])).get(vm.id) ?? [];
      if (!this.lastStates.has(vm.id)) this.lastStates.set(vm.id, new Map(now.map((st) => [st.service ?? '', st.state])));
    }
    const top = this.seenMax;
    const after = Math.max(options.after ?? top, top - this.maxCatchUp);
    const sub: Subscriber = { vm, after, hardOnly: options.hardOnly ?? true, sent: new Set(), deliver };
    let set = this.subscribers.get(vm.id);
    if (!set) this.subscribers.set(vm.id, (set = new Set()));
    set.add(sub);
    options.onStart?.(after);
    // The rows the hub already handed out before this subscriber came: once, for it alone.
    if (after < top) {
      const rows = await eventsInIdRange(this.db, [vm.id], after, top, 1_000);
      const fresh = rows.filter((r) => !sub.sent.has(r.id) && r.id > sub.after);
      if (fresh.length > 0 && set.has(sub)) {
        for (const r of fresh) sub.sent.add(r.id);
        const states = (await currentStatesForVms(this.db, [vm])).get(vm.id) ?? [];
        const before = new Map<string, MonitoringState>();
        const previous = fresh.map((e) => {
          const p = before.get(e.service ?? '');
          before.set(e.service ?? '', e.state);
          return p;
        });
        sub.deliver({ events: fresh, previous, ...this.changedStates(states, fresh), availability: [], sla: await this.slaDefinition() });
      }
    }
    this.schedule();
    return () => {
      set.delete(sub);
      if (set.size === 0 && this.subscribers.get(vm.id) === set) {
        this.subscribers.delete(vm.id);
        this.lastStates.delete(vm.id);
      }
      if (this.subscribers.size === 0) this.stop();
    };
  }

  /** One interval's work (tests call it directly); never runs twice at once. */
  poll(): Promise<void> {
    this.polling ??= this.pollOnce().finally(() => {
      this.polling = null;
    });
    return this.polling;
  }

  /** Ends polling and forgets the cursor (tests; a process shutting down). */
  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.subscribers.size === 0) this.cursor = null;
  }

  private schedule(): void {
    if (this.timer || this.subscribers.size === 0) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.poll()
        .catch(() => undefined)
        .finally(() => this.schedule());
    }, this.pollMs);
    this.timer.unref?.();
  }

  private async slaDefinition(): Promise<SlaDefinition> {
    const now = this.clock();
    if (!this.sla || now - this.sla.at > SLA_TTL_MS) this.sla = { at: now, value: (await loadSlaDefinition(this.db)).definition };
    return this.sla.value;
  }

  private changedStates(all: readonly ServiceStateDetail[], events: readonly VmEvent[]): Pick<VmUpdate, 'states' | 'worst'> {
    const touched = new Set(events.map((e) => e.service));
    return { states: all.filter((s) => touched.has(s.service)), worst: worstState(all.map((s) => s.state)) };
  }

  private async pollOnce(): Promise<void> {
    const cursor = this.cursor;
    if (!cursor || this.subscribers.size === 0) return;
    const vmIds = [...this.subscribers.keys()];
    const max = await latestEventId(this.db);
    const rows = await eventsInIdRange(this.db, vmIds, cursor.scanFrom, max, this.batch);
    const fresh = rows.filter((r) => cursor.claim(r.id));
    // A full batch: the rest of the range is read by the next poll (the cursor must not pass it).
    const upTo = rows.length >= this.batch ? rows[rows.length - 1]!.id : max;
    cursor.observe(upTo, this.clock());
    this.seenMax = Math.max(this.seenMax, upTo);
    for (const set of this.subscribers.values()) for (const sub of set) for (const id of sub.sent) if (id <= cursor.scanFrom) sub.sent.delete(id);
    if (fresh.length === 0) return;

    const byVm = new Map<number, VmEvent[]>();
    for (const r of fresh) {
      const list = byVm.get(r.vmId) ?? [];
      list.push(r);
      byVm.set(r.vmId, list);
    }
    const watched = [...byVm.keys()].flatMap((id) => {
      const set = this.subscribers.get(id);
      const first = set?.values().next().value;
      return first ? [first.vm] : [];
    });
    if (watched.length === 0) return;
    const [states, sla] = await Promise.all([currentStatesForVms(this.db, watched), this.slaDefinition()]);
    const now = new Date(this.clock());
    const windows = availabilityWindows(now, null);
    const span = { from: windows[windows.length - 1]!.from, to: now };

    for (const vm of watched) {
      const events = byVm.get(vm.id)!;
      const last = this.lastStates.get(vm.id) ?? new Map<string, MonitoringState>();
      const previousOf = new Map<number, MonitoringState | undefined>();
      for (const e of events) {
        previousOf.set(e.id, last.get(e.service ?? ''));
        last.set(e.service ?? '', e.state);
      }
      const set = this.subscribers.get(vm.id);
      if (!set) continue;
      const changed = this.changedStates(states.get(vm.id) ?? [], events);
      const touched = new Set(events.map((e) => e.service ?? ''));
      // Availability of what changed, per variant the subscribers asked for (at most two reads per VM).
      const availability = new Map<boolean, SubjectAvailability[]>();
      for (const hardOnly of new Set([...set].map((s) => s.hardOnly))) {
        if (!this.cache) {
          availability.set(hardOnly, []);
          continue;
        }
        const histories = (await this.cache.get(this.db, vm.id, span, hardOnly)).filter((h) => touched.has(h.service));
        const extra = [...touched].filter((service) => !histories.some((h) => h.service === service)).map((service) => ({ vmId: vm.id, service }));
        availability.set(hardOnly, availabilityFor(histories, windows, { hardOnly, now, extra }));
      }
      // One update object per variant for every subscriber that gets all the events (the usual case), so
      // a stream can reuse what another with the same view already worded (the route memoizes by object).
      const shared = new Map<boolean, VmUpdate>();
      for (const sub of set) {
        const mine = events.filter((e) => e.id > sub.after && !sub.sent.has(e.id));
        if (mine.length === 0) continue;
        for (const e of mine) sub.sent.add(e.id);
        let update = mine.length === events.length ? shared.get(sub.hardOnly) : undefined;
        if (!update) {
          update = { events: mine, previous: mine.map((e) => previousOf.get(e.id)), ...changed, availability: availability.get(sub.hardOnly) ?? [], sla };
          if (mine.length === events.length) shared.set(sub.hardOnly, update);
        }
        try {
          sub.deliver(update);
        } catch {
          // one subscriber's failure (a closed stream) is its own
        }
      }
    }
  }
}

const globalHub = globalThis as unknown as { portholeLiveHub?: LiveHub };

/** The web process's hub (one per process, over the process's pool). */
export function liveHub(db: Database): LiveHub {
  globalHub.portholeLiveHub ??= new LiveHub(db);
  return globalHub.portholeLiveHub;
}
