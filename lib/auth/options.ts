import 'server-only';
import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { recordAudit } from '../audit';
import { getDb } from '../db';
import { authSecret, env } from '../env';
import { clientIp } from './client-ip';
import { INVALID_LOGIN_MESSAGE, login, throttledMessage } from './login';
import { loginDeps } from './services';

let cached: NextAuthOptions | undefined;

/** next-auth v4 with JWT sessions; built lazily so `next build` needs no secret. */
export function authOptions(): NextAuthOptions {
  if (cached) return cached;
  const maxAge = env().SESSION_MAX_AGE_HOURS * 3600;
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
          const ip = clientIp(new Headers(req.headers as Record<string, string>), env().TRUSTED_PROXY_IPS);
          const result = await login(loginDeps(), { username, password, ip, via: 'web' });
          if (result.ok) return { id: String(result.userId), name: result.username };
          // next-auth passes a thrown message to the login page as ?error=…
          throw new Error(result.reason === 'throttled' ? throttledMessage(result.minutes) : INVALID_LOGIN_MESSAGE);
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) token.userId = Number(user.id);
        return token;
      },
      session({ session, token }) {
        if (session.user) session.user.id = token.userId;
        return session;
      },
    },
    events: {
      async signOut({ token }) {
        await recordAudit(getDb(), { action: 'logout', actor: { id: token?.userId ?? null, username: token?.name ?? null } });
      },
    },
  };
  return cached;
}
