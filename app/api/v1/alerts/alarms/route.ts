import { NextResponse } from 'next/server';
import { customerApiRoute, jsonError } from '@/lib/api/handler';
import { getDb } from '@/lib/db';
import { alarmsSince } from '@/lib/db/queries/alerts';

// GET /api/v1/alerts/alarms?after=<id> — audible-alarm messages newer than `after`, for open dashboards.
export const GET = customerApiRoute(async (request, user) => {
  const after = new URL(request.url).searchParams.get('after') ?? '0';
  if (!/^(0|[1-9][0-9]{0,15})$/.test(after)) return jsonError(400, 'after must be an alarm id.');
  const alarms = await alarmsSince(getDb(), user.accountId, Number(after));
  return NextResponse.json({ alarms: alarms.map((a) => ({ id: a.id, subject: a.subject, state: a.state, at: a.at.toISOString() })) });
});
