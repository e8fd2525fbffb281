import { randomUUID } from 'node:crypto';
import { inArray } from 'drizzle-orm';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { shippedReleases } from '../../guides/release-table';
import { GUIDE_SETTINGS, GUIDE_SETTING_KEYS, guideSettingsFromEnv, type GuideSettings } from '../../guides/settings';
import { createDb } from '../connection';
import { settings } from '../schema';
import { UBUNTU_CSV_KEY, clearImportedUbuntuCsv, importUbuntuCsv, loadReleaseTable } from './releases';
import { loadGuideSettings, resetGuideSetting, saveGuideSettings } from './settings';

const { db, pool } = createDb(process.env.DATABASE_URL!, { connectionLimit: 2 });
const keys = [...GUIDE_SETTING_KEYS.map((k) => GUIDE_SETTINGS[k].dbKey), UBUNTU_CSV_KEY];
const defaults = guideSettingsFromEnv({});
const by = `test-${randomUUID().slice(0, 8)}`;

// These rows are global: start and end every test without overrides.
const clean = () => db.delete(settings).where(inArray(settings.key, keys));
beforeEach(clean);
afterAll(async () => {
  await clean();
  await pool.end();
});

describe('staff overrides in the settings table', () => {
  const next: GuideSettings = {
    ...defaults,
    mirrorUrl: 'http://mirror.override.test/ubuntu',
    mxHosts: [{ host: 'mx9.override.test', preference: 40 }],
  };

  it('uses the env defaults when nothing is stored', async () => {
    const loaded = await loadGuideSettings(db, defaults);
    expect(loaded.values).toEqual(defaults);
    expect(Object.values(loaded.sources).every((s) => s === 'env')).toBe(true);
  });

  it('stores only what changed, reads it back over the defaults, and resets it', async () => {
    const changed = await saveGuideSettings(db, next, by, defaults);
    expect(changed).toEqual(['mirrorUrl', 'mxHosts']);
    const loaded = await loadGuideSettings(db, defaults);
    expect(loaded.values).toEqual(next);
    expect(loaded.sources).toMatchObject({ mirrorUrl: 'staff', mxHosts: 'staff', monitorIps: 'env' });
    expect(loaded.updated.mirrorUrl?.by).toBe(by);
    expect(await saveGuideSettings(db, next, by, loaded.values)).toEqual([]);

    expect(await resetGuideSetting(db, 'mirrorUrl')).toBe(true);
    expect(await resetGuideSetting(db, 'mirrorUrl')).toBe(false);
    expect((await loadGuideSettings(db, defaults)).values.mirrorUrl).toBe(defaults.mirrorUrl);
  });

  it('ignores a stored value that does not validate and says so', async () => {
    await db.insert(settings).values({ key: GUIDE_SETTINGS.monitorIps.dbKey, value: ['not-an-ip'], updatedAt: new Date(), updatedBy: by });
    const loaded = await loadGuideSettings(db, defaults);
    expect(loaded.values.monitorIps).toEqual(defaults.monitorIps);
    expect(loaded.sources.monitorIps).toBe('env');
    expect(loaded.problems).toEqual(['The stored Monitoring servers is invalid; using the default from MONITOR_IPS.']);
  });

});

describe('the release table', () => {
  const csv = [
    'version,codename,series,created,release,eol,eol-server,eol-esm',
    '22.04 LTS,Jammy Jellyfish,jammy,2021-10-14,2022-04-21,2027-06-01,2027-06-01,2032-04-21',
    '30.04 LTS,Test Tapir,tapir,2029-10-01,2030-04-20,2035-05-31,2035-05-31,2040-04-20',
  ].join('\n');

  it('comes from the shipped copy until staff import one', async () => {
    const table = await loadReleaseTable(db);
    expect(table.source.kind).toBe('shipped');
    expect(table.source.description).toContain('distro-info-data');
    expect(table.releases).toEqual(shippedReleases());
  });

  it('imports a valid file and describes where it came from', async () => {
    const result = await importUbuntuCsv(db, csv, 'an uploaded file (ubuntu.csv)', by);
    expect(result).toMatchObject({ ok: true, value: { newest: { series: 'tapir' } } });
    const table = await loadReleaseTable(db);
    expect(table.source.kind).toBe('imported');
    expect(table.source.description).toMatch(new RegExp(`^distro-info-data ubuntu.csv imported by ${by} on \\d{4}-\\d{2}-\\d{2} from an uploaded file \\(ubuntu.csv\\) \\(2 releases\\)\\.$`));
    expect(table.releases.map((r) => r.series)).toEqual(['jammy', 'tapir']);
    expect(await clearImportedUbuntuCsv(db)).toBe(true);
    expect((await loadReleaseTable(db)).source.kind).toBe('shipped');
  });

  it('rejects a bad file and keeps what was there', async () => {
    await importUbuntuCsv(db, csv, 'first', by);
    const result = await importUbuntuCsv(db, 'version,codename\n1,2', 'second', by);
    expect(result).toEqual({ ok: false, error: 'ubuntu.csv line 1: header lacks required column(s): series, created, release, eol' });
    expect((await loadReleaseTable(db)).source.origin).toBe('first');
  });
});
