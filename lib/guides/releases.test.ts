import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  SYSTEM_UBUNTU_CSV,
  ReleaseDataError,
  describeSupport,
  findRelease,
  loadShippedReleases,
  parseUbuntuCsv,
  readReleasesCsv,
  supportStatus,
  upgradePath,
  type Release,
} from './releases';

const TODAY = '2026-11-24';
const releases = loadShippedReleases();

function release(versionOrSeries: string): Release {
  const r = findRelease(releases, versionOrSeries);
  if (!r) throw new Error(`fixture: no release ${versionOrSeries}`);
  return r;
}

/** A synthetic release whose standard support ends on the given day. */
function endingOn(eol: string): Release {
  return {
    version: '99.04',
    fullVersion: '99.04',
    isLts: false,
    codename: 'Test Tapir',
    series: 'tapir',
    created: '2025-10-01',
    released: '2026-04-20',
    eol,
  };
}

describe('parseUbuntuCsv on the shipped copy', () => {
  it('reads every release from warty to the newest, in file order', () => {
    expect(releases.length).toBe(45);
    expect(releases[0]?.series).toBe('warty');
    expect(releases.at(-1)?.series).toBe('stonking');
  });

  it('splits the LTS suffix off the version and keeps server and ESM dates', () => {
    expect(release('jammy')).toEqual({
      version: '22.04',
      fullVersion: '22.04 LTS',
      isLts: true,
      codename: 'Jammy Jellyfish',
      series: 'jammy',
      created: '2021-10-14',
      released: '2022-04-21',
      eol: '2027-06-01',
      eolServer: '2027-06-01',
      eolEsm: '2032-04-21',
      eolLegacy: '2034-04-25',
    });
    expect(release('hardy')).toEqual({
      version: '8.04',
      fullVersion: '8.04 LTS',
      isLts: true,
      codename: 'Hardy Heron',
      series: 'hardy',
      created: '2007-10-18',
      released: '2008-04-24',
      eol: '2011-05-12',
      eolServer: '2013-05-09',
    });
    expect(release('karmic')).toMatchObject({ isLts: false, eol: '2011-04-30' });
    expect(release('karmic').eolServer).toBeUndefined();
  });
});

describe.skipIf(!existsSync(SYSTEM_UBUNTU_CSV))('the system copy', () => {
  it('parses too', () => {
    expect(readReleasesCsv(SYSTEM_UBUNTU_CSV).find((r) => r.series === 'noble')?.isLts).toBe(true);
  });
});

describe('parseUbuntuCsv on hand-written input', () => {
  const header = 'version,codename,series,created,release,eol,eol-server,eol-esm';

  it('tolerates unknown columns, missing optional columns, CRLF and blank lines', () => {
    const text = 'series,version,codename,created,release,eol,eol-elts,colour\r\n\r\nfoo,30.04 LTS,Foo Fox,2029-10-01,2030-04-20,2035-05-31,2040-01-01,blue\r\n';
    expect(parseUbuntuCsv(text)).toEqual([
      {
        version: '30.04',
        fullVersion: '30.04 LTS',
        isLts: true,
        codename: 'Foo Fox',
        series: 'foo',
        created: '2029-10-01',
        released: '2030-04-20',
        eol: '2035-05-31',
        eolElts: '2040-01-01',
      },
    ]);
  });

  it.each([
    [`${header}\n4.10,Warty Warthog,warty,2004-03-05,2004-10-20,2006-13-30`, 'ubuntu.csv line 2: "eol" is "2006-13-30", not a date (YYYY-MM-DD)'],
    [`${header}\n4.10,Warty Warthog,warty,2004-03-05,2004-10-20,2006-02-30`, 'ubuntu.csv line 2: "eol" is "2006-02-30", not a date (YYYY-MM-DD)'],
    [`${header}\n4.10,Warty Warthog,warty,2004-03-05,2004-10-20,2006-04-30\n5.04,Hoary Hedgehog,hoary,2004-10-20,2005-04-08`, 'ubuntu.csv line 3: missing value for "eol"'],
    [`${header}\n4.10,Warty Warthog,warty,2004-03-05,2004-10-20,2006-04-30,,,,`, 'ubuntu.csv line 2: 10 fields but the header has 8'],
    [`${header}\nfour,Warty Warthog,warty,2004-03-05,2004-10-20,2006-04-30`, 'ubuntu.csv line 2: version "four" is not like "22.04" or "22.04 LTS"'],
    [`${header}\n4.10,Warty Warthog,Warty,2004-03-05,2004-10-20,2006-04-30`, 'ubuntu.csv line 2: series "Warty" is not a lower-case name'],
    [`${header}\n4.10,A,warty,2004-03-05,2004-10-20,2006-04-30\n5.04,B,warty,2004-10-20,2005-04-08,2006-10-31`, 'ubuntu.csv line 3: series "warty" appears twice'],
    ['version,codename,series,created,eol\n4.10,Warty Warthog,warty,2004-03-05,2006-04-30', 'ubuntu.csv line 1: header lacks required column(s): release'],
    [header, 'ubuntu.csv has a header but no releases'],
    ['\n\n', 'ubuntu.csv is empty'],
  ])('rejects malformed input %#', (text, message) => {
    let caught: unknown;
    try {
      parseUbuntuCsv(text);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ReleaseDataError);
    expect((caught as Error).message).toBe(message);
  });
});

describe('findRelease', () => {
  it.each(['22.04', '22.04 LTS', 'jammy', 'Jammy', '22.04.3', 'Ubuntu 22.04.3 LTS', 'Jammy Jellyfish'])(
    'finds jammy from %j',
    (input) => {
      expect(findRelease(releases, input)?.series).toBe('jammy');
    },
  );

  it('returns undefined for an unknown release', () => {
    expect(findRelease(releases, '22.05')).toBeUndefined();
    expect(findRelease(releases, 'debian')).toBeUndefined();
  });
});

describe('supportStatus and describeSupport on 2026-11-24', () => {
  it('supported: 24.04 LTS, with ESM after it', () => {
    const noble = release('24.04');
    const status = supportStatus(noble, TODAY);
    expect(status).toEqual({
      today: TODAY,
      released: true,
      standardEnd: '2029-05-31',
      daysToStandardEnd: 919,
      esmEnd: '2034-04-25',
      daysToEsmEnd: 2709,
      badge: 'supported',
    });
    expect(describeSupport(noble, status)).toBe(
      'Ubuntu 24.04 LTS (Noble Numbat) is supported until 2029-05-31 (919 days left). ' +
        'Expanded Security Maintenance (Ubuntu Pro) continues until 2034-04-25.',
    );
  });

  it('ending: within 90 days of the end of standard support', () => {
    const r = endingOn('2027-01-15');
    const status = supportStatus(r, new Date('2026-11-24T23:30:00Z'));
    expect(status).toEqual({
      today: TODAY,
      released: true,
      standardEnd: '2027-01-15',
      daysToStandardEnd: 52,
      badge: 'ending',
    });
    expect(describeSupport(r, status)).toBe(
      'Ubuntu 99.04 (Test Tapir): standard support ends on 2027-01-15, in 52 days. Plan your upgrade now.',
    );
  });

  it('puts the 90-day boundary inside "ending" and the end day itself in "ended"', () => {
    expect(supportStatus(endingOn('2027-02-22'), TODAY)).toMatchObject({ daysToStandardEnd: 90, badge: 'ending' });
    expect(supportStatus(endingOn('2027-02-23'), TODAY)).toMatchObject({ daysToStandardEnd: 91, badge: 'supported' });
    expect(supportStatus(endingOn('2026-11-25'), TODAY)).toMatchObject({ daysToStandardEnd: 1, badge: 'ending' });
    const endsToday = endingOn(TODAY);
    const status = supportStatus(endsToday, TODAY);
    expect(status).toMatchObject({ daysToStandardEnd: 0, badge: 'ended' });
    expect(describeSupport(endsToday, status)).toBe(
      'Ubuntu 99.04 (Test Tapir): standard support ended on 2026-11-24 (today). It gets no more security updates: upgrade to a supported release.',
    );
  });

  it('ended with ESM still running: 20.04 LTS', () => {
    const focal = release('focal');
    const status = supportStatus(focal, TODAY);
    expect(status).toEqual({
      today: TODAY,
      released: true,
      standardEnd: '2025-05-29',
      daysToStandardEnd: -544,
      esmEnd: '2030-04-23',
      daysToEsmEnd: 1246,
      badge: 'ended',
    });
    expect(describeSupport(focal, status)).toBe(
      'Ubuntu 20.04 LTS (Focal Fossa): standard support ended on 2025-05-29 (544 days ago). ' +
        'Security updates continue only through Ubuntu Pro (ESM) until 2030-04-23; upgrade to a supported release.',
    );
  });

  it('ended for good, counting the server date: 8.04 LTS', () => {
    const hardy = release('8.04');
    const status = supportStatus(hardy, TODAY);
    expect(status).toEqual({
      today: TODAY,
      released: true,
      standardEnd: '2013-05-09',
      daysToStandardEnd: -4947,
      badge: 'ended',
    });
    expect(describeSupport(hardy, status)).toBe(
      'Ubuntu 8.04 LTS (Hardy Heron): standard support ended on 2013-05-09 (4947 days ago). It gets no more security updates: upgrade to a supported release.',
    );
  });

  it('rejects a bad "today"', () => {
    expect(() => supportStatus(release('noble'), '24/11/2026')).toThrow('Invalid date "24/11/2026": expected YYYY-MM-DD');
  });
});

describe('upgradePath on 2026-11-24', () => {
  it('takes an LTS to the next LTS with Prompt=lts, following the seed', () => {
    const path = upgradePath(releases, release('22.04'), TODAY);
    expect(path.nextRelease?.version).toBe('22.10');
    expect(path.nextLts?.version).toBe('24.04');
    expect(path.target?.version).toBe('24.04');
    expect(path.prompt).toBe('lts');
    expect(path.steps.map((s) => s.commands)).toEqual([
      ['sudo apt-get update', 'sudo apt-get upgrade'],
      ['sudo apt-get install update-manager-core'],
      ['sudo nano -w /etc/update-manager/release-upgrades'],
      ['sudo do-release-upgrade'],
    ]);
    expect(path.steps[2]?.text).toContain('"Prompt=lts"');
    expect(path.advice).toEqual([
      'Before you upgrade, read the release notes for Ubuntu 24.04 LTS (Noble Numbat) (https://wiki.ubuntu.com/NobleNumbat/ReleaseNotes) and make sure you understand the current issues and caveats.',
      'The kernel will most likely be upgraded and the server rebooted: schedule the upgrade and plan for a little downtime.',
      "Make sure your backups are up to date. If it all goes wrong we can create a fresh image of a supported release, but your data won't be on it.",
      'do-release-upgrade offers a new LTS to LTS users once its first point release (24.04.1) is out; until then it may say that no new release is found.',
    ]);
    expect(path.warnings).toEqual([]);
  });

  it('lets an LTS user choose the next interim release with Prompt=normal', () => {
    const path = upgradePath(releases, release('22.04'), TODAY, 'normal');
    expect(path.target?.version).toBe('22.10');
    expect(path.prompt).toBe('normal');
    expect(path.steps[2]?.text).toContain('"Prompt=normal"');
    expect(path.warnings).toEqual([
      'Ubuntu 22.10 (Kinetic Kudu) is itself past its end of standard support: keep upgrading until you reach a supported release.',
    ]);
  });

  it('takes an interim release one step, with lts when that step is the LTS', () => {
    const path = upgradePath(releases, release('25.10'), TODAY);
    expect(path.target?.version).toBe('26.04');
    expect(path.prompt).toBe('lts');
    expect(path.warnings).toEqual([
      'Ubuntu 25.10 (Questing Quokka) is past its end of standard support: if apt-get update fails, point your package sources at old-releases.ubuntu.com first (see the package sources instructions).',
    ]);
  });

  it('tells an interim user to repeat until the next LTS', () => {
    const path = upgradePath(releases, release('24.10'), TODAY);
    expect(path.nextLts?.version).toBe('26.04');
    expect(path.target?.version).toBe('25.04');
    expect(path.prompt).toBe('normal');
    expect(path.advice).toContain(
      'An interim release upgrades one release at a time: after 25.04, repeat these steps until you reach Ubuntu 26.04 LTS (Resolute Raccoon).',
    );
  });

  it('has nothing to offer the newest LTS with Prompt=lts, and offers the interim one with normal', () => {
    const lts = upgradePath(releases, release('26.04'), TODAY);
    expect(lts.nextRelease?.version).toBe('26.10');
    expect(lts.nextLts).toBeUndefined();
    expect(lts.target).toBeUndefined();
    expect(lts.steps).toEqual([]);
    expect(lts.advice).toEqual([
      'No newer LTS release is out yet. Ubuntu 26.10 (Stonking Stingray) is available if you prefer Prompt=normal, but it is supported for a shorter time.',
    ]);
    expect(upgradePath(releases, release('26.04'), TODAY, 'normal').target?.version).toBe('26.10');
  });

  it('only counts releases already out today', () => {
    const future: Release = { ...endingOn('2028-01-20'), version: '27.04', fullVersion: '27.04', series: 'future', released: '2027-04-22' };
    const path = upgradePath([...releases, future], release('26.10'), TODAY);
    expect(path.nextRelease).toBeUndefined();
    expect(path.advice).toEqual(['Ubuntu 26.10 (Stonking Stingray) is the newest release: there is nothing to upgrade to yet.']);
    expect(upgradePath([...releases, future], release('26.10'), '2027-04-22').target?.series).toBe('future');
  });
});
