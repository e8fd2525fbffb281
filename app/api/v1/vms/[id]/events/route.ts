import { NextResponse } from 'next/server';
import { jsonError, vmReadRoute } from '@/lib/api/handler';
import { getDb } from '@/lib/db';
import { historyForVm } from '@/lib/db/queries/vm-events';
import { eventToJson, previousStates } from '@/lib/vms/history';
import { fromSearchParams, parseHistoryParams } from '@/lib/vms/params';
import { DEFAULT_TIME_ZONE } from '@/lib/vms/time-zone';

// GET /api/v1/vms/:id/events?cursor&limit&kind&service&state&type&from&to — the VM's state changes,
// newest first; pass `nextCursor` back as `cursor` for older ones. Times without a zone are UTC.
export const GET = vmReadRoute<{ id: string }>(async (request, _user, vm) => {
  const params = parseHistoryParams(fromSearchParams(new URL(request.url).searchParams), DEFAULT_TIME_ZONE);
  if (!params.ok) return jsonError(400, params.error);
  const page = await historyForVm(getDb(), vm, params.value);
  // "has recovered" only where the page shows the problem before it.
  const previous = previousStates(page.events);
  return NextResponse.json({
    vm: { id: vm.id, hostname: vm.hostname },
    events: page.events.map((e, i) => eventToJson(e, vm.hostname, previous[i])),
    nextCursor: page.nextCursor,
  });
});
