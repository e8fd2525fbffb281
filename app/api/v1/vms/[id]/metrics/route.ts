import { NextResponse } from 'next/server';
import { jsonError, vmReadRoute } from '@/lib/api/handler';
import { getDb } from '@/lib/db';
import { seriesForVm, seriesListForVm } from '@/lib/db/queries/vm-metrics';
import { seriesToJson } from '@/lib/vms/json';
import { fromSearchParams, parseMetricsParams } from '@/lib/vms/params';
import { DEFAULT_TIME_ZONE } from '@/lib/vms/time-zone';

// GET /api/v1/vms/:id/metrics — the VM's perfdata series; with ?label (and &service when the label is
// in several services) one series over from..to (default: the last 7 days), averaged into at most
// `points` buckets. Byte and time units are converted to B and s.
export const GET = vmReadRoute<{ id: string }>(async (request, _user, vm) => {
  const db = getDb();
  const params = parseMetricsParams(fromSearchParams(new URL(request.url).searchParams), DEFAULT_TIME_ZONE, new Date());
  if (!params.ok) return jsonError(400, params.error);
  const { label, service, from, to, points } = params.value;
  const list = await seriesListForVm(db, vm);
  const vmJson = { id: vm.id, hostname: vm.hostname };
  if (label === undefined) {
    if (service !== undefined) return jsonError(400, 'service: give label too (or neither, to list the series)');
    return NextResponse.json({
      vm: vmJson,
      series: list.map((s) => ({ service: s.service, label: s.label, unit: s.unit, latest: { at: s.latest.at.toISOString(), value: s.latest.value } })),
    });
  }
  const matches = list.filter((s) => s.label === label && (service === undefined || s.service === service));
  if (matches.length === 0) return jsonError(404, `No series "${label}"${service === undefined ? '' : ` in service "${service}"`} for this VM.`);
  if (matches.length > 1) {
    return jsonError(400, `label: "${label}" is in several services (${matches.map((m) => m.service).join(', ')}); add service=`);
  }
  const series = await seriesForVm(db, vm, { service: matches[0]!.service, label, from, to, points });
  return NextResponse.json({ vm: vmJson, series: seriesToJson(series) });
});
