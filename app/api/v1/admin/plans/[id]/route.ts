import { NextResponse } from 'next/server';
import { updatePlan } from '@/lib/admin/onboarding';
import { patched, staffCaller } from '@/lib/api/admin-json';
import { notFound, staffApiRoute } from '@/lib/api/handler';
import { getDb } from '@/lib/db';
import { planById } from '@/lib/db/queries/onboarding';
import { parseId } from '@/lib/vms/params';

// Staff only: GET one plan; PATCH the fields to change ({"active": false} retires it: plans in use are never deleted).
export const GET = staffApiRoute<{ id: string }>(async (_request, _user, { id }) => {
  const planId = parseId(id);
  const plan = planId === null ? null : await planById(getDb(), planId);
  return plan ? NextResponse.json({ plan }) : notFound();
});

export const PATCH = staffApiRoute<{ id: string }>(async (request, user, { id }) => {
  const planId = parseId(id);
  if (planId === null) return notFound();
  const db = getDb();
  return patched(request, (body) => updatePlan(db, staffCaller(request, user), planId, body), (rowId) => planById(db, rowId), 'plan');
});
