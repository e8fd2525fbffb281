import { getTableName } from 'drizzle-orm';
import type { ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import type { Database } from '../connection';
import { alertDeliveries, auditLog, loginThrottle, monitoringEvents, perfSamples } from '../schema';

// Retention's deletes (lib/retention/run.ts): old rows go in batches of ids picked first, each batch one
// short statement of its own, so no lock is held for longer than one batch while the ingester writes.

export interface Pruned {
  table: string;
  deleted: number;
  batches: number;
  /** The longest single delete, ms: what a writer waiting on it could have waited at most. */
  longestMs: number;
}

/** How big a batch may be, and how long one delete should take: batches grow and shrink to stay near it. */
export interface BatchPolicy {
  max: number;
  targetMs: number;
}

/** A step: deletes up to `limit` rows; answers how many it found and deleted, and how long the delete took. */
type Step = (limit: number) => Promise<{ found: number; deleted: number; ms: number }>;

const FIRST_BATCH = 200;

/**
 * Steps until one finds fewer rows than it asked for. A delete that took longer than the target halves
 * the next batch, one under half of it grows the next by half: on a busy or cold database (index pages
 * read from disk) a fixed batch of thousands can hold its locks for seconds, a writer waiting on them.
 */
export async function deleteInSteps(table: string, policy: BatchPolicy, step: Step): Promise<Pruned> {
  const result: Pruned = { table, deleted: 0, batches: 0, longestMs: 0 };
  let size = Math.min(policy.max, FIRST_BATCH);
  for (;;) {
    const { found, deleted, ms } = await step(size);
    if (found === 0) return result;
    result.longestMs = Math.max(result.longestMs, ms);
    result.deleted += deleted;
    result.batches += 1;
    if (found < size) return result;
    if (ms > policy.targetMs) size = Math.max(1, Math.floor(size / 2));
    else if (ms < policy.targetMs / 2) size = Math.min(policy.max, Math.ceil(size * 1.5));
  }
}

/** Deletes by ids picked first: the delete itself is one short statement on primary keys. */
async function deleteByIds(db: Database, table: string, ids: number[]): Promise<{ found: number; deleted: number; ms: number }> {
  if (ids.length === 0) return { found: 0, deleted: 0, ms: 0 };
  const started = performance.now();
  const [done] = await db.$client.query<ResultSetHeader>(`DELETE FROM \`${table}\` WHERE id IN (?)`, [ids]);
  return { found: ids.length, deleted: done.affectedRows, ms: performance.now() - started };
}

function inBatches(db: Database, table: string, pick: (limit: number) => Promise<number[]>, policy: BatchPolicy): Promise<Pruned> {
  return deleteInSteps(table, policy, async (limit) => deleteByIds(db, table, await pick(limit)));
}

/** A `DELETE … LIMIT` step (for tables whose rows are picked by the delete itself). */
export function limitedDelete(db: Database, sql: string, params: unknown[]): Step {
  return async (limit) => {
    const started = performance.now();
    const [done] = await db.$client.query<ResultSetHeader>(`${sql} LIMIT ?`, [...params, limit]);
    return { found: done.affectedRows, deleted: done.affectedRows, ms: performance.now() - started };
  };
}

const ids = (rows: RowDataPacket[]) => rows.map((r) => Number(r.id));

/**
 * Events before `before`, except the newest one of each VM's host and service: it says what state the
 * series was in at the boundary, so availability and the timeline still start right. Unassigned
 * events (no VM) simply go.
 */
export function pruneEvents(db: Database, before: Date, batch: BatchPolicy): Promise<Pruned> {
  const t = getTableName(monitoringEvents);
  return inBatches(
    db,
    t,
    async (limit) =>
      ids(
        (
          await db.$client.query<RowDataPacket[]>(
            `SELECT e.id FROM \`${t}\` e FORCE INDEX (monitoring_events_time_idx)
             WHERE e.occurred_at < ?
               AND (e.vm_id IS NULL OR EXISTS (
                 SELECT 1 FROM \`${t}\` n WHERE n.vm_id = e.vm_id AND n.service = e.service AND n.occurred_at > e.occurred_at AND n.occurred_at < ?))
             ORDER BY e.occurred_at LIMIT ?`,
            [before, before, limit],
          )
        )[0],
      ),
    batch,
  );
}

/** Rows of a table with an id and a time column, older than `before` (and with an id up to `maxId`), oldest ids first. */
function pruneByTime(db: Database, table: string, column: string, before: Date, batch: BatchPolicy, maxId = Number.MAX_SAFE_INTEGER): Promise<Pruned> {
  return inBatches(
    db,
    table,
    async (limit) =>
      ids((await db.$client.query<RowDataPacket[]>(`SELECT id FROM \`${table}\` WHERE \`${column}\` < ? AND id <= ? ORDER BY id LIMIT ?`, [before, maxId, limit]))[0]),
    batch,
  );
}

/** Samples older than `before` that are in the rollups already (ids up to `rolledUpThrough`). */
export const prunePerfSamples = (db: Database, before: Date, batch: BatchPolicy, rolledUpThrough: number) =>
  pruneByTime(db, getTableName(perfSamples), 'sampled_at', before, batch, rolledUpThrough);
/** Finished deliveries only: one still pending or waiting keeps its row whatever its age. */
export function pruneDeliveries(db: Database, before: Date, batch: BatchPolicy): Promise<Pruned> {
  const t = getTableName(alertDeliveries);
  return inBatches(
    db,
    t,
    async (limit) =>
      ids(
        (
          await db.$client.query<RowDataPacket[]>(`SELECT id FROM \`${t}\` WHERE created_at < ? AND due_at IS NULL ORDER BY id LIMIT ?`, [before, limit])
        )[0],
      ),
    batch,
  );
}
export const pruneAudit = (db: Database, before: Date, batch: BatchPolicy) => pruneByTime(db, getTableName(auditLog), 'at', before, batch);

/** Throttle rows whose window ended before `before` and that lock nobody out any more. */
export function pruneLoginThrottle(db: Database, before: Date, now: Date, batch: BatchPolicy): Promise<Pruned> {
  const t = getTableName(loginThrottle);
  return deleteInSteps(t, batch, limitedDelete(db, `DELETE FROM \`${t}\` WHERE window_start < ? AND (locked_until IS NULL OR locked_until < ?)`, [before, now]));
}
