// The ingester's own row in `ingester_status` (read by staff through lib/db/queries/pipeline.ts).
// No 'server-only': the ingester runs outside Next.
import { sql } from 'drizzle-orm';
import type { Database } from '../connection';
import { ingesterStatus } from '../schema';

export type IngesterStatusRow = typeof ingesterStatus.$inferInsert;

/** Writes this instance's row, creating it on the first report. */
export async function reportIngesterStatus(db: Database, row: IngesterStatusRow): Promise<void> {
  await db
    .insert(ingesterStatus)
    .values(row)
    .onDuplicateKeyUpdate({ set: { ...row, instance: sql`${ingesterStatus.instance}` } });
}
