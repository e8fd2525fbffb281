import { NextResponse } from 'next/server';
import { pipelineStatus } from '@/lib/admin/pipeline';
import { apiRoute, jsonError } from '@/lib/api/handler';
import { getDb } from '@/lib/db';

/** Staff only: is the event pipeline alive (last event, rate, dead letters, each ingester's connection). */
export const GET = apiRoute(async (_request, user) => {
  if (!user.isStaff) return jsonError(403, 'Staff only.');
  return NextResponse.json(await pipelineStatus(getDb()));
});
