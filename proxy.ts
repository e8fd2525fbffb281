import { getToken } from 'next-auth/jwt';
import { type NextRequest, NextResponse } from 'next/server';
import { trustedProxyUser } from '@/lib/auth/client-ip';
import { authSecret, env } from '@/lib/env';

// The protected system (the seed's acts_as_protected_system): the one gate every request passes.
// It only checks that someone is logged in; pages, route handlers and server actions check again
// who it is and what they may see (lib/auth/session.ts, lib/api/handler.ts).

const PUBLIC_PATHS = ['/login', '/api/health'];
const PUBLIC_PREFIXES = ['/api/auth/'];

export function isPublicPath(pathname: string): boolean {
  return PUBLIC_PATHS.includes(pathname) || PUBLIC_PREFIXES.some((prefix) => pathname.startsWith(prefix));
}

export async function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  if (isPublicPath(pathname)) return NextResponse.next();

  const token = await getToken({ req: request, secret: authSecret() });
  const e = env();
  if (token || trustedProxyUser(request.headers, e.TRUSTED_PROXY_IPS, e.TRUSTED_PROXY_USER_HEADER)) {
    return NextResponse.next();
  }

  if (pathname.startsWith('/api/')) {
    // Scripts send HTTP Basic; the route handler verifies it against the directory.
    if (pathname.startsWith('/api/v1/') && request.headers.get('authorization')?.startsWith('Basic ')) {
      return NextResponse.next();
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
  matcher: ['/((?!_next/static|_next/image|favicon.ico|robots.txt).*)'],
};
