import { z } from 'zod';
import { daysBetween, isIsoDay, toIsoDay } from './days';
import type { GuideStep } from './guide-step';
import { parseOrThrow } from './net-schemas';
import {
  ENDING_WINDOW_DAYS,
  finalSupportEnd,
  releaseLabel,
  standardSupportEnd,
  type Release,
} from './releases';

export const OFFICIAL_ARCHIVE_URL = 'http://archive.ubuntu.com/ubuntu';
export const OFFICIAL_SECURITY_URL = 'http://security.ubuntu.com/ubuntu';
export const OLD_RELEASES_URL = 'http://old-releases.ubuntu.com/ubuntu';
export const UBUNTU_ARCHIVE_KEYRING = '/usr/share/keyrings/ubuntu-archive-keyring.gpg';
export const COMPONENTS = ['main', 'restricted', 'universe', 'multiverse'] as const;

export const ONE_LINE_PATH = '/etc/apt/sources.list';
export const DEB822_PATH = '/etc/apt/sources.list.d/ubuntu.sources';

export const aptSourcesSettingsSchema = z.object({
  mirrorUrl: z
    .string()
    .trim()
    .refine((s) => {
      try {
        const u = new URL(s);
        return (u.protocol === 'http:' || u.protocol === 'https:') && u.search === '' && u.hash === '' && u.username === '';
      } catch {
        return false;
      }
    }, 'must be an http:// or https:// URL without query, fragment or credentials, like http://mirror.example.net/ubuntu')
    // apt joins paths itself; one spelling keeps the golden files stable.
    .transform((s) => s.replace(/\/+$/, '')),
  mirroredSeries: z.array(
    z
      .string()
      .trim()
      .toLowerCase()
      .regex(/^[a-z][a-z0-9-]*$/, 'must be release series names like "jammy"'),
  ),
  includeBackports: z.boolean(),
  today: z.union([
    z.date(),
    z.string().refine(isIsoDay, 'must be a date like 2026-11-24'),
  ]),
});

export type AptSourcesSettings = z.input<typeof aptSourcesSettingsSchema>;

export type AptSourcesFormat = 'one-line' | 'deb822';

export interface AptSources {
  path: string;
  format: AptSourcesFormat;
  content: string;
  notes: string[];
  warnings: string[];
  steps: GuideStep[];
}

interface Pocket {
  suite: string;
  uri: string;
}

/** Ubuntu 24.04 switched its own sources to the deb822 ubuntu.sources file. */
export function usesDeb822(release: Release): boolean {
  const [major = 0, minor = 0] = release.version.split('.').map(Number);
  return major * 100 + minor >= 2404;
}

/**
 * The apt sources for a release: our mirror when it carries the series, the official archive
 * when it doesn't, old-releases.ubuntu.com once nobody maintains the release any more.
 */
export function aptSources(release: Release, input: AptSourcesSettings): AptSources {
  const settings = parseOrThrow(aptSourcesSettingsSchema, input, 'package mirror settings');
  const today = toIsoDay(settings.today);
  const label = releaseLabel(release);
  const notes: string[] = [];
  const warnings: string[] = [];

  const series = release.series;
  const suites = {
    release: series,
    updates: `${series}-updates`,
    backports: `${series}-backports`,
    security: `${series}-security`,
  };
  const standardEnd = standardSupportEnd(release);
  const finalEnd = finalSupportEnd(release);
  const daysLeft = daysBetween(today, standardEnd);

  let archive: string;
  let security: string;
  if (finalEnd <= today) {
    // Canonical moves a release to old-releases once every kind of support for it has ended.
    archive = OLD_RELEASES_URL;
    security = OLD_RELEASES_URL;
    warnings.push(
      `${label} reached the end of its support on ${finalEnd}: it gets no security updates, and its packages are only on old-releases.ubuntu.com. Upgrade to a supported release.`,
    );
  } else {
    if (settings.mirroredSeries.includes(series)) {
      archive = settings.mirrorUrl;
      security = settings.mirrorUrl;
    } else {
      archive = OFFICIAL_ARCHIVE_URL;
      security = OFFICIAL_SECURITY_URL;
      notes.push(
        `Our package mirror (${settings.mirrorUrl}) does not carry ${series}, so these sources use the official Ubuntu archive (${OFFICIAL_ARCHIVE_URL}, security updates from ${OFFICIAL_SECURITY_URL}).`,
      );
    }
    if (daysLeft <= 0) {
      warnings.push(
        `Standard support for ${label} ended on ${standardEnd}: the archive gets no more free security updates. Security updates until ${finalEnd} need Ubuntu Pro (ESM); better, upgrade to a supported release.`,
      );
    } else if (daysLeft <= ENDING_WINDOW_DAYS) {
      warnings.push(
        `Standard support for ${label} ends on ${standardEnd}, in ${daysLeft === 1 ? '1 day' : `${daysLeft} days`}: plan your upgrade.`,
      );
    }
  }

  const pockets: Pocket[] = [
    { suite: suites.release, uri: archive },
    { suite: suites.updates, uri: archive },
    ...(settings.includeBackports ? [{ suite: suites.backports, uri: archive }] : []),
    { suite: suites.security, uri: security },
  ];

  const deb822 = usesDeb822(release);
  const path = deb822 ? DEB822_PATH : ONE_LINE_PATH;
  const header = `# ${path} for ${label}, written by Porthole`;
  const content = deb822 ? renderDeb822(header, pockets) : renderOneLine(header, pockets);

  return {
    path,
    format: deb822 ? 'deb822' : 'one-line',
    content,
    notes,
    warnings,
    steps: steps(release, path, deb822),
  };
}

function renderOneLine(header: string, pockets: Pocket[]): string {
  const lines = pockets.map((p) => `deb ${p.uri} ${p.suite} ${COMPONENTS.join(' ')}`);
  return [header, ...lines].join('\n') + '\n';
}

/** One stanza per URI, in the order the pockets were listed. */
function renderDeb822(header: string, pockets: Pocket[]): string {
  const byUri = new Map<string, string[]>();
  for (const p of pockets) byUri.set(p.uri, [...(byUri.get(p.uri) ?? []), p.suite]);
  const stanzas = [...byUri].map(([uri, suites]) =>
    [
      'Types: deb',
      `URIs: ${uri}`,
      `Suites: ${suites.join(' ')}`,
      `Components: ${COMPONENTS.join(' ')}`,
      `Signed-By: ${UBUNTU_ARCHIVE_KEYRING}`,
    ].join('\n'),
  );
  return `${header}\n${stanzas.join('\n\n')}\n`;
}

function steps(release: Release, path: string, deb822: boolean): GuideStep[] {
  const edit: GuideStep = deb822
    ? {
        title: 'Replace the package sources',
        text:
          `Delete everything in ${path} and paste the text above; press Ctrl+X and save. ` +
          `From Ubuntu 24.04 on, ${ONE_LINE_PATH} should then be empty (comments only): ` +
          'remove any deb lines left in it so that no source is listed twice.',
        commands: [`sudo nano -w ${path}`, `sudo nano -w ${ONE_LINE_PATH}`],
      }
    : {
        title: 'Replace the package sources',
        text: `Delete all the existing lines in ${path} and paste the text above; press Ctrl+X and save.`,
        commands: [`sudo nano -w ${path}`],
      };
  return [
    {
      title: 'Check which release you run',
      text: `It should say DISTRIB_RELEASE=${release.version} and DISTRIB_CODENAME=${release.series}. If not, pick your release instead.`,
      commands: ['cat /etc/lsb-release'],
    },
    edit,
    {
      title: 'Refresh the list of packages',
      commands: ['sudo apt-get update'],
    },
    {
      title: 'Upgrade installed packages',
      text:
        'apt-get shows the list of packages it will upgrade and asks before it continues: ' +
        'check the list and be sure you know what will change before you let it complete.',
      commands: ['sudo apt-get upgrade'],
    },
  ];
}
