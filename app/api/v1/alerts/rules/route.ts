import { NextResponse } from 'next/server';
import { customerApiRoute, jsonError } from '@/lib/api/handler';
import { getDb } from '@/lib/db';
import { listRules, ownedRule } from '@/lib/db/queries/alerts';
import { presentRules, saveRule } from '@/lib/notify/rules';
import { apiCaller, readJson } from '@/lib/api/request';

// GET /api/v1/alerts/rules — the account's rules with their plain-words summaries and warnings.
// POST /api/v1/alerts/rules — a new rule (lib/alerts/rule.ts's fields); 400 with every problem if it can't be used.
export const GET = customerApiRoute(async (_request, user) => {
  const db = getDb();
  return NextResponse.json({ rules: await presentRules(db, user.accountId, await listRules(db, user.accountId)) });
});

export const POST = customerApiRoute(async (request, user) => {
  const body = await readJson(request);
  if (!body.ok) return jsonError(400, body.error);
  const db = getDb();
  const saved = await saveRule(db, apiCaller(request, user), body.value);
  if (!saved.ok) return NextResponse.json({ error: 'The rule was not saved.', problems: saved.error }, { status: 400 });
  const [rule] = await presentRules(db, user.accountId, [(await ownedRule(db, user.accountId, saved.value))!]);
  return NextResponse.json({ rule }, { status: 201 });
});
