import { NextResponse } from 'next/server';
import { apiRoute } from '@/lib/api/handler';
import { planToJson } from '@/lib/api/plans-json';
import { getDb } from '@/lib/db';
import { listPlans } from '@/lib/db/queries/orders';

// GET /api/v1/plans — the plans a VM can move to (the same for every caller).
export const GET = apiRoute(async () => NextResponse.json({ plans: (await listPlans(getDb())).map(planToJson) }));
