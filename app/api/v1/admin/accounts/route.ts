import { NextResponse } from 'next/server';
import { createAccount } from '@/lib/admin/onboarding';
import { created, staffCaller } from '@/lib/api/admin-json';
import { staffApiRoute } from '@/lib/api/handler';
import { getDb } from '@/lib/db';
import { accountById, listAccounts } from '@/lib/db/queries/onboarding';

// Staff only: GET every account; POST {"key", "name", "contactEmail"?} creates one.
export const GET = staffApiRoute(async () => NextResponse.json({ accounts: await listAccounts(getDb()) }));

export const POST = staffApiRoute(async (request, user) => {
  const db = getDb();
  return created(request, (body) => createAccount(db, staffCaller(request, user), body), (id) => accountById(db, id), 'account');
});
