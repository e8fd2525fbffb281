// No 'server-only': the start-up check (lib/preflight.ts) runs in scripts/demo.ts too.
import { sql } from 'drizzle-orm';
import type { Database } from '../connection';

/** A round trip to the database: it answers queries, not just its socket. */
export async function pingDatabase(db: Database): Promise<void> {
  await db.execute(sql`SELECT 1`);
}
