import type { PoolConnection } from 'mysql2/promise';
import type { Database } from './connection';

/**
 * Runs `work` in one transaction on one pooled mysql2 connection: for statements written as text
 * (lib/db/bulk-insert.ts) on the ingester's hot path, where drizzle's query layer only adds cost.
 */
export async function rawTransaction<T>(db: Database, work: (connection: PoolConnection) => Promise<T>): Promise<T> {
  const connection = await db.$client.getConnection();
  try {
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
