import { NextResponse } from 'next/server';
import { staffEvents } from '@/lib/admin/staff-events';
import { jsonError, staffApiRoute } from '@/lib/api/handler';
import { getDb } from '@/lib/db';
import { eventToJson } from '@/lib/vms/history';
import { DEFAULT_TIME_ZONE } from '@/lib/vms/time-zone';
import { fromSearchParams } from '@/lib/vms/params';

// GET /api/v1/admin/events — every host's events, newest first: ?account=&vm=&service=&state=&type=&from=&to=&cursor=&limit=
export const GET = staffApiRoute(async (request) => {
  const { problems, page } = await staffEvents(getDb(), fromSearchParams(new URL(request.url).searchParams), DEFAULT_TIME_ZONE);
  if (problems.length > 0) return jsonError(400, problems.join(' '));
  return NextResponse.json({ events: page.events.map((e) => ({ ...eventToJson(e, e.host), vmId: e.vmId })), nextCursor: page.nextCursor });
});
