import { NextResponse } from 'next/server';
import { getDb } from '@/lib/db';
import { checkReady } from '@/lib/health/checks';

export const dynamic = 'force-dynamic';

/** Readiness for a load balancer: 200 while this instance reaches the database, else 503. LDAP and the broker do not count. */
export async function GET() {
  const report = await checkReady(getDb());
  return NextResponse.json(report, {
    status: report.status === 'ok' ? 200 : 503,
    headers: { 'Cache-Control': 'no-store' },
  });
}
