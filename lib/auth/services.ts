import 'server-only';
import { getDb } from '../db';
import { env } from '../env';
import { Directory } from './ldap';
import type { ThrottleLimits } from './throttle';

// The web process's auth dependencies, built once from the validated environment.
let directory: Directory | undefined;

export function getDirectory(): Directory {
  const e = env();
  directory ??= new Directory({
    url: e.LDAP_URL,
    bindDn: e.LDAP_BIND_DN,
    bindPassword: e.LDAP_BIND_PASSWORD,
    userBase: e.LDAP_USER_BASE,
    userAttribute: e.LDAP_USER_ATTRIBUTE,
    userFilter: e.LDAP_USER_FILTER,
    staffGroupDn: e.LDAP_STAFF_GROUP_DN,
    accountAttribute: e.LDAP_ACCOUNT_ATTRIBUTE,
    startTls: e.LDAP_STARTTLS,
    caFile: e.LDAP_CA_FILE,
    tlsVerify: e.LDAP_TLS_VERIFY,
    timeoutMs: e.LDAP_TIMEOUT_MS,
  });
  return directory;
}

export function throttleLimits(): ThrottleLimits {
  const e = env();
  return {
    maxPerUser: e.LOGIN_MAX_FAILURES_PER_USER,
    maxPerIp: e.LOGIN_MAX_FAILURES_PER_IP,
    windowMinutes: e.LOGIN_THROTTLE_MINUTES,
  };
}

export const loginDeps = () => ({ db: getDb(), directory: getDirectory(), limits: throttleLimits() });
