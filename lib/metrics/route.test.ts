import { describe, expect, it } from 'vitest';
import { UNMATCHED, appRouteMatcher, normaliseRoute, routeMatcher, routeTemplates } from './route.mjs';

describe('routeTemplates', () => {
  it('turns app/ files into templates: groups dropped, params named, private folders and non-routes skipped', () => {
    expect(
      routeTemplates([
        'page.tsx',
        '(portal)/vms/[vmId]/page.tsx',
        '(portal)/vms/[vmId]/actions.ts',
        'api/auth/[...nextauth]/route.ts',
        'docs/[[...slug]]/page.tsx',
        '_components/nav.tsx',
        '_lib/page.tsx',
        'layout.tsx',
      ]).sort(),
    ).toEqual(['/', '/api/auth/*nextauth', '/docs/*slug', '/vms/:vmId']);
  });
});

describe('normaliseRoute', () => {
  const match = routeMatcher(['/', '/alerts/:ruleId', '/alerts/contacts', '/vms/:vmId', '/vms/:vmId/plan/confirm', '/api/auth/*nextauth', '/favicon.ico']);

  it('labels a request by its template, never by ids or query strings', () => {
    expect(normaliseRoute('/vms/1234', match)).toBe('/vms/:vmId');
    expect(normaliseRoute('/vms/web-01.acme.example?tab=disk&token=abc', match)).toBe('/vms/:vmId');
    expect(normaliseRoute('/vms/77/plan/confirm#top', match)).toBe('/vms/:vmId/plan/confirm');
    expect(normaliseRoute('/vms/77/', match)).toBe('/vms/:vmId');
    expect(normaliseRoute('/?x=1', match)).toBe('/');
  });

  it('prefers a static segment to a parameter', () => {
    expect(normaliseRoute('/alerts/contacts', match)).toBe('/alerts/contacts');
    expect(normaliseRoute('/alerts/12', match)).toBe('/alerts/:ruleId');
  });

  it('keeps cardinality bounded: catch-alls, Next assets and unknown paths are one value each', () => {
    expect(normaliseRoute('/api/auth/callback/credentials', match)).toBe('/api/auth/*nextauth');
    expect(normaliseRoute('/_next/static/chunks/app-3f9a.js', match)).toBe('/_next/static');
    expect(normaliseRoute('/_next/image?url=%2Fa.png', match)).toBe('/_next');
    const unknown = new Set(Array.from({ length: 50 }, (_, i) => normaliseRoute(`/wp-admin/${i}.php`, match)));
    expect([...unknown]).toEqual([UNMATCHED]);
    expect(normaliseRoute('/metrics', match)).toBe(UNMATCHED);
    expect(normaliseRoute('/vms/1/2/3', match)).toBe(UNMATCHED);
  });

  it("reads this checkout's app/ and public/", () => {
    const app = appRouteMatcher(process.cwd());
    expect(normaliseRoute('/vms/42/firewall', app)).toBe('/vms/:vmId/firewall');
    expect(normaliseRoute('/api/v1/vms/42/maintenance/7', app)).toBe('/api/v1/vms/:id/maintenance/:windowId');
    expect(normaliseRoute('/api/health/ready', app)).toBe('/api/health/ready');
    expect(normaliseRoute('/favicon.ico', app)).toBe('/favicon.ico');
  });
});
