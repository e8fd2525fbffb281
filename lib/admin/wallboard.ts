// The staff wallboard (/admin/wallboard): one snapshot of every current problem, shared by every board
// the process serves. However many boards poll, the problem list is read from the database at most once
// per WALLBOARD_INTERVAL_MS, and boards that ask while a read is running wait for that read instead of
// starting their own. No 'server-only' and no Next: scripts/bench/wallboard.ts runs it in-process.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Database } from '../db/connection';
import { type AckActor, type AckOutcome, type ProblemKey, type ProblemRow, acknowledgeProblems, currentProblems } from '../db/queries/wallboard';
import { compareStates } from '../monitoring/severity';
import { type MonitoringState, HOST_STATES, SERVICE_STATES, isOneOf } from '../monitoring/wire';
import { type Result, fail, ok } from '../result';

/**
 * How stale a board may be. Boards poll a little slower than this (app/admin/wallboard/board-state.ts),
 * so each poll finds either the same snapshot (304) or a new one; the database sees one read per interval.
 */
export const WALLBOARD_INTERVAL_MS = 2000;
/** Acknowledgements per request: a board sends "acknowledge all" in chunks of this many. */
export const MAX_ACKS_PER_REQUEST = 100;

/**
 * Problems that sound the alarm until acknowledged: confirmed (HARD) CRITICAL services and DOWN hosts.
 * SOFT states are Nagios re-checking before it believes them (and before it notifies anyone); they are
 * on the board, and sound once they turn HARD, unless someone acknowledged them already.
 */
export const ALARM_STATES: readonly MonitoringState[] = ['CRITICAL', 'DOWN'];

export interface WallboardProblem {
  /** Opaque and stable for one problem: the VM, the state change's time, the service. */
  key: string;
  vmId: number;
  hostname: string;
  accountId: number;
  accountName: string;
  /** '' for the host itself. */
  service: string;
  state: MonitoringState;
  stateType: 'HARD' | 'SOFT';
  attempt: number;
  maxAttempts: number;
  output: string | null;
  /** When the current state began (ISO). */
  since: string;
  lastCheckAt: string;
  ack: { at: string; by: string } | null;
  /** Unacknowledged HARD CRITICAL or DOWN: it sounds the alarm. */
  alarm: boolean;
}

export interface WallboardSnapshot {
  /** Changes whenever anything shown changes (not with the time of the read): the API's ETag. */
  version: string;
  /** When the database was read (ISO). */
  readAt: string;
  /** Worst first (lib/monitoring/severity.ts), then the newest state change first. */
  problems: WallboardProblem[];
  counts: Partial<Record<MonitoringState, number>>;
  /** How many problems sound the alarm. */
  alarms: number;
}

const STATES = [...SERVICE_STATES, ...HOST_STATES] as const;
const asState = (s: string): MonitoringState => (isOneOf(STATES, s) ? s : 'UNKNOWN');

export const problemKey = (k: { vmId: number; service: string; since: Date | string }) =>
  `${k.vmId}:${typeof k.since === 'string' ? Date.parse(k.since) : k.since.getTime()}:${k.service}`;

/** Pure: the rows of one read as the snapshot every board shows. */
export function buildSnapshot(rows: readonly ProblemRow[], readAt: Date): WallboardSnapshot {
  const problems = rows.map((r): WallboardProblem => {
    const state = asState(r.state);
    const ack = r.ackAt && r.ackBy !== null ? { at: r.ackAt.toISOString(), by: r.ackBy } : null;
    return {
      key: problemKey(r),
      vmId: r.vmId,
      hostname: r.hostname,
      accountId: r.accountId,
      accountName: r.accountName,
      service: r.service,
      state,
      stateType: r.stateType,
      attempt: r.attempt,
      maxAttempts: r.maxAttempts,
      output: r.output,
      since: r.since.toISOString(),
      lastCheckAt: r.lastCheckAt.toISOString(),
      ack,
      alarm: ack === null && r.stateType === 'HARD' && ALARM_STATES.includes(state),
    };
  });
  // Worst, newest, then by name: plain code-unit order (a stable tiebreak, no collation cost per comparison).
  const order = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  const since = new Map(rows.map((r, i) => [problems[i]!, r.since.getTime()]));
  problems.sort((a, b) => compareStates(b.state, a.state) || since.get(b)! - since.get(a)! || order(a.hostname, b.hostname) || order(a.service, b.service) || a.vmId - b.vmId);
  const counts: Partial<Record<MonitoringState, number>> = {};
  for (const p of problems) counts[p.state] = (counts[p.state] ?? 0) + 1;
  // lastCheckAt is left out: a re-check that changes nothing on the board must not wake every board.
  const shown = JSON.stringify(problems.map((p) => [p.key, p.state, p.stateType, p.attempt, p.maxAttempts, p.output, p.hostname, p.accountName, p.ack]));
  return {
    version: createHash('sha256').update(shown).digest('base64url').slice(0, 22),
    readAt: readAt.toISOString(),
    problems,
    counts,
    alarms: problems.filter((p) => p.alarm).length,
  };
}

export interface WallboardCacheOptions {
  intervalMs?: number;
  now?: () => number;
}

interface Entry {
  snapshot: WallboardSnapshot;
  /** When its read started: the next read starts an interval after the last one started. */
  startedAt: number;
  generation: number;
  json?: string;
}

/**
 * The process-wide snapshot. A read is started by the first caller after the interval, and every
 * caller until it ends shares it; a failed read is remembered for the interval too, so a database that
 * is down is not asked once per board. `invalidate()` (after an acknowledgement) makes the next caller
 * read again, and a read that was already running when it was called is not taken as the new state.
 */
export class WallboardCache {
  private readonly intervalMs: number;
  private readonly now: () => number;
  private entry: Entry | null = null;
  private failure: { error: unknown; startedAt: number; generation: number } | null = null;
  private inflight: { promise: Promise<Entry>; generation: number } | null = null;
  private generation = 0;
  /** Database reads started (for the benchmark and tests). */
  reads = 0;

  constructor(
    private readonly load: () => Promise<WallboardSnapshot>,
    options: WallboardCacheOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? WALLBOARD_INTERVAL_MS;
    this.now = options.now ?? Date.now;
  }

  async snapshot(): Promise<WallboardSnapshot> {
    return (await this.current()).snapshot;
  }

  /** The snapshot as the API's JSON body, serialised once per snapshot rather than once per board. */
  async json(): Promise<{ version: string; body: string }> {
    const entry = await this.current();
    entry.json ??= JSON.stringify(entry.snapshot);
    return { version: entry.snapshot.version, body: entry.json };
  }

  invalidate(): void {
    this.generation += 1;
  }

  private fresh(startedAt: number, generation: number): boolean {
    return generation === this.generation && this.now() - startedAt < this.intervalMs;
  }

  private current(): Promise<Entry> {
    const { entry, failure, inflight } = this;
    if (entry && this.fresh(entry.startedAt, entry.generation)) return Promise.resolve(entry);
    if (failure && this.fresh(failure.startedAt, failure.generation)) return Promise.reject(failure.error);
    if (inflight && inflight.generation === this.generation) return inflight.promise;
    const generation = this.generation;
    const startedAt = this.now();
    this.reads += 1;
    const promise = this.load().then(
      (snapshot) => {
        const next: Entry = { snapshot, startedAt, generation };
        if (generation === this.generation || !this.entry) this.entry = next;
        this.failure = null;
        return next;
      },
      (error: unknown) => {
        this.failure = { error, startedAt, generation };
        throw error;
      },
    );
    const mine = { promise, generation };
    this.inflight = mine;
    const clear = () => {
      if (this.inflight === mine) this.inflight = null;
    };
    promise.then(clear, clear);
    return promise;
  }
}

/** A cache over the database: each read is one query (lib/db/queries/wallboard.ts currentProblems). */
export function createWallboardCache(db: Database, options: WallboardCacheOptions = {}): WallboardCache {
  return new WallboardCache(async () => buildSnapshot(await currentProblems(db), new Date()), options);
}

// One per server process (on globalThis, so dev-mode reloads keep it), shared by the page and the API.
const globalForWallboard = globalThis as unknown as { portholeWallboard?: WallboardCache };

export function sharedWallboard(db: Database): WallboardCache {
  globalForWallboard.portholeWallboard ??= createWallboardCache(db);
  return globalForWallboard.portholeWallboard;
}

const ackBody = z.object({
  problems: z
    .array(
      z.object({
        vmId: z.number().int().positive().max(2_147_483_647),
        service: z.string().max(255),
        since: z.iso.datetime({ offset: true }),
      }),
    )
    .min(1, 'Name at least one problem.')
    .max(MAX_ACKS_PER_REQUEST, `At most ${MAX_ACKS_PER_REQUEST} problems per request.`),
});

/** The body of an acknowledgement: {"problems": [{"vmId", "service", "since"}]}, as the board's problems carry them. */
export function parseAckRequest(body: unknown): Result<ProblemKey[]> {
  const parsed = ackBody.safeParse(body);
  if (!parsed.success) return fail(parsed.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; '));
  return ok(parsed.data.problems.map((p) => ({ vmId: p.vmId, service: p.service, since: new Date(p.since) })));
}

/**
 * Acknowledges problems for every board (audited as `wallboard.ack`, one row per problem), then lets
 * the next request read the new state, so the board that asked sees its alarm stop at once.
 */
export async function acknowledge(db: Database, cache: WallboardCache, actor: AckActor, keys: readonly ProblemKey[]): Promise<AckOutcome> {
  const outcome = await acknowledgeProblems(db, actor, keys);
  // Also when nothing was ours to write: another instance's board may have acknowledged them.
  cache.invalidate();
  return outcome;
}
