import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findRelease, loadShippedReleases, type Release } from './releases';
import { aptSources, usesDeb822, type AptSourcesSettings } from './sources-list';

const releases = loadShippedReleases();
const TODAY = '2026-11-24';

function release(series: string): Release {
  const r = findRelease(releases, series);
  if (!r) throw new Error(`fixture: no release ${series}`);
  return r;
}

function golden(name: string): string {
  return readFileSync(new URL(`./__golden__/${name}`, import.meta.url), 'utf8');
}

const settings: AptSourcesSettings = {
  // The trailing slash is dropped, so the files below show one spelling.
  mirrorUrl: 'http://mirror.example.net/ubuntu/',
  mirroredSeries: ['hardy', 'focal', 'jammy', 'noble', 'oracular'],
  includeBackports: true,
  today: TODAY,
};
const noBackports = { ...settings, includeBackports: false };
const notMirrored = { ...settings, mirroredSeries: ['noble'] };

const ONE_LINE_STEPS = [
  {
    title: 'Check which release you run',
    text: 'It should say DISTRIB_RELEASE=22.04 and DISTRIB_CODENAME=jammy. If not, pick your release instead.',
    commands: ['cat /etc/lsb-release'],
  },
  {
    title: 'Replace the package sources',
    text: 'Delete all the existing lines in /etc/apt/sources.list and paste the text above; press Ctrl+X and save.',
    commands: ['sudo nano -w /etc/apt/sources.list'],
  },
  { title: 'Refresh the list of packages', commands: ['sudo apt-get update'] },
  {
    title: 'Upgrade installed packages',
    text:
      'apt-get shows the list of packages it will upgrade and asks before it continues: ' +
      'check the list and be sure you know what will change before you let it complete.',
    commands: ['sudo apt-get upgrade'],
  },
];

describe('aptSources on 2026-11-24', () => {
  it('22.04 (jammy) from our mirror, one-line format, with the seed procedure', () => {
    const out = aptSources(release('jammy'), settings);
    expect(out.path).toBe('/etc/apt/sources.list');
    expect(out.format).toBe('one-line');
    expect(out.content).toEqual(golden('sources-22.04.list'));
    expect(out.notes).toEqual([]);
    expect(out.warnings).toEqual([]);
    expect(out.steps).toEqual(ONE_LINE_STEPS);
  });

  it('22.04 without backports', () => {
    expect(aptSources(release('jammy'), noBackports).content).toEqual(golden('sources-22.04-no-backports.list'));
  });

  it('22.04 when the mirror does not carry jammy: official archive, security from security.ubuntu.com', () => {
    const out = aptSources(release('jammy'), notMirrored);
    expect(out.content).toEqual(golden('sources-22.04-fallback.list'));
    expect(out.notes).toEqual([
      'Our package mirror (http://mirror.example.net/ubuntu) does not carry jammy, so these sources use the official Ubuntu archive (http://archive.ubuntu.com/ubuntu, security updates from http://security.ubuntu.com/ubuntu).',
    ]);
    expect(out.warnings).toEqual([]);
  });

  it('20.04 (focal): still on the mirror while ESM runs, with a warning', () => {
    const out = aptSources(release('focal'), settings);
    expect(out.format).toBe('one-line');
    expect(out.content).toEqual(golden('sources-20.04.list'));
    expect(out.warnings).toEqual([
      'Standard support for Ubuntu 20.04 LTS (Focal Fossa) ended on 2025-05-29: the archive gets no more free security updates. Security updates until 2030-04-23 need Ubuntu Pro (ESM); better, upgrade to a supported release.',
    ]);
  });

  it('8.04 (hardy): past all support, so old-releases even though the mirror once carried it', () => {
    const out = aptSources(release('hardy'), settings);
    expect(out.path).toBe('/etc/apt/sources.list');
    expect(out.content).toEqual(golden('sources-8.04.list'));
    expect(out.notes).toEqual([]);
    expect(out.warnings).toEqual([
      'Ubuntu 8.04 LTS (Hardy Heron) reached the end of its support on 2013-05-09: it gets no security updates, and its packages are only on old-releases.ubuntu.com. Upgrade to a supported release.',
    ]);
    expect(out.steps[0]?.text).toBe(
      'It should say DISTRIB_RELEASE=8.04 and DISTRIB_CODENAME=hardy. If not, pick your release instead.',
    );
  });

  it('24.04 (noble): deb822 ubuntu.sources with Signed-By, and sources.list emptied', () => {
    const out = aptSources(release('noble'), settings);
    expect(out.path).toBe('/etc/apt/sources.list.d/ubuntu.sources');
    expect(out.format).toBe('deb822');
    expect(out.content).toEqual(golden('sources-24.04.sources'));
    expect(out.steps[1]).toEqual({
      title: 'Replace the package sources',
      text:
        'Delete everything in /etc/apt/sources.list.d/ubuntu.sources and paste the text above; press Ctrl+X and save. ' +
        'From Ubuntu 24.04 on, /etc/apt/sources.list should then be empty (comments only): ' +
        'remove any deb lines left in it so that no source is listed twice.',
      commands: ['sudo nano -w /etc/apt/sources.list.d/ubuntu.sources', 'sudo nano -w /etc/apt/sources.list'],
    });
    expect(out.steps.map((s) => s.commands[0])).toEqual([
      'cat /etc/lsb-release',
      'sudo nano -w /etc/apt/sources.list.d/ubuntu.sources',
      'sudo apt-get update',
      'sudo apt-get upgrade',
    ]);
  });

  it('24.04 without backports', () => {
    expect(aptSources(release('noble'), noBackports).content).toEqual(golden('sources-24.04-no-backports.sources'));
  });

  it('26.04 not mirrored: two deb822 stanzas, archive and security', () => {
    const out = aptSources(release('resolute'), notMirrored);
    expect(out.content).toEqual(golden('sources-26.04-fallback.sources'));
    expect(out.notes).toHaveLength(1);
    expect(out.notes[0]).toContain('does not carry resolute');
  });

  it('24.10 (ended interim): deb822 on old-releases', () => {
    const out = aptSources(release('oracular'), settings);
    expect(out.content).toEqual(golden('sources-24.10-old-releases.sources'));
    expect(out.warnings).toEqual([
      'Ubuntu 24.10 (Oracular Oriole) reached the end of its support on 2025-07-10: it gets no security updates, and its packages are only on old-releases.ubuntu.com. Upgrade to a supported release.',
    ]);
  });

  it('warns when standard support ends within 90 days', () => {
    const out = aptSources(release('stonking'), { ...settings, today: '2027-06-01' });
    expect(out.warnings).toEqual([
      'Standard support for Ubuntu 26.10 (Stonking Stingray) ends on 2027-07-15, in 44 days: plan your upgrade.',
    ]);
    expect(out.notes[0]).toContain('does not carry stonking');
  });

  it('switches to deb822 at 24.04', () => {
    expect(usesDeb822(release('mantic'))).toBe(false);
    expect(usesDeb822(release('noble'))).toBe(true);
    expect(usesDeb822(release('resolute'))).toBe(true);
  });

  it.each([
    [{ mirrorUrl: 'ftp://mirror.example.net/ubuntu' }, 'Invalid package mirror settings: mirrorUrl: must be an http:// or https:// URL'],
    [{ mirrorUrl: 'mirror.example.net' }, 'mirrorUrl: must be an http:// or https:// URL'],
    [{ mirroredSeries: ['Jammy Jellyfish'] }, 'mirroredSeries.0: must be release series names like "jammy"'],
    [{ today: '2026-02-30' }, 'today: must be a date like 2026-11-24'],
  ])('rejects bad settings %#', (patch, message) => {
    expect(() => aptSources(release('jammy'), { ...settings, ...patch })).toThrow(message);
  });
});
