import { NextResponse } from 'next/server';
import { updateVm } from '@/lib/admin/onboarding';
import { patched, staffCaller } from '@/lib/api/admin-json';
import { notFound, staffApiRoute } from '@/lib/api/handler';
import { getDb } from '@/lib/db';
import { vmForStaff } from '@/lib/db/queries/onboarding';
import { parseId } from '@/lib/vms/params';

// Staff only: GET one VM; PATCH the fields to change (accountKey moves it to another account, planSlug to another plan).
export const GET = staffApiRoute<{ id: string }>(async (_request, _user, { id }) => {
  const vmId = parseId(id);
  const vm = vmId === null ? null : await vmForStaff(getDb(), vmId);
  return vm ? NextResponse.json({ vm }) : notFound();
});

export const PATCH = staffApiRoute<{ id: string }>(async (request, user, { id }) => {
  const vmId = parseId(id);
  if (vmId === null) return notFound();
  const db = getDb();
  return patched(request, (body) => updateVm(db, staffCaller(request, user), vmId, body), (rowId) => vmForStaff(db, rowId), 'vm');
});
