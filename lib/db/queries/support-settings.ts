// The support contact and the password reset page (lib/config/support.ts), rows of the settings table.
// No 'server-only': kept like the other settings queries, importable outside Next.
import { inArray } from 'drizzle-orm';
import {
  type LoadedSupportSettings,
  SUPPORT_SETTING_DB_KEYS,
  SUPPORT_SETTING_KEYS,
  SUPPORT_SETTINGS,
  type SupportSettingKey,
  type SupportSettings,
  applyStoredSupportSettings,
  supportSettingsFromEnv,
} from '../../config/support';
import type { Database } from '../connection';
import { settings } from '../schema';

let envCache: ReturnType<typeof supportSettingsFromEnv> | undefined;

/** The env defaults with the staff's values on top. One read by primary key. */
export async function loadSupportSettings(db: Database, env = (envCache ??= supportSettingsFromEnv())): Promise<LoadedSupportSettings> {
  const rows = await db.select({ key: settings.key, value: settings.value }).from(settings).where(inArray(settings.key, SUPPORT_SETTING_DB_KEYS));
  return applyStoredSupportSettings(rows, env);
}

/** Writes the settings that differ from what is in effect (a cleared one is stored as '', which overrides the env); returns the keys that changed. */
export async function saveSupportSettings(db: Database, next: SupportSettings, by: string, current: SupportSettings): Promise<SupportSettingKey[]> {
  const changed = SUPPORT_SETTING_KEYS.filter((k) => current[k] !== next[k]);
  if (changed.length === 0) return [];
  const at = new Date();
  await db.transaction(async (tx) => {
    for (const key of changed) {
      const row = { value: next[key] ?? '', updatedAt: at, updatedBy: by.slice(0, 64) };
      await tx.insert(settings).values({ key: SUPPORT_SETTINGS[key].dbKey, ...row }).onDuplicateKeyUpdate({ set: row });
    }
  });
  return changed;
}
