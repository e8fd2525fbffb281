import { NextResponse } from 'next/server';
import { customerApiRoute, jsonError, notFound } from '@/lib/api/handler';
import { apiCaller } from '@/lib/api/request';
import { getDb } from '@/lib/db';
import { ownedVm } from '@/lib/db/queries/vms';
import { endMaintenance } from '@/lib/notify/maintenance';
import { parseId } from '@/lib/vms/params';

// DELETE ends a window now (one not yet begun is removed); a window of another VM or account is 404.
export const DELETE = customerApiRoute<{ id: string; windowId: string }>(async (request, user, { id, windowId }) => {
  const vmId = parseId(id);
  const windowNumber = parseId(windowId);
  const db = getDb();
  const vm = vmId === null || windowNumber === null ? null : await ownedVm(db, user.accountId, vmId);
  if (!vm || windowNumber === null) return notFound();
  const outcome = await endMaintenance(db, apiCaller(request, user), vm, windowNumber);
  if (outcome === null) return notFound();
  if (outcome === 'over') return jsonError(409, 'That maintenance window is already over.');
  return NextResponse.json({ result: outcome });
});
