import { directoryConfig } from '../auth/directory-config';
import type { DirectoryConfig } from '../auth/ldap';
import { parseWebEnv } from '../env';

/** The real slapd of the test run, configured as the portal configures it (a shorter timeout). */
export const TEST_DIRECTORY_CONFIG: DirectoryConfig = { ...directoryConfig(parseWebEnv(process.env)), timeoutMs: 3000 };
