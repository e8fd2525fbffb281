import type { PoolConnection } from 'mysql2/promise';
import type { Database } from './connection';
import { driverError } from './errors';

/**
 * The transaction lost a lock conflict and was rolled back whole: a deadlock (1213), which is also how
 * a Galera node reports a write that lost certification against another node's at COMMIT, or a lock
 * wait that timed out (1205). Running it again from the start is the database's own advice.
 */
export function isLockConflict(error: unknown): boolean {
  const { errno } = driverError(error);
  return errno === 1213 /* ER_LOCK_DEADLOCK */ || errno === 1205 /* ER_LOCK_WAIT_TIMEOUT */;
}

/**
 * Runs `work` in one transaction on one pooled mysql2 connection: for statements written as text
 * (lib/db/bulk-insert.ts) on the ingester's hot path, where drizzle's query layer only adds cost.
 * `conflictAttempts` > 1 runs the whole transaction again after a lost lock conflict (isLockConflict).
 */
export async function rawTransaction<T>(
  db: Database,
  work: (connection: PoolConnection) => Promise<T>,
  { readCommitted = false, conflictAttempts = 1 }: { readCommitted?: boolean; conflictAttempts?: number } = {},
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await once(db, work, readCommitted);
    } catch (error) {
      // Only for work with no effect outside the database before COMMIT: it runs again from the start.
      if (attempt >= conflictAttempts || !isLockConflict(error)) throw error;
      await new Promise((r) => setTimeout(r, Math.random() * 20 * attempt));
    }
  }
}

async function once<T>(db: Database, work: (connection: PoolConnection) => Promise<T>, readCommitted: boolean): Promise<T> {
  const connection = await db.$client.getConnection();
  try {
    // READ COMMITTED takes no gap locks: a claim over a range (FOR UPDATE SKIP LOCKED) then never blocks
    // the inserts of other transactions into that range.
    if (readCommitted) await connection.query('SET TRANSACTION ISOLATION LEVEL READ COMMITTED');
    await connection.beginTransaction();
    const result = await work(connection);
    await connection.commit();
    connection.release();
    return result;
  } catch (error) {
    // A connection that cannot even roll back is broken: drop it rather than return it to the pool.
    await connection.rollback().then(
      () => connection.release(),
      () => connection.destroy(),
    );
    throw error;
  }
}
