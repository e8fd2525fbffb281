import { NextResponse } from 'next/server';
import { createPlan } from '@/lib/admin/onboarding';
import { created, staffCaller } from '@/lib/api/admin-json';
import { staffApiRoute } from '@/lib/api/handler';
import { getDb } from '@/lib/db';
import { planById, listPlansForStaff } from '@/lib/db/queries/onboarding';

// Staff only: GET every plan (retired ones too); POST {"slug", "name", "priceMinor", "currency"?, "diskGb", "transferGb", "memoryMb", "cpus"} creates one.
export const GET = staffApiRoute(async () => NextResponse.json({ plans: await listPlansForStaff(getDb()) }));

export const POST = staffApiRoute(async (request, user) => {
  const db = getDb();
  return created(request, (body) => createPlan(db, staffCaller(request, user), body), (id) => planById(db, id), 'plan');
});
