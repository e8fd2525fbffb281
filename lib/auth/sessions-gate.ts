import 'server-only';
import { getToken } from 'next-auth/jwt';
import type { NextRequest } from 'next/server';
import { getDb } from '../db';
import { authSecret, env } from '../env';
import { checkSession, sessionPolicy } from './sessions';

/**
 * For proxy.ts, the cheap gate: a session cookie counts only while its server-side row is alive
 * (not revoked, within the absolute and idle limits). One indexed read; last-seen is left to the
 * page's own check (lib/auth/options.ts), so a request writes at most once.
 */
/** Does the request carry a next-auth session cookie (either the plain or the `__Secure-` name)? */
export function hasSessionCookie(request: Request): boolean {
  return /(?:^|;\s*)(?:__Secure-)?next-auth\.session-token(?:\.\d+)?=/.test(request.headers.get('cookie') ?? '');
}

export async function hasLiveSession(request: NextRequest): Promise<boolean> {
  const token = await getToken({ req: request, secret: authSecret() });
  if (!token) return false;
  const check = await checkSession(getDb(), token.sid, sessionPolicy(env()), { touch: false });
  return check.alive && check.userId === token.userId;
}
