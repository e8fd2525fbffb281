import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, unlinkSync, writeFileSync } from 'node:fs';

/** A Debian package and a file whose presence proves it is installed (cheaper than dpkg). */
export interface Requirement {
  pkg: string;
  probe: string;
  /** debconf answers given before the install (debconf-set-selections lines). */
  debconf?: string[];
}

export const STACK_PACKAGES: Requirement[] = [
  { pkg: 'mariadb-server', probe: '/usr/sbin/mariadbd' },
  { pkg: 'slapd', probe: '/usr/sbin/slapd' },
  { pkg: 'ldap-utils', probe: '/usr/bin/ldapsearch' },
  { pkg: 'activemq', probe: '/usr/share/activemq/bin/activemq.jar' },
  // On the broker's classpath for STOMP's jms-map-json (the statistics plugin's answers; scripts/stack/activemq.ts).
  { pkg: 'libxstream-java', probe: '/usr/share/java/xstream.jar' },
  { pkg: 'libjettison-java', probe: '/usr/share/java/jettison.jar' },
  { pkg: 'dnsmasq-base', probe: '/usr/sbin/dnsmasq' },
  { pkg: 'kannel', probe: '/usr/sbin/bearerbox' },
  { pkg: 'kannel-extras', probe: '/usr/lib/kannel/test/fakesmsc' },
  { pkg: 'python3-aiosmtpd', probe: '/usr/lib/python3/dist-packages/aiosmtpd/__init__.py' },
  // Not a service of the stack: the relay check's integration and e2e tests start project-local
  // instances (lib/testing/postfix.ts). "No configuration": no /etc/postfix/main.cf, no system mailer.
  // Installing it removes exim4 (Debian's default MTA), which nothing here uses.
  { pkg: 'postfix', probe: '/usr/lib/postfix/sbin/master', debconf: ['postfix postfix/main_mailer_type select No configuration'] },
  // Not a service of the stack: the import test parses an objects.cache that the real Nagios 4 writes.
  { pkg: 'nagios4-core', probe: '/usr/sbin/nagios4' },
  // Not a service of the stack: the ops test runs `systemd-analyze verify` on ops/systemd/ (no systemd
  // needs to be running; a container has the package without booting it).
  { pkg: 'systemd', probe: '/usr/bin/systemd-analyze' },
];

export const BROWSER_PACKAGES: Requirement[] = [{ pkg: 'chromium', probe: '/usr/bin/chromium' }];

const POLICY_RC_D = '/usr/sbin/policy-rc.d';

/**
 * Installs whatever is missing with apt-get. Package postinst scripts would start system-wide
 * daemons on their default ports; a temporary policy-rc.d stops that, as on container images.
 */
export function ensurePackages(requirements: Requirement[]): void {
  const missingRequirements = requirements.filter((r) => !existsSync(r.probe));
  const missing = missingRequirements.map((r) => r.pkg);
  if (missing.length === 0) return;

  const isRoot = process.getuid?.() === 0;
  const sudo = isRoot ? [] : ['sudo', '-n'];
  if (!isRoot && spawnSync('sudo', ['-n', 'true']).status !== 0) {
    throw new Error(
      `Missing Debian packages: ${missing.join(' ')}. Install them with ` +
        `"sudo apt-get install --no-install-recommends ${missing.join(' ')}" or run this as root.`,
    );
  }
  if (!existsSync('/usr/bin/apt-get')) {
    throw new Error(`Missing packages ${missing.join(' ')} and no apt-get here: Porthole's stack needs Debian or Ubuntu.`);
  }

  console.log(`[stack] installing Debian packages: ${missing.join(' ')}`);
  const addedPolicy = isRoot && !existsSync(POLICY_RC_D);
  if (addedPolicy) writeFileSync(POLICY_RC_D, '#!/bin/sh\nexit 101\n', { mode: 0o755 });
  try {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const run = (args: string[]) => {
      const [cmd, ...rest] = [...sudo, ...args];
      execFileSync(cmd!, rest, { stdio: 'inherit', env });
    };
    const answers = missingRequirements.flatMap((r) => r.debconf ?? []);
    if (answers.length > 0) {
      const [cmd, ...rest] = [...sudo, 'debconf-set-selections'];
      execFileSync(cmd!, rest, { input: `${answers.join('\n')}\n`, stdio: ['pipe', 'inherit', 'inherit'], env });
    }
    run(['apt-get', 'update', '-qq']);
    run(['apt-get', 'install', '-y', '-qq', '--no-install-recommends', ...missing]);
  } catch (error) {
    throw new Error(`apt-get could not install ${missing.join(' ')}: ${(error as Error).message}`);
  } finally {
    if (addedPolicy) unlinkSync(POLICY_RC_D);
  }
  const still = requirements.filter((r) => !existsSync(r.probe)).map((r) => r.pkg);
  if (still.length > 0) throw new Error(`apt-get finished but these are still missing: ${still.join(' ')}`);
}
