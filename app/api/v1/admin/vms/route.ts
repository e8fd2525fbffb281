import { NextResponse } from 'next/server';
import { createVm } from '@/lib/admin/onboarding';
import { created, staffCaller } from '@/lib/api/admin-json';
import { staffApiRoute } from '@/lib/api/handler';
import { getDb } from '@/lib/db';
import { vmForStaff, listVmsForStaff } from '@/lib/db/queries/onboarding';

// Staff only: GET every VM; POST {"accountKey", "nagiosHostName", "hostname", "address", "addressV6"?, "ubuntuRelease", "planSlug"} creates one.
export const GET = staffApiRoute(async () => NextResponse.json({ vms: await listVmsForStaff(getDb()) }));

export const POST = staffApiRoute(async (request, user) => {
  const db = getDb();
  return created(request, (body) => createVm(db, staffCaller(request, user), body), (id) => vmForStaff(db, id), 'vm');
});
