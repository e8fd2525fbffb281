import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../db/connection';
import { settings as settingsTable } from '../db/schema';
import { ReleaseDataError, SYSTEM_UBUNTU_CSV, parseUbuntuCsv, type Release } from './releases';

/** The settings row holding a staff-imported ubuntu.csv. */
export const UBUNTU_CSV_KEY = 'ubuntu_csv';
/** An ubuntu.csv is a few kB; anything much larger is not one. */
export const MAX_CSV_BYTES = 256 * 1024;

export interface ReleaseTableSource {
  kind: 'shipped' | 'imported';
  /** One sentence for the releases page: where the dates come from. */
  description: string;
  origin: string;
  importedAt?: Date;
  importedBy?: string | null;
}

export interface ReleaseTable {
  releases: Release[];
  source: ReleaseTableSource;
}

const storedCsvSchema = z.object({ csv: z.string(), origin: z.string(), importedAt: z.string() });
export type StoredUbuntuCsv = z.infer<typeof storedCsvSchema>;

let shipped: Release[] | undefined;

/**
 * The copy shipped in lib/guides/data, found from the project directory (the working directory of
 * every Porthole process, as Next itself requires). The path is spelled out in full so that Next's
 * output tracing includes this one file rather than the whole project.
 */
export function shippedReleases(): Release[] {
  if (shipped) return shipped;
  const file = path.join(process.cwd(), 'lib', 'guides', 'data', 'ubuntu.csv');
  if (!existsSync(file)) throw new Error(`The shipped ubuntu.csv is missing (looked for ${file}).`);
  shipped = parseUbuntuCsv(readFileSync(file, 'utf8'));
  return shipped;
}

const SHIPPED_DESCRIPTION =
  "Debian's distro-info-data ubuntu.csv (0.58+deb12u7) shipped with Porthole; staff can import a newer copy.";

/** Releases from the imported table when there is one (and it still parses), else the shipped copy. */
export async function loadReleaseTable(db: Database): Promise<ReleaseTable> {
  const [row] = await db.select().from(settingsTable).where(eq(settingsTable.key, UBUNTU_CSV_KEY));
  if (row) {
    const stored = storedCsvSchema.safeParse(row.value);
    if (stored.success) {
      try {
        const releases = parseUbuntuCsv(stored.data.csv);
        return {
          releases,
          source: {
            kind: 'imported',
            origin: stored.data.origin,
            importedAt: row.updatedAt,
            importedBy: row.updatedBy,
            description: `distro-info-data ubuntu.csv imported by ${row.updatedBy ?? 'staff'} on ${row.updatedAt.toISOString().slice(0, 10)} from ${stored.data.origin} (${releases.length} releases).`,
          },
        };
      } catch {
        // A stored table that no longer parses must not take every guide down: use the shipped one.
      }
    }
  }
  const releases = shippedReleases();
  return {
    releases,
    source: { kind: 'shipped', origin: 'lib/guides/data/ubuntu.csv', description: `${SHIPPED_DESCRIPTION} (${releases.length} releases).` },
  };
}

export type ImportResult = { ok: true; releases: Release[]; newest: Release } | { ok: false; error: string };

/** Validates a candidate ubuntu.csv: it must parse and should not lose releases we already know. */
export function validateUbuntuCsv(text: string): ImportResult {
  if (Buffer.byteLength(text, 'utf8') > MAX_CSV_BYTES) {
    return { ok: false, error: `The file is larger than ${MAX_CSV_BYTES / 1024} kB: that is not an ubuntu.csv.` };
  }
  try {
    const releases = parseUbuntuCsv(text);
    const newest = [...releases].sort((a, b) => (a.released < b.released ? -1 : 1)).at(-1)!;
    return { ok: true, releases, newest };
  } catch (err) {
    if (err instanceof ReleaseDataError) return { ok: false, error: err.message };
    throw err;
  }
}

/** Stores a validated table; nothing is written when it does not parse. */
export async function importUbuntuCsv(db: Database, text: string, origin: string, by: string): Promise<ImportResult> {
  const checked = validateUbuntuCsv(text);
  if (!checked.ok) return checked;
  const value: StoredUbuntuCsv = { csv: text, origin, importedAt: new Date().toISOString() };
  const at = new Date();
  await db
    .insert(settingsTable)
    .values({ key: UBUNTU_CSV_KEY, value, updatedAt: at, updatedBy: by.slice(0, 64) })
    .onDuplicateKeyUpdate({ set: { value, updatedAt: at, updatedBy: by.slice(0, 64) } });
  return checked;
}

/** Back to the shipped copy. */
export async function clearImportedUbuntuCsv(db: Database): Promise<boolean> {
  const [result] = await db.delete(settingsTable).where(eq(settingsTable.key, UBUNTU_CSV_KEY));
  return result.affectedRows > 0;
}

/** The system's distro-info-data copy, when the package is installed. */
export function readSystemUbuntuCsv(file = SYSTEM_UBUNTU_CSV): string | null {
  return existsSync(file) ? readFileSync(file, 'utf8') : null;
}
