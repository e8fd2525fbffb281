import { NextResponse } from 'next/server';
import { vmReadRoute } from '@/lib/api/handler';
import { getDb } from '@/lib/db';
import { vmSummary } from '@/lib/db/queries/vms';
import { vmToJson } from '@/lib/vms/json';

export const GET = vmReadRoute<{ id: string }>(async (_request, _user, vm) => {
  const db = getDb();
  return NextResponse.json({ vm: vmToJson(await vmSummary(db, vm)) });
});
