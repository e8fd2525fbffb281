import { drizzle } from 'drizzle-orm/mysql2';
import { format } from 'mysql2';
import mysql, { type PoolOptions } from 'mysql2/promise';
import * as schema from './schema';

/**
 * Statements this process sent to the database, over all its pools (the web process serves it as
 * porthole_db_queries_total; bench:portal reads it to show what live pages cost). Kept on globalThis so
 * the server's own code (server.mjs) and Next's bundle of this module count into one number.
 */
const counter = globalThis as unknown as { __portholeDbQueries?: number };
counter.__portholeDbQueries ??= 0;
export const dbQueryCount = (): number => counter.__portholeDbQueries ?? 0;

interface CountedConnection {
  query: (...args: unknown[]) => unknown;
  execute: (...args: unknown[]) => unknown;
  __counted?: boolean;
}

function countQueries(conn: CountedConnection): void {
  if (conn.__counted) return;
  conn.__counted = true;
  for (const method of ['query', 'execute'] as const) {
    const original = conn[method];
    conn[method] = function (this: unknown, ...args: unknown[]) {
      counter.__portholeDbQueries = (counter.__portholeDbQueries ?? 0) + 1;
      return original.apply(this, args);
    };
  }
}

/**
 * mysql2's own formatting, except that a statement without values is sent as it is: mysql2 scans every
 * statement's whole text for placeholders even then, and the ingester's multi-row inserts (already
 * escaped, lib/db/bulk-insert.ts) are hundreds of kilobytes. With no values the scan returns the text
 * unchanged, so the result is the same.
 */
function formatUnlessBare(this: { config: { stringifyObjects?: boolean; timezone?: string } }, sql: string, values: unknown): string {
  if (values === undefined || values === null || (Array.isArray(values) && values.length === 0)) return sql;
  return format(sql, values as never, this.config.stringifyObjects, this.config.timezone as never);
}

/** A drizzle database over a mysql2 pool, for any process (web, ingester, scripts, tests). */
export function createDb(url: string, { connectionLimit = 10 }: { connectionLimit?: number } = {}) {
  const pool = mysql.createPool({
    uri: url,
    connectionLimit,
    timezone: 'Z', // DATETIME columns hold UTC
    supportBigNumbers: true,
    connectTimeout: 5000,
    enableKeepAlive: true,
    // mysql2's typings give queryFormat the wrong signature: it is called on the connection, returning the text.
    queryFormat: formatUnlessBare as unknown as PoolOptions['queryFormat'],
  });
  // Every statement of the pool goes through a core connection's query() or execute().
  pool.on('connection', (conn) => countQueries(conn as unknown as CountedConnection));
  const db = drizzle(pool, { schema, mode: 'default' });
  return { db, pool };
}

export type Database = ReturnType<typeof createDb>['db'];
