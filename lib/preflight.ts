import { sql } from 'drizzle-orm';
import { directoryConfig } from './auth/directory-config';
import { Directory } from './auth/ldap';
import { ConfigError } from './config/parse-env';
import { createDb } from './db/connection';
import { type WebEnv, parseWebEnv } from './env';

/**
 * Start-up check for the web process: the configuration parses and the database and directory
 * answer. Each problem is one line naming the variable to fix.
 */
export async function preflight(source: NodeJS.ProcessEnv = process.env): Promise<WebEnv> {
  const e = parseWebEnv(source);
  const { db, pool } = createDb(e.DATABASE_URL, { connectionLimit: 1 });
  try {
    await db.execute(sql`SELECT 1`);
  } catch (error) {
    throw new ConfigError(`Invalid configuration: DATABASE_URL: cannot use ${redact(e.DATABASE_URL)}: ${(error as Error).message}`);
  } finally {
    await pool.end().catch(() => undefined);
  }
  // A start-up check should not hang for long on a dead directory.
  const directory = new Directory({ ...directoryConfig(e), timeoutMs: Math.min(e.LDAP_TIMEOUT_MS, 5000) });
  try {
    await directory.ping();
  } catch (error) {
    const message = (error as Error).message || (error as Error).name;
    throw new ConfigError(`Invalid configuration: LDAP_URL / LDAP_BIND_DN: cannot bind to ${e.LDAP_URL}: ${message}`);
  }
  return e;
}

/** Never print a password from a URL. */
export function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}

/** For server start-up: a bad configuration ends the process with its one-line reason. */
export async function preflightOrExit(): Promise<void> {
  try {
    await preflight();
  } catch (error) {
    console.error(`[web] ${(error as Error).message}`);
    process.exit(1);
  }
}
