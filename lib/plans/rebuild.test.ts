import { describe, expect, it } from 'vitest';
import { loadShippedReleases } from '../guides/releases';
import { checkConfirmation, rebuildPricing, rebuildTarget, rebuildTargets } from './rebuild';

const releases = loadShippedReleases();
const TODAY = '2026-12-03';

describe('rebuildTargets', () => {
  it('offers every released release whose standard support has not ended, newest first, and says how each stands to the VM’s', () => {
    const targets = rebuildTargets(releases, '20.04', TODAY);
    expect(targets.map((t) => t.release.version)).toEqual(['26.10', '26.04', '24.04', '22.04']);
    expect(targets.every((t) => t.relation === 'newer')).toBe(true);
    expect(targets.map((t) => t.status.badge)).not.toContain('ended');
  });

  it('includes the VM’s own release while it is supported (a clean reinstall) and older supported ones', () => {
    const targets = rebuildTargets(releases, '24.04', TODAY);
    expect(targets.find((t) => t.release.version === '24.04')?.relation).toBe('same');
    expect(targets.find((t) => t.release.version === '22.04')?.relation).toBe('older');
    expect(targets.find((t) => t.release.version === '26.04')?.relation).toBe('newer');
  });

  it('never offers a release that is not out yet, nor one past standard support that only ESM still covers', () => {
    // 26.04 is out on 2026-04-23; 20.04 ended standard support in 2025 (ESM runs until 2030).
    expect(rebuildTargets(releases, '22.04', '2026-04-22').map((t) => t.release.version)).not.toContain('26.04');
    expect(rebuildTargets(releases, '22.04', '2026-04-23').map((t) => t.release.version)).toContain('26.04');
    expect(rebuildTargets(releases, '22.04', TODAY).map((t) => t.release.version)).not.toContain('20.04');
  });

  it('treats an unknown current release as older than everything', () => {
    expect(rebuildTargets(releases, '7.10', TODAY).every((t) => t.relation === 'newer')).toBe(true);
  });
});

describe('rebuildTarget', () => {
  it('accepts the ways people write a release, and keeps the table’s own version', () => {
    for (const wanted of ['24.04', '24.04 LTS', 'noble', ' Noble Numbat ', '24.04.1']) {
      const r = rebuildTarget(releases, '20.04', wanted, TODAY);
      expect(r.ok && r.value.release.version, wanted).toBe('24.04');
    }
  });

  it('refuses an unsupported release with the end of its support and the choices', () => {
    const r = rebuildTarget(releases, '20.04', '20.04', TODAY);
    expect(r).toMatchObject({ ok: false, error: { code: 'unsupported-release' } });
    if (!r.ok) {
      expect(r.error.message).toContain('standard support ended on 2025-05-29');
      expect(r.error.message).toContain('24.04');
    }
    expect(rebuildTarget(releases, '20.04', '25.10', TODAY)).toMatchObject({ ok: false, error: { code: 'unsupported-release' } });
    expect(rebuildTarget(releases, '20.04', '26.04', '2026-01-01')).toMatchObject({ ok: false, error: { code: 'unsupported-release', message: expect.stringContaining('not released until 2026-04-23') } });
  });

  it('refuses an unknown or empty release', () => {
    expect(rebuildTarget(releases, '20.04', '99.04', TODAY)).toMatchObject({ ok: false, error: { code: 'unknown-release' } });
    expect(rebuildTarget(releases, '20.04', '  ', TODAY)).toMatchObject({ ok: false, error: { code: 'unknown-release' } });
  });
});

describe('checkConfirmation', () => {
  it('takes the host name trimmed and in any case, with or without a final dot', () => {
    for (const typed of ['db-01.acme.example', '  DB-01.Acme.Example ', 'db-01.acme.example.']) expect(checkConfirmation(typed, 'db-01.acme.example').ok, typed).toBe(true);
  });

  it('refuses anything else, an empty answer included, naming the host to type', () => {
    for (const typed of ['', '   ', 'db-01', 'web-01.acme.example', 'db-01.acme.example.com']) {
      const r = checkConfirmation(typed, 'db-01.acme.example');
      expect(r, typed).toMatchObject({ ok: false, error: { code: 'wrong-confirmation', message: expect.stringContaining('db-01.acme.example') } });
    }
  });
});

describe('rebuildPricing', () => {
  it('is free and keeps the plan’s price', () => {
    expect(rebuildPricing(2000, new Date('2026-12-03T10:00:00Z'))).toMatchObject({ fromPriceMinor: 2000, toPriceMinor: 2000, daysLeft: 0, explanation: expect.stringContaining('free') });
  });
});
