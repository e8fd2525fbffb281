'use server';

import NextAuth from 'next-auth';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { NextRequest, NextResponse } from 'next/server';
import { INVALID_LOGIN_MESSAGE, SUSPENDED_LOGIN_MESSAGE } from '@/lib/auth/login';
import { authOptions } from '@/lib/auth/options';
import { configuredOrigin, safeRedirectPath } from '@/lib/auth/safe-redirect';

export type LoginState = { error: string | null; username: string };

const UNAVAILABLE_MESSAGE = 'Logging in is not possible right now. Please try again in a minute.';

const field = (form: FormData, name: string, max: number) => {
  const value = form.get(name);
  return typeof value === 'string' ? value.slice(0, max) : '';
};

/**
 * Runs one next-auth route (the same handler as /api/auth/[...nextauth]) inside this server
 * action, and copies the cookies it sets onto our response. next-auth reads the browser's cookies
 * and headers of the current request through next/headers, which in a server action include the
 * cookies set earlier in the same action.
 */
async function nextAuthRoute(route: string[], body?: URLSearchParams): Promise<Response> {
  const url = new URL(`/api/auth/${route.join('/')}`, configuredOrigin(process.env.NEXTAUTH_URL));
  const request = body
    ? new NextRequest(url, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } })
    : new NextRequest(url);
  const response = await NextAuth(request as never, { params: Promise.resolve({ nextauth: route }) } as never, authOptions());
  const jar = await cookies();
  for (const cookie of new NextResponse(null, { headers: response.headers }).cookies.getAll()) jar.set(cookie);
  return response;
}

/**
 * The login form's POST, with or without JavaScript. The session is still made by next-auth's
 * own credentials callback (authorize → lib/auth/login.ts, the session row, the JWT cookie), so
 * this is not a second way in: it only spares the browser the CSRF round trip that a form
 * rendered on the server cannot make. Cross-site posts are refused by Next's server-action
 * Origin check (a login CSRF would need them), which is what next-auth's double-submit token
 * protects against on its own endpoint.
 *
 * The password lives only in this request's body: never in a URL, a redirect or a log line.
 */
export async function logIn(_previous: LoginState, form: FormData): Promise<LoginState> {
  const username = field(form, 'username', 1024);
  const password = field(form, 'password', 4096);
  const target = safeRedirectPath(field(form, 'callbackUrl', 4096), configuredOrigin(process.env.NEXTAUTH_URL));

  const csrf = await nextAuthRoute(['csrf']);
  const { csrfToken } = (await csrf.json()) as { csrfToken?: string };
  const response = await nextAuthRoute(
    ['callback', 'credentials'],
    new URLSearchParams({ username, password, csrfToken: csrfToken ?? '', callbackUrl: target, json: 'true' }),
  );
  const sessionSet = new NextResponse(null, { headers: response.headers }).cookies
    .getAll()
    .some((cookie) => cookie.name.includes('session-token') && cookie.value !== '');
  if (response.ok && sessionSet) redirect(target);

  // Failures come back as next-auth's error URL carrying the message authorize() threw.
  const { url } = (await response.json().catch(() => ({}))) as { url?: string };
  const error = url ? new URL(url, 'http://x').searchParams.get('error') : null;
  return { error: userMessage(error), username: username.slice(0, 256) };
}

/** Only our own messages are shown; anything else (a directory outage, a library error) is not. */
function userMessage(error: string | null): string {
  if (error === null) return UNAVAILABLE_MESSAGE; // no session and no message: never claim a wrong password
  if (error === 'CredentialsSignin' || error === INVALID_LOGIN_MESSAGE) return INVALID_LOGIN_MESSAGE;
  if (error === SUSPENDED_LOGIN_MESSAGE) return error;
  if (/^Too many failed logins\. Try again in \d+ minutes?\.$/.test(error)) return error;
  return UNAVAILABLE_MESSAGE;
}
