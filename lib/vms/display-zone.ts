import 'server-only';
import { cookies } from 'next/headers';
import { cache } from 'react';
import { TIME_ZONE_COOKIE, resolveTimeZone } from './time-zone';

/**
 * The one zone every page writes times in (lib/vms/time-format.ts), on the server, so the HTML and the
 * hydrated page read the same. In order: the account's time zone (accounts.time_zone, once the session's
 * user carries it: pass it here), the browser's zone the portal has learnt (the cookie TimeZoneSync
 * sets), else UTC. Once per request.
 */
export const displayTimeZone = cache(async (accountTimeZone?: string | null): Promise<string> => {
  if (accountTimeZone) return resolveTimeZone(accountTimeZone);
  return resolveTimeZone((await cookies()).get(TIME_ZONE_COOKIE)?.value);
});
