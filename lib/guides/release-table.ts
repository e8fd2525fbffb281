import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { type Result, fail, ok } from '../result';
import { ReleaseDataError, SYSTEM_UBUNTU_CSV, parseUbuntuCsv, type Release } from './releases';

// Which release table is in effect: the shipped copy, or one staff imported (stored in the settings
// table by lib/db/queries/releases.ts, which hands the stored row to `releaseTableFrom`).

/** An ubuntu.csv is a few kB; anything much larger is not one. */
export const MAX_CSV_BYTES = 256 * 1024;

export interface ReleaseTableSource {
  kind: 'shipped' | 'imported';
  /** One sentence for staff: where the dates come from (file, package version, who imported it). */
  description: string;
  /** The same for customers, without package or file names. */
  customerDescription: string;
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

/** A stored import as the settings table holds it. */
export interface StoredReleaseTable {
  value: unknown;
  updatedAt: Date;
  updatedBy: string | null;
}

/** Releases from the imported table when there is one (and it still parses), else the shipped copy. */
export function releaseTableFrom(row: StoredReleaseTable | null): ReleaseTable {
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
            customerDescription: `Ubuntu's published release and support dates, updated on ${row.updatedAt.toISOString().slice(0, 10)}.`,
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
    source: {
      kind: 'shipped',
      origin: 'lib/guides/data/ubuntu.csv',
      description: `${SHIPPED_DESCRIPTION} (${releases.length} releases).`,
      customerDescription: "Ubuntu's published release and support dates.",
    },
  };
}

/** A table that parses, with its newest release; or why it does not. */
export type ImportResult = Result<{ releases: Release[]; newest: Release }>;

/** Validates a candidate ubuntu.csv: it must parse and should not lose releases we already know. */
export function validateUbuntuCsv(text: string): ImportResult {
  if (Buffer.byteLength(text, 'utf8') > MAX_CSV_BYTES) {
    return fail(`The file is larger than ${MAX_CSV_BYTES / 1024} kB: that is not an ubuntu.csv.`);
  }
  try {
    const releases = parseUbuntuCsv(text);
    const newest = [...releases].sort((a, b) => (a.released < b.released ? -1 : 1)).at(-1)!;
    return ok({ releases, newest });
  } catch (err) {
    if (err instanceof ReleaseDataError) return fail(err.message);
    throw err;
  }
}

/** What the settings table stores for an imported table. */
export function storedUbuntuCsv(text: string, origin: string, at: Date): StoredUbuntuCsv {
  return { csv: text, origin, importedAt: at.toISOString() };
}

/** The system's distro-info-data copy, when the package is installed. */
export function readSystemUbuntuCsv(file = SYSTEM_UBUNTU_CSV): string | null {
  return existsSync(file) ? readFileSync(file, 'utf8') : null;
}
