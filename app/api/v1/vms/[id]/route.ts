import { NextResponse } from 'next/server';
import { customerApiRoute, notFound } from '@/lib/api/handler';
import { getDb } from '@/lib/db';
import { ownedVm, vmSummary } from '@/lib/db/queries/vms';
import { vmToJson } from '@/lib/vms/json';
import { parseId } from '@/lib/vms/params';

export const GET = customerApiRoute<{ id: string }>(async (_request, user, { id }) => {
  const vmId = parseId(id);
  const db = getDb();
  const vm = vmId === null ? null : await ownedVm(db, user.accountId, vmId);
  return vm ? NextResponse.json({ vm: vmToJson(await vmSummary(db, vm)) }) : notFound();
});
