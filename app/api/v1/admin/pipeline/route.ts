import { NextResponse } from 'next/server';
import { pipelineStatus } from '@/lib/db/queries/pipeline';
import { staffApiRoute } from '@/lib/api/handler';
import { getDb } from '@/lib/db';

/** Staff only: is the event pipeline alive (last event, rate, dead letters, each ingester's connection). */
export const GET = staffApiRoute(async () => NextResponse.json(await pipelineStatus(getDb())));
