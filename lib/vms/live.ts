// The live views' cursor over new events (read by id: lib/db/queries/vm-events.ts). Auto-increment ids
// are handed out before commit, so a transaction can become visible after a later id already was. The
// cursor therefore re-reads ids from a few seconds back and remembers what it already sent, instead of
// trusting "everything <= the max I saw".

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
