import { NextResponse } from 'next/server';
import { customerApiRoute, notFound } from '@/lib/api/handler';
import { forecastToJson, planToJson } from '@/lib/api/plans-json';
import { getDb } from '@/lib/db';
import { ownedVm } from '@/lib/db/queries/vms';
import { vmPlanOutlook } from '@/lib/plans/vm-plans';
import { parseId } from '@/lib/vms/params';

// GET /api/v1/vms/:id/forecast — disks' time to full, the month's transfer, and the plan that would hold them.
export const GET = customerApiRoute<{ id: string }>(async (_request, user, { id }) => {
  const vmId = parseId(id);
  const db = getDb();
  const vm = vmId === null ? null : await ownedVm(db, user.accountId, vmId);
  if (!vm) return notFound();
  const outlook = await vmPlanOutlook(db, vm, new Date());
  return NextResponse.json({ vmId: vm.id, plan: planToJson(outlook.current), forecast: forecastToJson(outlook.forecast, outlook.fits, outlook.recommended) });
});
