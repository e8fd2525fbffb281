import { NextResponse } from 'next/server';
import { getDirectory } from '@/lib/auth/services';
import { getDb } from '@/lib/db';
import { env } from '@/lib/env';
import { checkHealth } from '@/lib/health/checks';
import { parseBrokerUrl } from '@/lib/stomp/broker-url';

export const dynamic = 'force-dynamic';

/** Load balancers and the demo script poll this; it needs no login and reveals no data. */
export async function GET() {
  const report = await checkHealth({
    db: getDb(),
    directory: getDirectory(),
    brokers: parseBrokerUrl(env().STOMP_URL),
  });
  return NextResponse.json(report, {
    status: report.status === 'ok' ? 200 : 503,
    headers: { 'Cache-Control': 'no-store' },
  });
}
