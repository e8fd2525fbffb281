import { inArray } from 'drizzle-orm';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { SUPPORT_SETTING_DB_KEYS } from '../../config/support';
import { createDb } from '../connection';
import { settings } from '../schema';
import { loadSupportSettings, saveSupportSettings } from './support-settings';

const { db, pool } = createDb(process.env.DATABASE_URL!, { connectionLimit: 2 });

// The rows are global: start and end every test without them.
const clean = () => db.delete(settings).where(inArray(settings.key, SUPPORT_SETTING_DB_KEYS));
beforeEach(clean);
afterAll(async () => {
  await clean();
  await pool.end();
});

const env = { values: { supportContact: 'env@example.net', passwordResetUrl: null }, problems: [] };

describe('the support settings', () => {
  it('are the env defaults until staff save, then what was saved; a cleared contact stays cleared', async () => {
    expect((await loadSupportSettings(db, env)).values).toEqual(env.values);
    const next = { supportContact: 'https://help.example.net/', passwordResetUrl: 'https://id.example.net/reset' };
    expect(await saveSupportSettings(db, next, 'staff-a', env.values)).toEqual(['supportContact', 'passwordResetUrl']);
    expect(await loadSupportSettings(db, env)).toEqual({ values: next, sources: { supportContact: 'staff', passwordResetUrl: 'staff' }, problems: [] });
    expect(await saveSupportSettings(db, next, 'staff-a', next)).toEqual([]);
    expect(await saveSupportSettings(db, { ...next, supportContact: null }, 'staff-b', next)).toEqual(['supportContact']);
    expect((await loadSupportSettings(db, env)).values.supportContact).toBeNull();
  });
});
