import { NextResponse } from 'next/server';
import { jsonError, staffApiRoute } from '@/lib/api/handler';
import { clientIp } from '@/lib/auth/client-ip';
import { getDb } from '@/lib/db';
import { latestRelayChecks, relayCheckHistory } from '@/lib/db/queries/mx-relay';
import { env } from '@/lib/env';
import { ConfigError } from '@/lib/config/parse-env';
import { GuideInputError, checkDomainName } from '@/lib/guides/net-schemas';
import { auditRelayRun } from '@/lib/mx/relay-audit';
import { runRelayChecks } from '@/lib/mx/relay-checks';

const whole = (v: string | null) => (v && /^[1-9][0-9]{0,15}$/.test(v) ? Number(v) : undefined);

/**
 * Staff only. GET: the newest relay check of each MX host (open relays first) and the history, newest
 * first (?limit=1..500, ?before=<id>, ?host=<mx host>). Each result holds every probe with the server's
 * reply to RCPT TO and the whole conversation.
 */
export const GET = staffApiRoute(async (request) => {
  const params = new URL(request.url).searchParams;
  const hostParam = params.get('host');
  let mxHost: string | undefined;
  if (hostParam !== null) {
    const checked = checkDomainName(hostParam);
    if (!checked.ok) return jsonError(400, `host: ${checked.error}`);
    mxHost = checked.value;
  }
  const limitParam = params.get('limit');
  const limit = whole(limitParam);
  if (limitParam !== null && (limit === undefined || limit > 500)) return jsonError(400, 'limit: a whole number from 1 to 500.');
  const beforeParam = params.get('before');
  const before = whole(beforeParam);
  if (beforeParam !== null && before === undefined) return jsonError(400, 'before: a check id.');
  const db = getDb();
  const [latest, history] = await Promise.all([latestRelayChecks(db), relayCheckHistory(db, { limit, before, mxHost })]);
  return NextResponse.json({ latest, history, openRelay: latest.some((c) => c.openRelay) });
});

/** Staff only: runs the check of every configured MX host now, stores and audits it; answers with the results. */
export const POST = staffApiRoute(async (request, user) => {
  const db = getDb();
  let run;
  try {
    run = await runRelayChecks(db, user.username);
  } catch (error) {
    if (error instanceof GuideInputError || error instanceof ConfigError) return jsonError(409, `The relay check could not start: ${error.message}`);
    throw error;
  }
  await auditRelayRun(db, user, run.results, clientIp(request.headers, env().TRUSTED_PROXY_IPS));
  return NextResponse.json(
    { ids: run.ids, results: run.results, openRelay: run.results.some((r) => r.openRelay) },
    { status: 201 },
  );
});
