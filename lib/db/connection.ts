import { drizzle } from 'drizzle-orm/mysql2';
import mysql from 'mysql2/promise';
import * as schema from './schema';

/** A drizzle database over a mysql2 pool, for any process (web, ingester, scripts, tests). */
export function createDb(url: string, { connectionLimit = 10 }: { connectionLimit?: number } = {}) {
  const pool = mysql.createPool({
    uri: url,
    connectionLimit,
    timezone: 'Z', // DATETIME columns hold UTC
    supportBigNumbers: true,
    connectTimeout: 5000,
    enableKeepAlive: true,
  });
  const db = drizzle(pool, { schema, mode: 'default' });
  return { db, pool };
}

export type Database = ReturnType<typeof createDb>['db'];
