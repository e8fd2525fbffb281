// No 'server-only': the portal benchmark (scripts/bench/portal-bare.ts) runs the VM page's and the dashboard's queries outside Next.
import { eq } from 'drizzle-orm';
import { type ImportResult, type ReleaseTable, releaseTableFrom, storedUbuntuCsv, validateUbuntuCsv } from '../../guides/release-table';
import type { Database } from '../connection';
import { settings } from '../schema';

/** The settings row holding a staff-imported ubuntu.csv. */
export const UBUNTU_CSV_KEY = 'ubuntu_csv';

/** The release table in effect: the staff import when there is one that parses, else the shipped copy. */
export async function loadReleaseTable(db: Database): Promise<ReleaseTable> {
  const [row] = await db.select().from(settings).where(eq(settings.key, UBUNTU_CSV_KEY));
  return releaseTableFrom(row ?? null);
}

/** Stores a validated table; nothing is written when it does not parse. */
export async function importUbuntuCsv(db: Database, text: string, origin: string, by: string): Promise<ImportResult> {
  const checked = validateUbuntuCsv(text);
  if (!checked.ok) return checked;
  const at = new Date();
  const value = storedUbuntuCsv(text, origin, at);
  await db
    .insert(settings)
    .values({ key: UBUNTU_CSV_KEY, value, updatedAt: at, updatedBy: by.slice(0, 64) })
    .onDuplicateKeyUpdate({ set: { value, updatedAt: at, updatedBy: by.slice(0, 64) } });
  return checked;
}

/** Back to the shipped copy. */
export async function clearImportedUbuntuCsv(db: Database): Promise<boolean> {
  const [result] = await db.delete(settings).where(eq(settings.key, UBUNTU_CSV_KEY));
  return result.affectedRows > 0;
}
