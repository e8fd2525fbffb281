import { NextResponse } from 'next/server';
import { staffApiRoute } from '@/lib/api/handler';
import { getDb } from '@/lib/db';
import { allRules } from '@/lib/db/queries/alerts';

// GET /api/v1/admin/alerts/rules — every account's rules (staff only), for support questions.
export const GET = staffApiRoute(async () => {
  const rules = await allRules(getDb());
  return NextResponse.json({ rules: rules.map((r) => ({ ...r, createdAt: r.createdAt.toISOString(), updatedAt: r.updatedAt.toISOString() })) });
});
