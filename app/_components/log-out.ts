'use server';

import { decode } from 'next-auth/jwt';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { revokeSession } from '@/lib/auth/sessions';
import { getDb } from '@/lib/db';
import { recordAudit } from '@/lib/db/queries/audit';
import { authSecret } from '@/lib/env';

// Logging out is a plain POST (a server action): it works before and without JavaScript, and keeps
// next-auth's browser client (about 10 KB gzip) off every page. It does what next-auth's sign-out
// did through our events.signOut: ends the session row, audits, clears the cookie.

const SESSION_COOKIES = /^(?:__Secure-)?next-auth\.session-token(?:\.\d+)?$/;

export async function logOut(): Promise<never> {
  const jar = await cookies();
  const names = jar
    .getAll()
    .map((c) => c.name)
    .filter((name) => SESSION_COOKIES.test(name));
  const value = names
    .sort()
    .map((name) => jar.get(name)?.value ?? '')
    .join('');
  const token = value ? await decode({ token: value, secret: authSecret() }).catch(() => null) : null;
  if (token) {
    const db = getDb();
    const ended = await revokeSession(db, token.sid, 'logout');
    await recordAudit(db, {
      action: 'logout',
      actor: { id: typeof token.userId === 'number' ? token.userId : null, username: typeof token.name === 'string' ? token.name : null },
      details: { sessionEnded: ended },
    });
  }
  // A __Secure- cookie can only be replaced by a Secure one.
  for (const name of names) jar.set(name, '', { maxAge: 0, path: '/', httpOnly: true, sameSite: 'lax', secure: name.startsWith('__Secure-') });
  redirect('/login?loggedOut=1');
}
