import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const APP = path.join(import.meta.dirname, '..', 'app');

export interface AppRoute {
  kind: 'page' | 'api';
  file: string;
  /** A concrete URL for the route, dynamic segments filled with "1". */
  url: string;
}

/** Every page.tsx and route.ts under app/, as URLs: a new route is covered by the walk without anyone remembering it. */
export function appRoutes(dir = APP): AppRoute[] {
  const found: AppRoute[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) {
      if (!name.startsWith('_')) found.push(...appRoutes(full)); // _components etc. are not routable
      continue;
    }
    const kind = /^page\.(tsx|ts|jsx|js)$/.test(name) ? 'page' : /^route\.(ts|js)$/.test(name) ? 'api' : null;
    if (!kind) continue;
    const segments = path
      .relative(APP, dir)
      .split(path.sep)
      .filter((s) => s !== '' && !/^\(.*\)$/.test(s)) // route groups are not in the URL
      .map((s) => (s.startsWith('[[...') ? 'x' : s.startsWith('[...') ? 'x/y' : s.startsWith('[') ? '1' : s));
    found.push({ kind, file: path.relative(APP, full), url: `/${segments.join('/')}` });
  }
  return found;
}

export const PUBLIC_URLS = ['/login', '/api/health', '/api/health/live', '/api/health/ready'];
export const isPublic = (route: AppRoute) => PUBLIC_URLS.includes(route.url) || route.url.startsWith('/api/auth/');
