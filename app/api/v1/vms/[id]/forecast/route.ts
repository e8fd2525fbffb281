import { NextResponse } from 'next/server';
import { vmReadRoute } from '@/lib/api/handler';
import { forecastToJson, planToJson } from '@/lib/api/plans-json';
import { getDb } from '@/lib/db';
import { vmPlanOutlook } from '@/lib/plans/vm-plans';

// GET /api/v1/vms/:id/forecast — disks' time to full, the month's transfer, and the plan that would hold them.
export const GET = vmReadRoute<{ id: string }>(async (_request, _user, vm) => {
  const db = getDb();
  const outlook = await vmPlanOutlook(db, vm, new Date());
  return NextResponse.json({ vmId: vm.id, plan: planToJson(outlook.current), forecast: forecastToJson(outlook.forecast, outlook.fits, outlook.recommended) });
});
