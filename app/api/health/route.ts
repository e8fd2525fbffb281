import { NextResponse } from 'next/server';
import { getDirectory } from '@/lib/auth/services';
import { getDb } from '@/lib/db';
import { env } from '@/lib/env';
import { brokerQueueProbe, checkHealth } from '@/lib/health/checks';
import { httpStatusFor } from '@/lib/health/status';
import { parseBrokerUrl } from '@/lib/stomp/broker-url';

export const dynamic = 'force-dynamic';

let queueProbe: ReturnType<typeof brokerQueueProbe> | undefined;

/**
 * The detail: monitoring (check_porthole) and the demo script poll this; it needs no login and reveals no
 * data. 200 when `ok` or `degraded` (LDAP or the broker failing), 503 only when the database is down.
 * Load balancers should use /api/health/ready.
 */
export async function GET() {
  const report = await checkHealth({
    db: getDb(),
    directory: getDirectory(),
    brokers: parseBrokerUrl(env().STOMP_URL),
    queueDepths: (queueProbe ??= brokerQueueProbe(parseBrokerUrl(env().STOMP_URL), env().EVENTS_DESTINATION)),
  });
  return NextResponse.json(report, {
    status: httpStatusFor(report.status),
    headers: { 'Cache-Control': 'no-store' },
  });
}
