import 'server-only';
import { createHmac } from 'node:crypto';
import { getDb } from '../db';
import { authSecret, env } from '../env';
import { clientIp } from './client-ip';
import { type PortalUser, loadPortalUser } from './current-user';
import { login } from './login';
import { loginDeps } from './services';
import { currentUser } from './session';

// Successful Basic binds, keyed by an HMAC of the credentials (never the password itself), so a
// polling script does not cost a directory bind per request.
const basicCache = new Map<string, { userId: number; expires: number }>();
const CACHE_LIMIT = 10_000;

function parseBasic(header: string | null): { username: string; password: string } | null {
  if (!header?.startsWith('Basic ')) return null;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

export type ApiAuth = { user: PortalUser } | { error: 'unauthenticated' | 'throttled'; message: string };

/** /api/v1 callers: a browser session, a trusted front end, or HTTP Basic with directory credentials. */
export async function authenticateApi(request: Request): Promise<ApiAuth> {
  const credentials = parseBasic(request.headers.get('authorization'));
  if (!credentials) {
    const user = await currentUser();
    return user ? { user } : { error: 'unauthenticated', message: 'Authentication required.' };
  }

  const ttlMs = env().API_AUTH_CACHE_SECONDS * 1000;
  const key = createHmac('sha256', authSecret()).update(`${credentials.username}\0${credentials.password}`).digest('hex');
  const hit = basicCache.get(key);
  if (hit && hit.expires > Date.now()) {
    const user = await loadPortalUser(getDb(), { id: hit.userId });
    if (user) return { user };
  }
  basicCache.delete(key);

  const ip = clientIp(request.headers, env().TRUSTED_PROXY_IPS);
  const result = await login(loginDeps(), { ...credentials, ip, via: 'api' });
  if (!result.ok) {
    return result.reason === 'throttled'
      ? { error: 'throttled', message: `Too many failed logins. Try again in ${result.minutes} minutes.` }
      : { error: 'unauthenticated', message: 'Invalid username or password.' };
  }
  if (ttlMs > 0) {
    if (basicCache.size >= CACHE_LIMIT) basicCache.clear();
    basicCache.set(key, { userId: result.userId, expires: Date.now() + ttlMs });
  }
  const user = await loadPortalUser(getDb(), { id: result.userId });
  return user ? { user } : { error: 'unauthenticated', message: 'Invalid username or password.' };
}
