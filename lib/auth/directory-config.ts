import type { WebEnv } from '../env';
import type { DirectoryConfig } from './ldap';

/** The directory settings of the web environment, for the login path and the start-up check alike. */
export function directoryConfig(e: WebEnv): DirectoryConfig {
  return {
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
  };
}
