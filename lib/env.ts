import { isIP } from 'node:net';
import { z } from 'zod';
import { booleanFlag, commaList, databaseUrl, destination, parseEnv, positiveInt, stompUrl } from './config/parse-env';

// The web process's configuration, validated once. Defaults point at the local stack (scripts/).
const webEnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  DATABASE_URL: databaseUrl.default('mysql://porthole:porthole@127.0.0.1:33306/porthole'),

  LDAP_URL: z
    .string()
    .regex(/^ldaps?:\/\/[^\s]+$/, 'must be ldap://host:port or ldaps://host:port')
    .default('ldap://127.0.0.1:3389'),
  LDAP_BIND_DN: z.string().default('cn=porthole,ou=services,dc=example,dc=com'),
  LDAP_BIND_PASSWORD: z.string().default('porthole-service'),
  LDAP_USER_BASE: z.string().default('ou=people,dc=example,dc=com'),
  LDAP_USER_ATTRIBUTE: z.string().regex(/^[A-Za-z][A-Za-z0-9-]*$/, 'must be an attribute name').default('uid'),
  LDAP_USER_FILTER: z.string().default('(objectClass=inetOrgPerson)'),
  LDAP_STAFF_GROUP_DN: z.string().default('cn=support,ou=groups,dc=example,dc=com'),
  /** Directory attribute holding the account slug; empty disables it (staff assign accounts). */
  LDAP_ACCOUNT_ATTRIBUTE: z.string().default('o'),
  LDAP_STARTTLS: booleanFlag(false),
  LDAP_CA_FILE: z.string().optional(),
  LDAP_TLS_VERIFY: booleanFlag(true),
  LDAP_TIMEOUT_MS: positiveInt(5000),

  STOMP_URL: stompUrl.default('stomp://127.0.0.1:61713'),
  EVENTS_DESTINATION: destination.default('/queue/nagios.events'),

  NEXTAUTH_SECRET: z.string().min(32, 'must be at least 32 characters (openssl rand -base64 32)').optional(),
  /** Absolute: counted from the login, never extended by activity. */
  SESSION_MAX_AGE_HOURS: positiveInt(8),
  /** A session unused for this long is ended (last-seen is written at most once a minute). */
  SESSION_IDLE_MINUTES: positiveInt(60),
  /** Staff membership and the user's existence are re-checked in the directory at most this often. */
  STAFF_RECHECK_MINUTES: positiveInt(5),
  LOGIN_MAX_FAILURES_PER_USER: positiveInt(5),
  LOGIN_MAX_FAILURES_PER_IP: positiveInt(30),
  LOGIN_THROTTLE_MINUTES: positiveInt(15),
  API_AUTH_CACHE_SECONDS: z.coerce.number().int().min(0).default(60),

  TRUSTED_PROXY_IPS: commaList.refine((ips) => ips.every((ip) => isIP(ip) !== 0), 'must be a comma-separated list of IP addresses'),
  TRUSTED_PROXY_USER_HEADER: z
    .string()
    .regex(/^[A-Za-z0-9-]+$/, 'must be an HTTP header name')
    .transform((h) => h.toLowerCase())
    .optional(),
});

export type WebEnv = z.infer<typeof webEnvSchema>;

export const parseWebEnv = (source: NodeJS.ProcessEnv = process.env): WebEnv => parseEnv(webEnvSchema, source);

let cached: WebEnv | undefined;

export function env(): WebEnv {
  cached ??= parseWebEnv();
  return cached;
}

/** The JWT/cookie secret; a production server refuses to run without one. */
export function authSecret(): string {
  const { NEXTAUTH_SECRET, NODE_ENV } = env();
  if (NEXTAUTH_SECRET) return NEXTAUTH_SECRET;
  if (NODE_ENV === 'production') throw new Error('Invalid configuration: NEXTAUTH_SECRET: required in production');
  return 'porthole-development-secret-not-for-production';
}
