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

type IdPicker = (limit: number) => Promise<number[]>;

async function inBatches(db: Database, table: string, pick: IdPicker, batch: number): Promise<Pruned> {
  const result: Pruned = { table, deleted: 0, batches: 0, longestMs: 0 };
  for (;;) {
    const ids = await pick(batch);
    if (ids.length === 0) return result;
    const started = performance.now();
    const [done] = await db.$client.query<ResultSetHeader>(`DELETE FROM \`${table}\` WHERE id IN (?)`, [ids]);
    result.longestMs = Math.max(result.longestMs, performance.now() - started);
    result.deleted += done.affectedRows;
    result.batches += 1;
    if (ids.length < batch) return result;
  }
}

const ids = (rows: RowDataPacket[]) => rows.map((r) => Number(r.id));

/**
 * Events before `before`, except the newest one of each VM's host and service: it says what state the
 * series was in at the boundary, so availability and the timeline still start right. Unassigned
 * events (no VM) simply go.
 */
export function pruneEvents(db: Database, before: Date, batch: number): Promise<Pruned> {
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
function pruneByTime(db: Database, table: string, column: string, before: Date, batch: number, maxId = Number.MAX_SAFE_INTEGER): Promise<Pruned> {
  return inBatches(
    db,
    table,
    async (limit) =>
      ids((await db.$client.query<RowDataPacket[]>(`SELECT id FROM \`${table}\` WHERE \`${column}\` < ? AND id <= ? ORDER BY id LIMIT ?`, [before, maxId, limit]))[0]),
    batch,
  );
}

/** Samples older than `before` that are in the rollups already (ids up to `rolledUpThrough`). */
export const prunePerfSamples = (db: Database, before: Date, batch: number, rolledUpThrough: number) =>
  pruneByTime(db, getTableName(perfSamples), 'sampled_at', before, batch, rolledUpThrough);
/** Finished deliveries only: one still pending or waiting keeps its row whatever its age. */
export function pruneDeliveries(db: Database, before: Date, batch: number): Promise<Pruned> {
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
export const pruneAudit = (db: Database, before: Date, batch: number) => pruneByTime(db, getTableName(auditLog), 'at', before, batch);

/** Throttle rows whose window ended before `before` and that lock nobody out any more. */
export async function pruneLoginThrottle(db: Database, before: Date, now: Date, batch: number): Promise<Pruned> {
  const t = getTableName(loginThrottle);
  const result: Pruned = { table: t, deleted: 0, batches: 0, longestMs: 0 };
  for (;;) {
    const started = performance.now();
    const [done] = await db.$client.query<ResultSetHeader>(
      `DELETE FROM \`${t}\` WHERE window_start < ? AND (locked_until IS NULL OR locked_until < ?) LIMIT ?`,
      [before, now, batch],
    );
    result.longestMs = Math.max(result.longestMs, performance.now() - started);
    result.deleted += done.affectedRows;
    result.batches += 1;
    if (done.affectedRows < batch) return result;
  }
}
