import { NextResponse } from 'next/server';
import { customerApiRoute, jsonError, notFound } from '@/lib/api/handler';
import { getDb } from '@/lib/db';
import { ownedRule } from '@/lib/db/queries/alerts';
import { patchRule, presentRules, removeRule } from '@/lib/notify/rules';
import { parseId } from '@/lib/vms/params';
import { apiCaller, readJson } from '@/lib/api/request';

// GET, PATCH (the fields to change), DELETE /api/v1/alerts/rules/:id — another account's rule id is 404.
export const GET = customerApiRoute<{ id: string }>(async (_request, user, { id }) => {
  const ruleId = parseId(id);
  const db = getDb();
  const rule = ruleId === null ? null : await ownedRule(db, user.accountId, ruleId);
  if (!rule) return notFound();
  const [presented] = await presentRules(db, user.accountId, [rule]);
  return NextResponse.json({ rule: presented });
});

export const PATCH = customerApiRoute<{ id: string }>(async (request, user, { id }) => {
  const ruleId = parseId(id);
  if (ruleId === null) return notFound();
  const body = await readJson(request);
  if (!body.ok) return jsonError(400, body.error);
  const db = getDb();
  const saved = await patchRule(db, apiCaller(request, user), ruleId, body.value);
  if (saved === null) return notFound();
  if (!saved.ok) return NextResponse.json({ error: 'The rule was not changed.', problems: saved.error }, { status: 400 });
  const [rule] = await presentRules(db, user.accountId, [(await ownedRule(db, user.accountId, ruleId))!]);
  return NextResponse.json({ rule });
});

export const DELETE = customerApiRoute<{ id: string }>(async (request, user, { id }) => {
  const ruleId = parseId(id);
  if (ruleId === null || !(await removeRule(getDb(), apiCaller(request, user), ruleId))) return notFound();
  return new NextResponse(null, { status: 204 });
});
