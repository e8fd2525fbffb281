import { sharedWallboard } from '@/lib/admin/wallboard';
import { jsonError, staffApiRoute } from '@/lib/api/handler';
import { getDb } from '@/lib/db';

/** Does If-None-Match name this ETag (a list, weak or strong, or `*`)? */
function matches(header: string | null, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((part) => {
    const tag = part.trim().replace(/^W\//, '');
    return tag === etag || tag === '*';
  });
}

/**
 * Staff only: the wallboard's snapshot (lib/admin/wallboard.ts), every current problem worst first.
 * The ETag is the snapshot's version: a board that sends it back gets 304 until something changes.
 * However many boards poll, the database is read at most once per WALLBOARD_INTERVAL_MS per process.
 */
export const GET = staffApiRoute(async (request) => {
  let snapshot: { version: string; body: string };
  try {
    snapshot = await sharedWallboard(getDb()).json();
  } catch {
    return jsonError(503, 'The monitoring database did not answer. Try again in a few seconds.');
  }
  const etag = `"${snapshot.version}"`;
  if (matches(request.headers.get('if-none-match'), etag)) return new Response(null, { status: 304, headers: { ETag: etag } });
  return new Response(snapshot.body, { headers: { 'Content-Type': 'application/json', ETag: etag } });
});
