'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { recordAudit } from '@/lib/db/queries/audit';
import { requireStaff } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { clearImportedUbuntuCsv, importUbuntuCsv } from '@/lib/db/queries/releases';
import { loadGuideSettings, resetGuideSetting, saveGuideSettings } from '@/lib/db/queries/settings';
import { loadSlaDefinition, saveSlaDefinition } from '@/lib/db/queries/sla-settings';
import { loadSupportSettings, saveSupportSettings } from '@/lib/db/queries/support-settings';
import { SUPPORT_SETTING_KEYS, SUPPORT_SETTINGS, type SupportSettingKey, parseSupportForm } from '@/lib/config/support';
import { describeSlaDefinition, parseSlaForm } from '@/lib/monitoring/sla';
import { MAX_CSV_BYTES, readSystemUbuntuCsv } from '@/lib/guides/release-table';
import { SYSTEM_UBUNTU_CSV, releaseLabel } from '@/lib/guides/releases';
import {
  GUIDE_SETTING_KEYS,
  GUIDE_SETTINGS,
  type GuideSettingKey,
  parseGuideSettingsForm,
  settingToText,
} from '@/lib/guides/settings';

export type SettingsFormState = {
  ok?: string;
  error?: string;
  fieldErrors?: Partial<Record<GuideSettingKey, string>>;
  /** What was submitted, so a rejected form keeps the staff member's input. */
  submitted?: Partial<Record<GuideSettingKey, string>>;
};

export type SimpleState = { ok?: string; error?: string };

export type SupportFormState = SimpleState & {
  fieldErrors?: Partial<Record<SupportSettingKey, string>>;
  submitted?: Partial<Record<SupportSettingKey, string>>;
};

// Guide pages read the settings on every request; these are the pages that show them.
function revalidateGuides() {
  revalidatePath('/admin/settings');
  revalidatePath('/admin/mx');
  revalidatePath('/releases');
  revalidatePath('/mail');
}

export async function saveSettings(_previous: SettingsFormState, formData: FormData): Promise<SettingsFormState> {
  const staff = await requireStaff();
  const submitted: Partial<Record<GuideSettingKey, string>> = {};
  for (const key of GUIDE_SETTING_KEYS) {
    const value = formData.get(key);
    submitted[key] = typeof value === 'string' ? value : '';
  }
  const parsed = parseGuideSettingsForm(submitted);
  if (!parsed.ok) {
    return { error: 'Nothing was saved: correct the fields marked below.', fieldErrors: parsed.error, submitted };
  }
  const db = getDb();
  const before = (await loadGuideSettings(db)).values;
  const changed = await saveGuideSettings(db, parsed.value, staff.username, before);
  if (changed.length === 0) return { ok: 'No changes.', submitted };
  await recordAudit(db, {
    action: 'settings.guides_updated',
    actor: staff,
    target: { type: 'settings', id: 'guides' },
    details: Object.fromEntries(changed.map((k) => [GUIDE_SETTINGS[k].env, { from: settingToText(k, before), to: settingToText(k, parsed.value) }])),
  });
  revalidateGuides();
  return { ok: `Saved: ${changed.map((k) => GUIDE_SETTINGS[k].label).join(', ')}.`, submitted };
}

const keySchema = z.enum(GUIDE_SETTING_KEYS);

export async function resetSetting(_previous: SimpleState, formData: FormData): Promise<SimpleState> {
  const staff = await requireStaff();
  const parsed = keySchema.safeParse(formData.get('key'));
  if (!parsed.success) return { error: 'Unknown setting.' };
  const db = getDb();
  const removed = await resetGuideSetting(db, parsed.data);
  if (!removed) return { error: `${GUIDE_SETTINGS[parsed.data].label} already uses its default.` };
  await recordAudit(db, {
    action: 'settings.guides_reset',
    actor: staff,
    target: { type: 'settings', id: GUIDE_SETTINGS[parsed.data].dbKey },
    details: { setting: GUIDE_SETTINGS[parsed.data].env },
  });
  revalidateGuides();
  return { ok: `${GUIDE_SETTINGS[parsed.data].label} is back to the default from ${GUIDE_SETTINGS[parsed.data].env}.` };
}

export async function importReleases(_previous: SimpleState, formData: FormData): Promise<SimpleState> {
  const staff = await requireStaff();
  const file = formData.get('file');
  let text: string;
  let origin: string;
  if (file instanceof File && file.size > 0) {
    if (file.size > MAX_CSV_BYTES) return { error: `The file is larger than ${MAX_CSV_BYTES / 1024} kB: that is not an ubuntu.csv.` };
    text = await file.text();
    origin = `an uploaded file (${file.name.slice(0, 100)})`;
  } else if (formData.get('source') === 'system') {
    const system = readSystemUbuntuCsv();
    if (system === null) {
      return { error: `${SYSTEM_UBUNTU_CSV} is not on this server (apt-get install distro-info-data), so upload the file instead.` };
    }
    text = system;
    origin = SYSTEM_UBUNTU_CSV;
  } else {
    return { error: 'Choose an ubuntu.csv file to upload.' };
  }
  const db = getDb();
  const result = await importUbuntuCsv(db, text, origin, staff.username);
  if (!result.ok) return { error: `Nothing was imported: ${result.error}` };
  await recordAudit(db, {
    action: 'releases.imported',
    actor: staff,
    target: { type: 'settings', id: 'ubuntu_csv' },
    details: { origin, releases: result.value.releases.length, newest: result.value.newest.series },
  });
  revalidateGuides();
  return { ok: `Imported ${result.value.releases.length} releases from ${origin}; the newest is ${releaseLabel(result.value.newest)}.` };
}

export async function restoreShippedReleases(_previous: SimpleState): Promise<SimpleState> {
  const staff = await requireStaff();
  const db = getDb();
  if (!(await clearImportedUbuntuCsv(db))) return { error: 'The shipped table is already in use.' };
  await recordAudit(db, { action: 'releases.import_cleared', actor: staff, target: { type: 'settings', id: 'ubuntu_csv' } });
  revalidateGuides();
  return { ok: 'Back to the release table shipped with Porthole.' };
}

export async function saveSla(_previous: SimpleState, formData: FormData): Promise<SimpleState> {
  const staff = await requireStaff();
  const parsed = parseSlaForm({ down: formData.get('down'), warning: formData.get('warning') });
  if (!parsed.ok) return { error: `Nothing was saved: ${parsed.error}` };
  const db = getDb();
  const before = (await loadSlaDefinition(db)).definition;
  if (!(await saveSlaDefinition(db, parsed.value, staff.username))) return { ok: 'No changes.' };
  await recordAudit(db, {
    action: 'settings.sla_updated',
    actor: staff,
    target: { type: 'settings', id: 'sla' },
    details: { from: before, to: parsed.value },
  });
  // Every VM page and the availability API read it on each request; the settings page shows it.
  revalidatePath('/admin/settings');
  return { ok: `Saved. ${describeSlaDefinition(parsed.value)}` };
}

/** The support contact customers see on every problem, and the login page's password reset link. */
export async function saveSupport(_previous: SupportFormState, formData: FormData): Promise<SupportFormState> {
  const staff = await requireStaff();
  const submitted: Partial<Record<SupportSettingKey, string>> = {};
  for (const key of SUPPORT_SETTING_KEYS) {
    const value = formData.get(key);
    submitted[key] = typeof value === 'string' ? value : '';
  }
  const parsed = parseSupportForm(submitted);
  if (!parsed.ok) return { error: 'Nothing was saved: correct the fields marked below.', fieldErrors: parsed.error, submitted };
  const db = getDb();
  const before = (await loadSupportSettings(db)).values;
  const changed = await saveSupportSettings(db, parsed.value, staff.username, before);
  if (changed.length === 0) return { ok: 'No changes.', submitted };
  await recordAudit(db, {
    action: 'settings.support_updated',
    actor: staff,
    target: { type: 'settings', id: 'support' },
    details: Object.fromEntries(changed.map((k) => [SUPPORT_SETTINGS[k].env, { from: before[k], to: parsed.value[k] }])),
  });
  // The portal's pages and the login page read them on every request; this page shows them.
  revalidatePath('/admin/settings');
  return { ok: `Saved: ${changed.map((k) => SUPPORT_SETTINGS[k].label).join(', ')}.`, submitted };
}
