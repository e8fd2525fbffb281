import { directoryConfig } from './auth/directory-config';
import { Directory } from './auth/ldap';
import { ConfigError } from './config/parse-env';
import { createDb } from './db/connection';
import { type WebEnv, parseWebEnv } from './env';
import { pingDatabase } from './db/queries/health';
import { loadGuideSettings } from './db/queries/settings';
import { GUIDE_SETTING_KEYS, type LoadedGuideSettings, guideSettingsFromEnv } from './guides/settings';
import { productionFindings } from './preflight-rules';

export interface PreflightOptions {
  /** A production build refuses demo values (lib/preflight-rules.ts); default: NODE_ENV=production. */
  production?: boolean;
  /** Where accepted-by-opt-in findings are reported. */
  warn?: (line: string) => void;
}

/**
 * Start-up check for the web process: the configuration parses and the database and directory
 * answer. Each problem is one line naming the variable to fix.
 */
export async function preflight(source: NodeJS.ProcessEnv = process.env, options: PreflightOptions = {}): Promise<WebEnv> {
  const e = parseWebEnv(source);
  const production = options.production ?? e.NODE_ENV === 'production';
  const guideDefaults = guideSettingsFromEnv(source);
  const { db, pool } = createDb(e.DATABASE_URL, { connectionLimit: 1 });
  let guides: Pick<LoadedGuideSettings, 'values' | 'sources'>;
  try {
    await pingDatabase(db);
    guides = await loadGuideSettings(db, guideDefaults).catch((error: { code?: string }) => {
      // Not migrated yet: no staff overrides exist.
      if (error.code === 'ER_NO_SUCH_TABLE' || (error as { cause?: { code?: string } }).cause?.code === 'ER_NO_SUCH_TABLE') {
        return { values: guideDefaults, sources: Object.fromEntries(GUIDE_SETTING_KEYS.map((k) => [k, 'env' as const])) as LoadedGuideSettings['sources'] };
      }
      throw error;
    });
  } catch (error) {
    throw new ConfigError(`Invalid configuration: DATABASE_URL: cannot use ${redact(e.DATABASE_URL)}: ${(error as Error).message}`);
  } finally {
    await pool.end().catch(() => undefined);
  }
  if (production) {
    const { errors, warnings } = productionFindings({ env: e, source, guides });
    for (const w of warnings) (options.warn ?? ((l: string) => console.warn(`[web] warning: ${l}`)))(w);
    // One line per problem, all of them at once, so a fix does not reveal the next.
    if (errors.length > 0) throw new ConfigError(errors.join('\n'));
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
export async function preflightOrExit(options: PreflightOptions = {}): Promise<void> {
  try {
    await preflight(process.env, options);
  } catch (error) {
    for (const line of (error as Error).message.split('\n')) console.error(`[web] ${line}`);
    process.exit(1);
  }
}
