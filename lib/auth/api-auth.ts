import 'server-only';
import { createHmac } from 'node:crypto';
import { recordAudit } from '../db/queries/audit';
import { getDb } from '../db';
import { authSecret, env } from '../env';
import { clientIp } from './client-ip';
import { loadPortalUser } from '../db/queries/users';
import { type PortalUser, isLockedOut } from './current-user';
import { SUSPENDED_LOGIN_MESSAGE, login } from './login';
import { loginDeps } from './services';
import { currentUser, withDirectoryRecheck } from './session';
import { lockedMinutes } from './throttle';

// Successful Basic binds, keyed by an HMAC of the credentials (never the password itself), so a
// polling script does not cost a directory bind per request. Per process, so everything that must
// hold across instances is checked in MariaDB on every hit: the throttle, the user's revocations
// and the shared staff re-check.
interface CacheEntry {
  userId: number;
  username: string;
  filledAt: number;
  expires: number;
  /** Hits not yet written to the audit log. */
  unaudited: number;
  lastAuditAt: number;
}
const basicCache = new Map<string, CacheEntry>();
const CACHE_LIMIT = 10_000;
/** Cache hits are audited as one `login.cached` row per entry per minute, carrying the count. */
export const CACHED_AUDIT_INTERVAL_MS = 60_000;

/** The cache may never outlive the staff re-check (STAFF_RECHECK_MINUTES). */
export function basicCacheTtlMs(e: { API_AUTH_CACHE_SECONDS: number; STAFF_RECHECK_MINUTES: number }): number {
  return Math.min(e.API_AUTH_CACHE_SECONDS * 1000, e.STAFF_RECHECK_MINUTES * 60_000);
}

/** For tests: forget every cached login in this process. */
export function clearBasicCache(): void {
  basicCache.clear();
}

export function parseBasic(header: string | null): { username: string; password: string } | null {
  if (!header?.startsWith('Basic ')) return null;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

export type ApiAuth = { user: PortalUser } | { error: 'unauthenticated' | 'throttled'; message: string };

const throttled = (minutes: number): ApiAuth => ({
  error: 'throttled',
  message: `Too many failed logins. Try again in ${minutes} minutes.`,
});

async function auditCachedHits(entry: CacheEntry, ip: string | null, now: number): Promise<void> {
  if (entry.unaudited === 0) return;
  await recordAudit(getDb(), {
    action: 'login.cached',
    actor: { id: entry.userId, username: entry.username },
    ip,
    details: { via: 'api', hits: entry.unaudited },
  });
  entry.unaudited = 0;
  entry.lastAuditAt = now;
}

/** HTTP Basic against the directory, with the cache; `now` is injectable for tests. */
export async function authenticateBasic(
  credentials: { username: string; password: string },
  ip: string | null,
  now = Date.now(),
): Promise<ApiAuth> {
  const db = getDb();
  const key = createHmac('sha256', authSecret()).update(`${credentials.username}\0${credentials.password}`).digest('hex');
  const hit = basicCache.get(key);
  if (hit && hit.expires > now) {
    // A lock on the name or the address refuses even a cached login, and is audited like any refusal.
    const minutes = await lockedMinutes(db, credentials.username.trim(), ip);
    if (minutes > 0) {
      basicCache.delete(key);
      await auditCachedHits(hit, ip, now);
      await recordAudit(db, { action: 'login.throttled', actor: { username: hit.username }, ip, details: { via: 'api', cached: true } });
      return throttled(minutes);
    }
    const loaded = await loadPortalUser(db, { id: hit.userId });
    const revokedSinceFill = loaded?.sessionsRevokedAt && loaded.sessionsRevokedAt.getTime() >= hit.filledAt;
    const user = loaded && !revokedSinceFill ? await withDirectoryRecheck(loaded) : null;
    if (user) {
      hit.unaudited += 1;
      if (now - hit.lastAuditAt >= CACHED_AUDIT_INTERVAL_MS) await auditCachedHits(hit, ip, now);
      return { user };
    }
  }
  if (hit) {
    basicCache.delete(key);
    await auditCachedHits(hit, ip, now);
  }

  const result = await login(loginDeps(), { ...credentials, ip, via: 'api' });
  if (!result.ok) {
    const { error } = result;
    if (error.reason === 'throttled') return throttled(error.minutes);
    return { error: 'unauthenticated', message: error.reason === 'suspended' ? SUSPENDED_LOGIN_MESSAGE : 'Invalid username or password.' };
  }
  const ttlMs = basicCacheTtlMs(env());
  if (ttlMs > 0) {
    if (basicCache.size >= CACHE_LIMIT) basicCache.clear();
    basicCache.set(key, { userId: result.value.userId, username: result.value.username, filledAt: now, expires: now + ttlMs, unaudited: 0, lastAuditAt: now });
  }
  const user = await loadPortalUser(db, { id: result.value.userId });
  return user && !isLockedOut(user) ? { user } : { error: 'unauthenticated', message: 'Invalid username or password.' };
}

/** /api/v1 callers: a browser session, a trusted front end, or HTTP Basic with directory credentials. */
export async function authenticateApi(request: Request): Promise<ApiAuth> {
  const credentials = parseBasic(request.headers.get('authorization'));
  if (!credentials) {
    const user = await currentUser();
    return user ? { user } : { error: 'unauthenticated', message: 'Authentication required.' };
  }
  return authenticateBasic(credentials, clientIp(request.headers, env().TRUSTED_PROXY_IPS));
}
