import type { PoolConnection } from 'mysql2/promise';
import type { Database } from './connection';

/**
 * Runs `work` in one transaction on one pooled mysql2 connection: for statements written as text
 * (lib/db/bulk-insert.ts) on the ingester's hot path, where drizzle's query layer only adds cost.
 */
export async function rawTransaction<T>(db: Database, work: (connection: PoolConnection) => Promise<T>, { readCommitted = false } = {}): Promise<T> {
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
