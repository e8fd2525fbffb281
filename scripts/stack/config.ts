import path from 'node:path';
import { fileURLToPath } from 'node:url';

// Where the local stack lives and which ports it uses. Every port is overridable so the
// stack can coexist with other programs on a shared machine.
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DATA_DIR = process.env.PORTHOLE_DATA_DIR ?? path.join(PROJECT_ROOT, '.data');

function port(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    throw new Error(`${name} must be a TCP port number (1-65535), got "${raw}"`);
  }
  return value;
}

function syncStrategy(raw: string | undefined): 'always' | 'periodic' {
  if (raw === undefined || raw === '') return 'periodic';
  if (raw === 'always' || raw === 'periodic') return raw;
  throw new Error(`ACTIVEMQ_SYNC must be "always" or "periodic", got "${raw}"`);
}

export const stackConfig = {
  mariadbPort: port('MARIADB_PORT', 33306),
  ldapPort: port('LDAP_PORT', 3389),
  stompPort: port('STOMP_PORT', 61713),
  /** The local SMTP server that receives the alerts (scripts/stack/smtp.ts). */
  smtpPort: port('SMTP_PORT', 24025),
  openwirePort: port('OPENWIRE_PORT', 61716),
  /** Kannel (SMS): bearerbox's admin/status HTTP, its box and fake-SMSC links, smsbox's sendsms HTTP. */
  kannelAdminPort: port('KANNEL_ADMIN_PORT', 24000),
  kannelSmsboxPort: port('KANNEL_SMSBOX_PORT', 24001),
  kannelSmscPort: port('KANNEL_SMSC_PORT', 24010),
  kannelSendsmsPort: port('KANNEL_SENDSMS_PORT', 24013),
  /**
   * KahaDB journal syncs: 'periodic' (every second; this stack's default, as a disk sync per
   * message caps a small VM at ~2,000 messages/s) or 'always' (a sync before every receipt).
   */
  activemqSync: syncStrategy(process.env.ACTIVEMQ_SYNC),
  /** The application's own database user; tests get a database of their own beside it. */
  dbUser: 'porthole',
  dbPassword: 'porthole',
  dbName: 'porthole',
  ldapSuffix: 'dc=example,dc=com',
  ldapRootDn: 'cn=admin,dc=example,dc=com',
  ldapRootPassword: 'porthole-ldap-admin',
  ldapServiceDn: 'cn=porthole,ou=services,dc=example,dc=com',
  ldapServicePassword: 'porthole-service',
  kannelAdminPassword: 'porthole-kannel-admin',
  kannelStatusPassword: 'porthole-kannel-status',
  kannelSmsUser: 'porthole',
  kannelSmsPassword: 'porthole-sms',
};

export type StackConfig = typeof stackConfig;
