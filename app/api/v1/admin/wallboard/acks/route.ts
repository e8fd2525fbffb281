import { NextResponse } from 'next/server';
import { type WallboardSnapshot, acknowledge, parseAckRequest, sharedWallboard } from '@/lib/admin/wallboard';
import { jsonError, staffApiRoute } from '@/lib/api/handler';
import { readJson } from '@/lib/api/request';
import { clientIp } from '@/lib/auth/client-ip';
import { getDb } from '@/lib/db';
import { env } from '@/lib/env';

/**
 * Staff only: POST {"problems": [{"vmId", "service", "since"}]} (at most 100, as the board's snapshot
 * names them) acknowledges them for every board; each is audited as `wallboard.ack`. Problems that
 * recovered or changed state meanwhile are not acknowledged (a new state is a new problem). Answers
 * with the counts and the new snapshot, so the board that asked shows the result at once.
 */
export const POST = staffApiRoute(async (request, user) => {
  const body = await readJson(request);
  if (!body.ok) return jsonError(400, body.error);
  const keys = parseAckRequest(body.value);
  if (!keys.ok) return jsonError(400, keys.error);
  const db = getDb();
  const cache = sharedWallboard(db);
  const outcome = await acknowledge(db, cache, { id: user.id, username: user.username, ip: clientIp(request.headers, env().TRUSTED_PROXY_IPS) }, keys.value);
  let snapshot: WallboardSnapshot | null = null;
  try {
    snapshot = await cache.snapshot();
  } catch {
    // Written; the board's next poll brings the new state.
  }
  return NextResponse.json({ acknowledged: outcome.acknowledged.length, already: outcome.already, gone: outcome.gone, snapshot });
});
