import { NextResponse } from 'next/server';
import { updateAccount } from '@/lib/admin/onboarding';
import { patched, staffCaller } from '@/lib/api/admin-json';
import { notFound, staffApiRoute } from '@/lib/api/handler';
import { getDb } from '@/lib/db';
import { accountById } from '@/lib/db/queries/onboarding';
import { parseId } from '@/lib/vms/params';

// Staff only: GET one account; PATCH the fields to change.
export const GET = staffApiRoute<{ id: string }>(async (_request, _user, { id }) => {
  const accountId = parseId(id);
  const account = accountId === null ? null : await accountById(getDb(), accountId);
  return account ? NextResponse.json({ account }) : notFound();
});

export const PATCH = staffApiRoute<{ id: string }>(async (request, user, { id }) => {
  const accountId = parseId(id);
  if (accountId === null) return notFound();
  const db = getDb();
  return patched(request, (body) => updateAccount(db, staffCaller(request, user), accountId, body), (rowId) => accountById(db, rowId), 'account');
});
