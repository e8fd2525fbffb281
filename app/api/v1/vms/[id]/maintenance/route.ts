import { NextResponse } from 'next/server';
import { customerApiRoute, jsonError, notFound, vmReadRoute } from '@/lib/api/handler';
import { apiCaller, readJson } from '@/lib/api/request';
import { getDb } from '@/lib/db';
import { vmMaintenance } from '@/lib/db/queries/maintenance';
import { ownedVm } from '@/lib/db/queries/vms';
import { maintenanceToJson, planMaintenance } from '@/lib/notify/maintenance';
import { parseId } from '@/lib/vms/params';

// GET the VM's maintenance windows (not yet over, and the last few that are); POST a new one:
// {"startsAt"?, "endsAt" | "minutes", "reason"?}, times ISO 8601 (a time without a zone is UTC).

export const GET = vmReadRoute<{ id: string }>(async (_request, _user, vm) => {
  const db = getDb();
  const now = new Date();
  const { current, past } = await vmMaintenance(db, vm, now);
  return NextResponse.json({ windows: current.map((w) => maintenanceToJson(w, now)), past: past.map((w) => maintenanceToJson(w, now)) });
});

export const POST = customerApiRoute<{ id: string }>(async (request, user, { id }) => {
  const vmId = parseId(id);
  const db = getDb();
  const vm = vmId === null ? null : await ownedVm(db, user.accountId, vmId);
  if (!vm) return notFound();
  const body = await readJson(request);
  if (!body.ok) return jsonError(400, body.error);
  if (typeof body.value !== 'object' || body.value === null || Array.isArray(body.value)) return jsonError(400, 'The body must be a JSON object.');
  const now = new Date();
  const saved = await planMaintenance(db, apiCaller(request, user), vm, body.value, 'UTC', now);
  if (!saved.ok) return NextResponse.json({ error: 'No maintenance window was added.', problems: saved.error }, { status: 400 });
  return NextResponse.json({ window: maintenanceToJson(saved.value, now) }, { status: 201 });
});
