import 'server-only';
import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { recordAudit } from '../db/queries/audit';
import { getDb } from '../db';
import { authSecret, env } from '../env';
import { clientIp } from './client-ip';
import { INVALID_LOGIN_MESSAGE, SUSPENDED_LOGIN_MESSAGE, login, throttledMessage } from './login';
import { loginDeps } from './services';
import { safeRedirectPath } from './safe-redirect';
import { checkSession, createSession, revokeSession, sessionPolicy } from './sessions';

/**
 * Thrown by the jwt callback for a revoked, expired or idle session. next-auth 4.24's session route
 * (core/routes/session.js) catches it, answers `{}` and clears the cookie; getServerSession returns null.
 */
export class SessionEndedError extends Error {
  override name = 'SessionEndedError';
  constructor(readonly reason: string) {
    super(`Session ended: ${reason}`);
  }
}

let cached: NextAuthOptions | undefined;

/**
 * next-auth v4 with JWT cookies that carry a server-side session id (lib/auth/sessions.ts): every
 * use of the cookie is checked against MariaDB. Built lazily so `next build` needs no secret.
 */
export function authOptions(): NextAuthOptions {
  if (cached) return cached;
  // The cookie may outlive the session (renewal moves its expiry); the row decides, never the cookie.
  const maxAge = env().SESSION_MAX_AGE_HOURS * 3600;
  const policy = sessionPolicy(env());
  cached = {
    secret: authSecret(),
    session: { strategy: 'jwt', maxAge },
    jwt: { maxAge },
    pages: { signIn: '/login', error: '/login' },
    providers: [
      CredentialsProvider({
        name: 'Directory',
        credentials: { username: { label: 'Username', type: 'text' }, password: { label: 'Password', type: 'password' } },
        async authorize(credentials, req) {
          const username = typeof credentials?.username === 'string' ? credentials.username : '';
          const password = typeof credentials?.password === 'string' ? credentials.password : '';
          const requestHeaders = new Headers(req.headers as Record<string, string>);
          const ip = clientIp(requestHeaders, env().TRUSTED_PROXY_IPS);
          const result = await login(loginDeps(), { username, password, ip, via: 'web' });
          if (result.ok) {
            const sessionId = await createSession(getDb(), { userId: result.value.userId, ip, userAgent: requestHeaders.get('user-agent') });
            return { id: String(result.value.userId), name: result.value.username, sessionId, loginAt: Date.now() };
          }
          // next-auth passes a thrown message to the login page as ?error=…
          const { error } = result;
          throw new Error(error.reason === 'throttled' ? throttledMessage(error.minutes) : error.reason === 'suspended' ? SUSPENDED_LOGIN_MESSAGE : INVALID_LOGIN_MESSAGE);
        },
      }),
    ],
    callbacks: {
      // Every redirect next-auth makes (sign-in, sign-out callbackUrl) stays on our origin.
      redirect({ url, baseUrl }) {
        return `${baseUrl}${safeRedirectPath(url, baseUrl)}`;
      },
      async jwt({ token, user }) {
        if (user) {
          const fresh = user as typeof user & { sessionId: string; loginAt: number };
          return { ...token, userId: Number(user.id), sid: fresh.sessionId, loginAt: fresh.loginAt };
        }
        // Every later use of the cookie (getServerSession, /api/auth/session) asks the database.
        const check = await checkSession(getDb(), token.sid, policy);
        if (!check.alive) throw new SessionEndedError(check.reason);
        if (check.userId !== token.userId) throw new SessionEndedError('unknown');
        return { ...token, loginAt: check.createdAt.getTime() };
      },
      session({ session, token }) {
        if (session.user) session.user.id = token.userId;
        // The real end: renewal of the cookie never moves it.
        if (typeof token.loginAt === 'number') session.expires = new Date(token.loginAt + policy.maxAgeMs).toISOString();
        return session;
      },
    },
    events: {
      async signOut({ token }) {
        const db = getDb();
        const ended = await revokeSession(db, token?.sid, 'logout');
        await recordAudit(db, {
          action: 'logout',
          actor: { id: token?.userId ?? null, username: token?.name ?? null },
          details: { sessionEnded: ended },
        });
      },
    },
    logger: {
      // A dead session is an expected answer, not a server error worth a stack trace.
      error(code, metadata) {
        if (metadata instanceof SessionEndedError || (metadata as { name?: string } | undefined)?.name === 'SessionEndedError') return;
        // A cookie that does not decrypt (forged, truncated, or from before a secret rotation) is
        // answered as "not logged in"; one line, not a stack trace per request.
        if (code === 'JWT_SESSION_ERROR' && isUndecryptableCookie(metadata)) {
          console.warn('[next-auth][warn] a session cookie could not be decrypted: treated as logged out');
          return;
        }
        console.error(`[next-auth][error][${code}]`, metadata);
      },
      warn(code) {
        console.warn(`[next-auth][warn][${code}]`);
      },
      debug() {},
    },
  };
  return cached;
}

/** jose's errors for a JWE that is not ours, as next-auth hands them to the logger (bare or wrapped). */
function isUndecryptableCookie(metadata: unknown): boolean {
  const candidates = [metadata, (metadata as { error?: unknown } | null)?.error];
  return candidates.some((e) => {
    const code = (e as { code?: unknown } | null)?.code;
    return code === 'ERR_JWE_DECRYPTION_FAILED' || code === 'ERR_JWE_INVALID';
  });
}
