import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type APIRequestContext, expect, request as playwrightRequest, test } from '@playwright/test';
import { E2E_PORT } from '../scripts/test-setup/test-env';
import { DatabaseSnapshots } from './db-snapshot';
import { type DemoUser, basic, storageState } from './fixtures';
import { appRoutes } from './routes';

// Every staff-only route handler (app/api/v1/admin/**, app/admin/**/route.ts), found from the file
// tree like e2e/routes.ts, called with every method it exports by anonymous callers and customers
// (browser session and HTTP Basic): 401 or 403, and nothing changed.

const ORIGIN = `http://127.0.0.1:${E2E_PORT}`;
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

const adminRoutes = appRoutes().filter((r) => r.kind === 'api' && (r.url.startsWith('/api/v1/admin/') || r.file.startsWith(`admin${path.sep}`)));

/** The HTTP methods a route module exports (export const GET / export async function POST / export { GET }). */
function exportedMethods(file: string): string[] {
  const text = readFileSync(path.join(import.meta.dirname, '..', 'app', file), 'utf8');
  const found = new Set<string>();
  for (const m of text.matchAll(/export\s+(?:const|let|async\s+function|function)\s+([A-Z]+)\b/g)) found.add(m[1]!);
  for (const m of text.matchAll(/export\s*\{([^}]*)\}/g)) {
    for (const part of m[1]!.split(',')) found.add(part.trim().split(/\s+as\s+/).pop()!.trim());
  }
  return METHODS.filter((method) => found.has(method));
}

let db: DatabaseSnapshots;
test.beforeAll(async () => {
  db = await DatabaseSnapshots.open();
});
test.afterAll(async () => {
  await db?.close();
});

async function as(user: DemoUser | 'anonymous'): Promise<APIRequestContext> {
  return playwrightRequest.newContext({ baseURL: ORIGIN, storageState: user === 'anonymous' ? undefined : storageState(user) });
}

test('finds the staff route handlers to walk', () => {
  expect(adminRoutes.map((r) => r.url)).toContain('/api/v1/admin/pipeline');
  for (const route of adminRoutes) expect(exportedMethods(route.file), `${route.file} exports no HTTP method`).not.toEqual([]);
});

const CALLERS: Array<{ name: string; user: DemoUser | 'anonymous'; headers: Record<string, string>; status: number; writes?: string[] }> = [
  { name: 'anonymous', user: 'anonymous', headers: {}, status: 401 },
  // A failed login is counted for throttling: that write is the point of it.
  { name: 'a wrong Basic password', user: 'anonymous', headers: basic({ username: 'carol', password: 'not-carols' }), status: 401, writes: ['login_throttle'] },
  { name: 'alice (session)', user: 'alice', headers: {}, status: 403 },
  { name: 'bob (session)', user: 'bob', headers: {}, status: 403 },
  { name: 'alice (Basic)', user: 'anonymous', headers: basic('alice'), status: 403 },
  { name: 'bob (Basic)', user: 'anonymous', headers: basic('bob'), status: 403 },
];

for (const route of adminRoutes) {
  for (const caller of CALLERS) {
    test(`${route.url} (${route.file}) refuses ${caller.name} and changes nothing`, async () => {
      const request = await as(caller.user);
      try {
        for (const method of exportedMethods(route.file)) {
          const before = await db.take();
          const response = await request.fetch(route.url, {
            method,
            headers: { Origin: ORIGIN, 'Content-Type': 'application/json', ...caller.headers },
            data: method === 'GET' || method === 'HEAD' ? undefined : '{}',
            maxRedirects: 0,
          });
          expect(response.status(), `${method} ${route.url} as ${caller.name}`).toBe(caller.status);
          if (method !== 'HEAD') expect(await response.json()).toEqual({ error: expect.any(String) });
          expect(await db.changesSince(before, caller.writes), `${method} ${route.url} as ${caller.name} changed the database`).toEqual([]);
        }
      } finally {
        await request.dispose();
        // Carol's failures are the point of this caller, but the walk makes more of them than the
        // per-user limit allows in one window (its own test is in protection.api.spec.ts): start each
        // route with a clean slate, so the staff calls below are not throttled.
        if (caller.writes?.includes('login_throttle')) await db.query("DELETE FROM login_throttle WHERE scope = 'user' AND subject = 'carol'");
      }
    });
  }

  if (exportedMethods(route.file).includes('GET')) {
    test(`${route.url} answers staff (positive control)`, async () => {
      // The same request as carol, by session cookie and by HTTP Basic, is not refused.
      for (const [user, headers] of [['carol', {}], ['anonymous', basic('carol')]] as const) {
        const request = await as(user);
        try {
          expect((await request.get(route.url, { headers, maxRedirects: 0 })).status()).toBe(200);
        } finally {
          await request.dispose();
        }
      }
    });
  }
}
