import 'server-only';
import { env } from '@/lib/env';
import { createDb } from './connection';

// One pool per server process; cached on globalThis so dev-mode reloads don't leak pools.
const globalForDb = globalThis as unknown as { porthole?: ReturnType<typeof createDb> };

function instance() {
  globalForDb.porthole ??= createDb(env().DATABASE_URL);
  return globalForDb.porthole;
}

export const getDb = () => instance().db;
export const getPool = () => instance().pool;
