import { NextResponse } from 'next/server';
import { jsonError, vmReadRoute } from '@/lib/api/handler';
import { getDb } from '@/lib/db';
import { loadSlaDefinition } from '@/lib/db/queries/sla-settings';
import { availabilityForVm } from '@/lib/vms/availability';
import { stateHistoryCache } from '@/lib/vms/history-cache';
import { availabilityToJson, slaDefinitionToJson } from '@/lib/vms/json';
import { fromSearchParams, parseAvailabilityParams } from '@/lib/vms/params';
import { DEFAULT_TIME_ZONE } from '@/lib/vms/time-zone';

// GET /api/v1/vms/:id/availability?from&to&hardOnly — time in each state for the host and every service,
// from the state-change history (default: the last 24 hours, HARD states only). Time without data is
// reported as noDataMs and never counted as up. `slaPct` is the stated figure, defined by staff
// (/admin/settings) and described in `sla`; `breakdown` is the time in every state, no data and not
// monitored yet (the time before monitoring first saw the service).
export const GET = vmReadRoute<{ id: string }>(async (request, _user, vm) => {
  const now = new Date();
  const params = parseAvailabilityParams(fromSearchParams(new URL(request.url).searchParams), DEFAULT_TIME_ZONE, now);
  if (!params.ok) return jsonError(400, params.error);
  const { from, to, hardOnly } = params.value;
  const db = getDb();
  const [rows, sla] = await Promise.all([
    availabilityForVm(db, vm, { windows: [{ from, to }], hardOnly, now, cache: stateHistoryCache }),
    loadSlaDefinition(db),
  ]);
  const definition = sla.definition;
  const host = rows.find((r) => r.service === null);
  return NextResponse.json({
    vm: { id: vm.id, hostname: vm.hostname },
    from: from.toISOString(),
    to: to.toISOString(),
    hardOnly,
    sla: slaDefinitionToJson(definition),
    host: host ? availabilityToJson(host.windows[0]!, 'host', definition) : null,
    services: rows.filter((r) => r.service !== null).map((r) => ({ service: r.service, ...availabilityToJson(r.windows[0]!, 'service', definition) })),
  });
});
