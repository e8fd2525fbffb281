import { type NextRequest, NextResponse } from 'next/server';
import { trustedProxyUser } from '@/lib/auth/client-ip';
import { hasLiveSession } from '@/lib/auth/sessions-gate';
import { env } from '@/lib/env';
import { contentSecurityPolicy, newNonce } from '@/lib/http/csp';

// The protected system (the seed's acts_as_protected_system): the one gate every request passes.
// It only checks that someone is logged in; pages, route handlers and server actions check again
// who it is and what they may see (lib/auth/session.ts, lib/api/handler.ts).

const PUBLIC_PATHS = ['/login', '/api/health', '/api/health/live', '/api/health/ready'];
const PUBLIC_PREFIXES = ['/api/auth/'];

export function isPublicPath(pathname: string): boolean {
  return PUBLIC_PATHS.includes(pathname) || PUBLIC_PREFIXES.some((prefix) => pathname.startsWith(prefix));
}

export async function proxy(request: NextRequest) {
  // A fresh CSP nonce per request: Next.js reads it from the request's CSP header and puts it on the
  // scripts it emits (lib/http/csp.ts). Every answer gets the policy, redirects and 401s included.
  const nonce = newNonce();
  const policy = contentSecurityPolicy({
    nonce,
    dev: process.env.NODE_ENV === 'development',
    // Set by server.mjs from the socket or a trusted front end, never by a client.
    tls: request.headers.get('x-porthole-proto') === 'https',
    api: request.nextUrl.pathname.startsWith('/api/'),
  });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('x-nonce', nonce);
  requestHeaders.set('content-security-policy', policy);
  const response = await gate(request, () => NextResponse.next({ request: { headers: requestHeaders } }));
  response.headers.set('Content-Security-Policy', policy);
  return response;
}

async function gate(request: NextRequest, pass: () => NextResponse): Promise<NextResponse> {
  const { pathname, search } = request.nextUrl;
  if (isPublicPath(pathname)) return pass();

  // A cookie counts only while its session row is alive (revoked, expired or idle: not logged in).
  const live = await hasLiveSession(request);
  const e = env();
  if (live || trustedProxyUser(request.headers, e.TRUSTED_PROXY_IPS, e.TRUSTED_PROXY_USER_HEADER)) {
    return pass();
  }

  if (pathname.startsWith('/api/')) {
    // Scripts send HTTP Basic; the route handler verifies it against the directory.
    if (pathname.startsWith('/api/v1/') && request.headers.get('authorization')?.startsWith('Basic ')) {
      return pass();
    }
    return NextResponse.json(
      { error: 'Authentication required.' },
      { status: 401, headers: { 'WWW-Authenticate': 'Basic realm="Porthole", charset="UTF-8"', 'Cache-Control': 'no-store' } },
    );
  }

  const login = new URL('/login', request.url);
  if (pathname !== '/') login.searchParams.set('callbackUrl', pathname + search);
  return NextResponse.redirect(login);
}

export const config = {
  // Everything but Next's own static files.
  // The service worker and the web app manifest are fetched without cookies: they are public files.
  matcher: ['/((?!_next/static|_next/image|favicon.ico|robots.txt|sw.js|manifest.webmanifest).*)'],
};
