import { stackConfig } from '../stack/config.ts';

// The test run's own world: its own database and web port beside the demo's, the same
// directory and broker (tests use destinations of their own).
const { dbUser, dbPassword, mariadbPort, ldapPort, stompPort } = stackConfig;

export const E2E_PORT = Number(process.env.E2E_PORT || 3100);
// Overridable so that two test runs on one machine (two checkouts) do not share a database.
export const TEST_DATABASE = process.env.TEST_DATABASE || 'porthole_test';
export const E2E_DIST_DIR = process.env.E2E_DIST_DIR || '.next-test';

export const TEST_ENV: Record<string, string> = {
  DATABASE_URL: `mysql://${dbUser}:${dbPassword}@127.0.0.1:${mariadbPort}/${TEST_DATABASE}`,
  LDAP_URL: `ldap://127.0.0.1:${ldapPort}`,
  STOMP_URL: `stomp://127.0.0.1:${stompPort}`,
  // Per test database, so a parallel run's ingester never takes this run's events.
  EVENTS_DESTINATION: `/queue/test.nagios.events.${TEST_DATABASE}`,
  NEXTAUTH_SECRET: 'porthole-test-secret-0123456789abcdef0123456789',
  NEXTAUTH_URL: `http://127.0.0.1:${E2E_PORT}`,
  PORT: String(E2E_PORT),
  // Generous limits: the suite logs in many times from one address; throttling has its own test.
  LOGIN_MAX_FAILURES_PER_IP: '1000',
  // A trusted front end at 127.0.0.2 (e2e/protection.api.spec.ts connects from there).
  TRUSTED_PROXY_IPS: '127.0.0.2',
  TRUSTED_PROXY_USER_HEADER: 'X-Remote-User',
  // Test notifiers never run the scheduled MX relay check: lib/net/relay-check.int.test.ts and
  // e2e/admin-mx-relay.e2e.spec.ts run it against their own Postfix.
  RELAY_CHECK_INTERVAL_MINUTES: '0',
  // Nor the scheduled mail-domain checks, which would add results under the e2e specs' feet
  // (lib/mx/mail-checks.int.test.ts runs a round itself).
  MAIL_CHECK_INTERVAL_MINUTES: '0',
  // The e2e relay check talks to test Postfix instances (e2e/admin-mx-relay.e2e.spec.ts) on this port,
  // and uses a made-up zone of the test DNS as the domain no MX host may relay for.
  RELAY_CHECK_PORT: process.env.RELAY_E2E_SMTP_PORT || '24541',
  RELAY_CHECK_UNLISTED_DOMAIN: 'relay-unlisted.test',
  RELAY_CHECK_TIMEOUT_MS: '5000',
  PORTHOLE_SPOOL_DIR: '/tmp/porthole-test-spool',
  // The e2e server is a production build on the local stack's demo passwords and the guides'
  // placeholder values, on purpose: say so, or it refuses to start (lib/preflight-rules.ts).
  PORTHOLE_ALLOW_DEMO_CONFIG: '1',
  // No /metrics endpoint for the workers tests start (they would collide with each other and the demo's
  // default ports); the e2e web server gets E2E_METRICS_PORT (playwright.config.ts).
  METRICS_PORT: '0',
};

/** The e2e web server's metrics port, beside its own so that parallel runs never collide (3100 → 9100). */
export const E2E_METRICS_PORT = E2E_PORT + 6000;
