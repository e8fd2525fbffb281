import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { daysBetween, isIsoDay, toIsoDay, type DayInput, type IsoDay } from './days';
import type { GuideStep } from './guide-step';

/** Debian's distro-info-data copy; may be older or newer than the one shipped in lib/guides/data. */
export const SYSTEM_UBUNTU_CSV = '/usr/share/distro-info/ubuntu.csv';

/** A release whose standard support ends within this many days is "ending". */
export const ENDING_WINDOW_DAYS = 90;

export interface Release {
  /** "22.04" (the CSV's "22.04 LTS" without the suffix). */
  version: string;
  /** As written in the CSV, e.g. "22.04 LTS". */
  fullVersion: string;
  isLts: boolean;
  /** "Jammy Jellyfish" */
  codename: string;
  /** "jammy": the apt suite name. */
  series: string;
  created: IsoDay;
  released: IsoDay;
  eol: IsoDay;
  eolServer?: IsoDay;
  eolEsm?: IsoDay;
  eolLegacy?: IsoDay;
  eolLts?: IsoDay;
  eolElts?: IsoDay;
}

export class ReleaseDataError extends Error {
  override name = 'ReleaseDataError';
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(line === undefined ? message : `ubuntu.csv line ${line}: ${message}`);
  }
}

const REQUIRED_COLUMNS = ['version', 'codename', 'series', 'created', 'release', 'eol'] as const;
const OPTIONAL_DATE_COLUMNS = {
  'eol-server': 'eolServer',
  'eol-esm': 'eolEsm',
  'eol-legacy': 'eolLegacy',
  'eol-lts': 'eolLts',
  'eol-elts': 'eolElts',
} as const;

const VERSION = /^(\d+\.\d+)(?:\.\d+)?( LTS)?$/;
const SERIES = /^[a-z][a-z0-9-]*$/;

/** Parses distro-info-data's ubuntu.csv by header name; unknown columns are ignored. */
export function parseUbuntuCsv(text: string): Release[] {
  const lines = text.split(/\r?\n/);
  const headerIndex = lines.findIndex((l) => l.trim() !== '');
  if (headerIndex === -1) throw new ReleaseDataError('ubuntu.csv is empty');
  const header = (lines[headerIndex] ?? '').split(',').map((h) => h.trim());
  const seen = new Set<string>();
  for (const name of header) {
    if (seen.has(name)) throw new ReleaseDataError(`duplicate column "${name}" in the header`, headerIndex + 1);
    seen.add(name);
  }
  const missing = REQUIRED_COLUMNS.filter((c) => !seen.has(c));
  if (missing.length > 0) {
    throw new ReleaseDataError(`header lacks required column(s): ${missing.join(', ')}`, headerIndex + 1);
  }

  const releases: Release[] = [];
  const bySeries = new Set<string>();
  for (let i = headerIndex + 1; i < lines.length; i++) {
    const raw = lines[i] ?? '';
    if (raw.trim() === '') continue;
    const lineNo = i + 1;
    const cells = raw.split(',').map((c) => c.trim());
    if (cells.length > header.length) {
      throw new ReleaseDataError(`${cells.length} fields but the header has ${header.length}`, lineNo);
    }
    const row = new Map<string, string>();
    header.forEach((name, idx) => {
      const cell = cells[idx];
      if (cell !== undefined && cell !== '') row.set(name, cell);
    });
    const required = (name: (typeof REQUIRED_COLUMNS)[number]): string => {
      const value = row.get(name);
      if (value === undefined) throw new ReleaseDataError(`missing value for "${name}"`, lineNo);
      return value;
    };
    const date = (name: string, value: string): IsoDay => {
      if (!isIsoDay(value)) throw new ReleaseDataError(`"${name}" is "${value}", not a date (YYYY-MM-DD)`, lineNo);
      return value;
    };

    const fullVersion = required('version');
    const v = VERSION.exec(fullVersion);
    if (!v || v[1] === undefined) {
      throw new ReleaseDataError(`version "${fullVersion}" is not like "22.04" or "22.04 LTS"`, lineNo);
    }
    const series = required('series');
    if (!SERIES.test(series)) throw new ReleaseDataError(`series "${series}" is not a lower-case name`, lineNo);
    if (bySeries.has(series)) throw new ReleaseDataError(`series "${series}" appears twice`, lineNo);
    bySeries.add(series);

    const release: Release = {
      version: v[1],
      fullVersion,
      isLts: v[2] !== undefined,
      codename: required('codename'),
      series,
      created: date('created', required('created')),
      released: date('release', required('release')),
      eol: date('eol', required('eol')),
    };
    for (const [column, field] of Object.entries(OPTIONAL_DATE_COLUMNS)) {
      const value = row.get(column);
      if (value !== undefined) release[field] = date(column, value);
    }
    releases.push(release);
  }
  if (releases.length === 0) throw new ReleaseDataError('ubuntu.csv has a header but no releases');
  return releases;
}

export function readReleasesCsv(path: string): Release[] {
  return parseUbuntuCsv(readFileSync(path, 'utf8'));
}

/** The copy shipped with Porthole (lib/guides/data/ubuntu.csv), resolved from this module. */
export function shippedUbuntuCsvPath(): string {
  return fileURLToPath(new URL('./data/ubuntu.csv', import.meta.url));
}

export function loadShippedReleases(): Release[] {
  return readReleasesCsv(shippedUbuntuCsvPath());
}

/** "Ubuntu 22.04 LTS (Jammy Jellyfish)" */
export function releaseLabel(release: Release): string {
  return `Ubuntu ${release.fullVersion} (${release.codename})`;
}

/**
 * Accepts what people and /etc/lsb-release say: "22.04", "22.04 LTS", "22.04.3", "Ubuntu 22.04.3 LTS",
 * "jammy", "Jammy Jellyfish".
 */
export function findRelease(releases: readonly Release[], versionOrSeries: string): Release | undefined {
  const wanted = versionOrSeries.trim().toLowerCase().replace(/^ubuntu\s+/, '').replace(/\s+lts$/, '');
  const point = /^(\d+\.\d+)\.\d+$/.exec(wanted);
  const version = point?.[1] ?? wanted;
  return releases.find(
    (r) => r.version === version || r.series === wanted || r.codename.toLowerCase() === wanted,
  );
}

/** VMs are servers: where the server end differs (old LTS releases) it is the one that counts. */
export function standardSupportEnd(release: Release): IsoDay {
  return release.eolServer ?? release.eol;
}

/** The last day anyone (including ESM) maintains the release's archive. */
export function finalSupportEnd(release: Release): IsoDay {
  const ends = [standardSupportEnd(release), release.eolEsm].filter((d): d is IsoDay => d !== undefined);
  return ends.sort().at(-1) ?? release.eol;
}

export type SupportBadge = 'supported' | 'ending' | 'ended';

export interface SupportStatus {
  today: IsoDay;
  /** False for a release whose release date is still ahead. */
  released: boolean;
  standardEnd: IsoDay;
  /** Days from today to the end of standard support; 0 or negative once it has ended. */
  daysToStandardEnd: number;
  esmEnd?: IsoDay;
  daysToEsmEnd?: number;
  badge: SupportBadge;
}

export function supportStatus(release: Release, today: DayInput): SupportStatus {
  const day = toIsoDay(today);
  const standardEnd = standardSupportEnd(release);
  const daysToStandardEnd = daysBetween(day, standardEnd);
  const badge: SupportBadge =
    daysToStandardEnd <= 0 ? 'ended' : daysToStandardEnd <= ENDING_WINDOW_DAYS ? 'ending' : 'supported';
  const status: SupportStatus = {
    today: day,
    released: release.released <= day,
    standardEnd,
    daysToStandardEnd,
    badge,
  };
  if (release.eolEsm !== undefined) {
    status.esmEnd = release.eolEsm;
    status.daysToEsmEnd = daysBetween(day, release.eolEsm);
  }
  return status;
}

function days(n: number): string {
  return n === 1 ? '1 day' : `${n} days`;
}

/** One sentence for the VM page's countdown. */
export function describeSupport(release: Release, status: SupportStatus): string {
  const label = releaseLabel(release);
  const esmFuture = status.esmEnd !== undefined && (status.daysToEsmEnd ?? 0) > 0;
  const esm = esmFuture ? ` Expanded Security Maintenance (Ubuntu Pro) continues until ${status.esmEnd}.` : '';
  switch (status.badge) {
    case 'supported':
      return `${label} is supported until ${status.standardEnd} (${days(status.daysToStandardEnd)} left).${esm}`;
    case 'ending':
      return (
        `${label}: standard support ends on ${status.standardEnd}, in ${days(status.daysToStandardEnd)}. ` +
        `Plan your upgrade now.${esm}`
      );
    case 'ended': {
      const ago = -status.daysToStandardEnd;
      const when = ago === 0 ? 'today' : `${days(ago)} ago`;
      const after = esmFuture
        ? ` Security updates continue only through Ubuntu Pro (ESM) until ${status.esmEnd}; upgrade to a supported release.`
        : ' It gets no more security updates: upgrade to a supported release.';
      return `${label}: standard support ended on ${status.standardEnd} (${when}).${after}`;
    }
  }
}

export type UpgradePrompt = 'lts' | 'normal';

export interface UpgradePath {
  from: Release;
  /** The next release already out as of today (LTS or not). */
  nextRelease?: Release;
  /** The next LTS release already out as of today. */
  nextLts?: Release;
  /** Where do-release-upgrade will take the VM with the suggested Prompt= setting. */
  target?: Release;
  prompt?: UpgradePrompt;
  steps: GuideStep[];
  advice: string[];
  warnings: string[];
}

export const RELEASE_UPGRADES_FILE = '/etc/update-manager/release-upgrades';

/** The wiki's release-notes page for a release (redirects to the current location). */
export function releaseNotesUrl(release: Release): string {
  return `https://wiki.ubuntu.com/${release.codename.replace(/\s+/g, '')}/ReleaseNotes`;
}

/**
 * The next release and next LTS (only those already released), and the seed's upgrade procedure.
 * LTS users move LTS to LTS unless they prefer 'normal'; an interim release can only go one step.
 */
export function upgradePath(
  releases: readonly Release[],
  release: Release,
  today: DayInput,
  prefer: UpgradePrompt = release.isLts ? 'lts' : 'normal',
): UpgradePath {
  const day = toIsoDay(today);
  const later = releases
    .filter((r) => r.released > release.released && r.released <= day)
    .sort((a, b) => (a.released < b.released ? -1 : a.released > b.released ? 1 : 0));
  const nextRelease = later[0];
  const nextLts = later.find((r) => r.isLts);

  const path: UpgradePath = { from: release, steps: [], advice: [], warnings: [] };
  if (nextRelease) path.nextRelease = nextRelease;
  if (nextLts) path.nextLts = nextLts;

  // do-release-upgrade from an interim release only offers the very next release.
  const target = release.isLts && prefer === 'lts' ? nextLts : nextRelease;
  if (!target) {
    path.advice.push(
      release.isLts && nextRelease
        ? `No newer LTS release is out yet. ${releaseLabel(nextRelease)} is available if you prefer Prompt=normal, but it is supported for a shorter time.`
        : `${releaseLabel(release)} is the newest release: there is nothing to upgrade to yet.`,
    );
    return path;
  }
  const prompt: UpgradePrompt = target === nextLts ? 'lts' : 'normal';
  path.target = target;
  path.prompt = prompt;

  path.steps = [
    {
      title: 'Bring the installed packages up to date first',
      text: 'Check the list of packages apt-get shows before you let it continue.',
      commands: ['sudo apt-get update', 'sudo apt-get upgrade'],
    },
    {
      title: 'Install the upgrade tool',
      text: 'If this is your first release upgrade you may need to install update-manager-core.',
      commands: ['sudo apt-get install update-manager-core'],
    },
    {
      title: 'Choose the upgrade strategy',
      text:
        `Change the line that starts with "Prompt=" to "Prompt=${prompt}", then press Ctrl+X and save the file. ` +
        (prompt === 'lts'
          ? 'With lts you are only offered LTS releases, which are supported for years.'
          : 'With normal you are offered every release, including short-lived interim ones.'),
      commands: [`sudo nano -w ${RELEASE_UPGRADES_FILE}`],
    },
    {
      title: `Upgrade to ${releaseLabel(target)}`,
      text:
        'It calculates everything that will be upgraded and asks before it continues. ' +
        "Don't just say yes: read the list of packages and make sure you understand what upgrading them means for your setup.",
      commands: ['sudo do-release-upgrade'],
    },
  ];
  path.advice = [
    `Before you upgrade, read the release notes for ${releaseLabel(target)} (${releaseNotesUrl(target)}) and make sure you understand the current issues and caveats.`,
    'The kernel will most likely be upgraded and the server rebooted: schedule the upgrade and plan for a little downtime.',
    "Make sure your backups are up to date. If it all goes wrong we can create a fresh image of a supported release, but your data won't be on it.",
  ];

  if (prompt === 'lts' && release.isLts) {
    path.advice.push(
      `do-release-upgrade offers a new LTS to LTS users once its first point release (${target.version}.1) is out; until then it may say that no new release is found.`,
    );
  }
  if (!release.isLts && nextLts && nextLts !== target) {
    path.advice.push(
      `An interim release upgrades one release at a time: after ${target.version}, repeat these steps until you reach ${releaseLabel(nextLts)}.`,
    );
  }
  if (supportStatus(release, day).badge === 'ended') {
    path.warnings.push(
      `${releaseLabel(release)} is past its end of standard support: if apt-get update fails, point your package sources at old-releases.ubuntu.com first (see the package sources instructions).`,
    );
  }
  if (supportStatus(target, day).badge === 'ended') {
    path.warnings.push(
      `${releaseLabel(target)} is itself past its end of standard support: keep upgrading until you reach a supported release.`,
    );
  }
  return path;
}
