// Staff overrides of the guide settings (lib/guides/settings.ts says what each one is and validates it).
// No 'server-only': the start-up check (lib/preflight.ts, also run by scripts/demo.ts) reads them too.
import { eq, inArray } from 'drizzle-orm';
import {
  GUIDE_SETTING_DB_KEYS,
  GUIDE_SETTINGS,
  type GuideSettingKey,
  type GuideSettings,
  type LoadedGuideSettings,
  applyStoredSettings,
  changedGuideSettings,
  guideSettingDefaults,
} from '../../guides/settings';
import type { Database } from '../connection';
import { settings } from '../schema';

/** Env defaults with the staff overrides from the settings table on top. */
export async function loadGuideSettings(db: Database, defaults: GuideSettings = guideSettingDefaults()): Promise<LoadedGuideSettings> {
  const rows = await db.select().from(settings).where(inArray(settings.key, GUIDE_SETTING_DB_KEYS));
  return applyStoredSettings(rows, defaults);
}

/** Writes the settings that differ from what is in effect; returns the keys that changed. */
export async function saveGuideSettings(
  db: Database,
  next: GuideSettings,
  by: string,
  current?: GuideSettings,
): Promise<GuideSettingKey[]> {
  const changed = changedGuideSettings(current ?? (await loadGuideSettings(db)).values, next);
  if (changed.length === 0) return [];
  const at = new Date();
  await db.transaction(async (tx) => {
    for (const key of changed) {
      await tx
        .insert(settings)
        .values({ key: GUIDE_SETTINGS[key].dbKey, value: next[key], updatedAt: at, updatedBy: by.slice(0, 64) })
        .onDuplicateKeyUpdate({ set: { value: next[key], updatedAt: at, updatedBy: by.slice(0, 64) } });
    }
  });
  return changed;
}

/** Drops a staff override so the env default applies again. */
export async function resetGuideSetting(db: Database, key: GuideSettingKey): Promise<boolean> {
  const [result] = await db.delete(settings).where(eq(settings.key, GUIDE_SETTINGS[key].dbKey));
  return result.affectedRows > 0;
}
