import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { Client } from 'ldapts';
import { DATA_DIR, stackConfig } from './config';
import { demoDirectory } from './demo-directory';
import { readPid, startDetached, stopPid, waitFor } from './process';
import type { Service } from './service';

const dir = path.join(DATA_DIR, 'ldap');
const dbDir = path.join(dir, 'db');
const confFile = path.join(dir, 'slapd.conf');
const pidFile = path.join(dir, 'slapd.pid');

/** RFC 2307 {SSHA}: what `slappasswd` writes, so the directory never holds a cleartext password. */
export function ssha(password: string): string {
  const salt = randomBytes(8);
  const digest = createHash('sha1').update(password).update(salt).digest();
  return `{SSHA}${Buffer.concat([digest, salt]).toString('base64')}`;
}

function slapdConf(): string {
  const { ldapSuffix, ldapRootDn, ldapRootPassword } = stackConfig;
  return `include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/nis.schema
include /etc/ldap/schema/inetorgperson.schema
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile ${path.join(dir, 'slapd.run.pid')}
argsfile ${path.join(dir, 'slapd.args')}
sizelimit 500

database mdb
maxsize 104857600
suffix "${ldapSuffix}"
rootdn "${ldapRootDn}"
rootpw ${ldapRootPassword}
directory ${dbDir}
index objectClass eq
index uid eq
index member eq

access to dn.base="" by * read
access to attrs=userPassword by self write by anonymous auth by * none
access to * by users read by * none
`;
}

async function answers(): Promise<boolean> {
  const client = new Client({ url: `ldap://127.0.0.1:${stackConfig.ldapPort}`, timeout: 1000, connectTimeout: 1000 });
  try {
    await client.bind(stackConfig.ldapServiceDn, stackConfig.ldapServicePassword);
    return true;
  } catch {
    return false;
  } finally {
    await client.unbind().catch(() => undefined); // an unbound failed client keeps Node alive
  }
}

export const ldap: Service = {
  name: 'OpenLDAP',
  port: () => stackConfig.ldapPort,
  pid: () => readPid(pidFile),
  answers,

  async start() {
    mkdirSync(dbDir, { recursive: true });
    writeFileSync(confFile, slapdConf());
    if (!existsSync(path.join(dbDir, 'data.mdb'))) {
      const ldif = path.join(dir, 'seed.ldif');
      writeFileSync(ldif, demoDirectory(ssha));
      execFileSync('slapadd', ['-q', '-f', confFile, '-l', ldif], { stdio: ['ignore', 'ignore', 'inherit'] });
    }
    // -d 0 keeps slapd in the foreground so the pid we record is the daemon's own.
    const pid = startDetached(
      'slapd',
      ['-f', confFile, '-h', `ldap://127.0.0.1:${stackConfig.ldapPort}/`, '-d', '0'],
      path.join(dir, 'slapd.log'),
      pidFile,
    );
    await waitFor('OpenLDAP', answers, { pid, timeoutMs: 15_000 });
    return pid;
  },

  stop: () => stopPid('OpenLDAP', pidFile),
};
