import { and, asc, between, eq, gt, inArray, lte, max, min, sql } from 'drizzle-orm';
import type { Database } from '../db/connection';
import { monitoringEvents } from '../db/schema';
import { type VmEvent, eventColumns, toVmEvent } from './history';

// New events for the live views, found by id: MAX(id) is one index dive, and the rows after a known id
// are a short primary-key range however large the table is.
//
// Auto-increment ids are handed out before commit, so a transaction can become visible after a later
// id already was. The cursor therefore re-reads ids from a few seconds back and remembers what it
// already sent, instead of trusting "everything <= the max I saw".

export async function latestEventId(db: Database): Promise<number> {
  const [row] = await db.select({ id: max(monitoringEvents.id) }).from(monitoringEvents);
  return Number(row?.id ?? 0);
}

/**
 * An id below which every row has long been committed: the lowest id received in the last minute (by
 * the database's clock), minus one; `maxId` when nothing arrived lately. Re-reading from here covers a
 * transaction that was still open when `maxId` was read.
 */
export async function settledFloor(db: Database, maxId: number): Promise<number> {
  const [row] = await db
    .select({ id: min(monitoringEvents.id) })
    .from(monitoringEvents)
    // Bounded above too: a row stamped far in the future (a skewed clock) must not pin the floor.
    .where(between(monitoringEvents.receivedAt, sql`UTC_TIMESTAMP(3) - INTERVAL 60 SECOND`, sql`UTC_TIMESTAMP(3) + INTERVAL 60 SECOND`));
  const lowest = row?.id === null || row?.id === undefined ? null : Number(row.id);
  return lowest === null ? maxId : Math.min(maxId, lowest - 1);
}

/** Events of the given VMs with afterId < id <= upToId, oldest first (not scoped: pass checked ids). */
export async function eventsInIdRange(
  db: Database,
  vmIds: readonly number[],
  afterId: number,
  upToId: number,
  limit = 200,
): Promise<Array<VmEvent & { vmId: number }>> {
  if (vmIds.length === 0 || upToId <= afterId) return [];
  const rows = await db
    .select({ ...eventColumns, vmId: monitoringEvents.vmId })
    .from(monitoringEvents)
    .where(
      and(
        gt(monitoringEvents.id, afterId),
        lte(monitoringEvents.id, upToId),
        vmIds.length === 1 ? eq(monitoringEvents.vmId, vmIds[0]!) : inArray(monitoringEvents.vmId, [...vmIds]),
      ),
    )
    .orderBy(asc(monitoringEvents.id))
    .limit(limit);
  return rows.map((r) => ({ ...toVmEvent(r), vmId: r.vmId ?? 0 }));
}

/** Where the next poll starts reading, given what was seen when (pure, so it can be tested). */
export class LiveCursor {
  private snapshots: Array<{ at: number; maxId: number }> = [];
  private sent = new Set<number>();
  private floor: number;

  constructor(
    startId: number,
    private readonly lagMs = 10_000,
  ) {
    this.floor = startId;
  }

  /** Read ids above this one: the newest max id seen at least `lagMs` ago. */
  get scanFrom(): number {
    return this.floor;
  }

  /** Record the max id of a poll at time `now`; moves the floor past ids old enough to be settled. */
  observe(maxId: number, now: number): void {
    this.snapshots.push({ at: now, maxId });
    while (this.snapshots.length > 0 && this.snapshots[0]!.at <= now - this.lagMs) {
      this.floor = Math.max(this.floor, this.snapshots.shift()!.maxId);
    }
    for (const id of this.sent) if (id <= this.floor) this.sent.delete(id);
  }

  /** True the first time an id is offered: each event is sent once. */
  claim(id: number): boolean {
    if (id <= this.floor || this.sent.has(id)) return false;
    this.sent.add(id);
    return true;
  }
}
