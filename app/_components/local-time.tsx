import { displayTimeZone } from '@/lib/vms/display-zone';
import { formatDateTime } from '@/lib/vms/time-format';
import { RelativeTime } from './relative-time';

/**
 * An instant as every page writes it, "2026-12-03 14:05 UTC", in the zone the server knows
 * (lib/vms/display-zone.ts): rendered on the server only, so hydration never changes it. With `now`
 * (the server's time of the page), "3 min ago" follows; the browser keeps that part current.
 */
export async function LocalTime({ at, now }: { at: Date | string; now?: Date }) {
  const iso = typeof at === 'string' ? at : at.toISOString();
  const zone = await displayTimeZone();
  const time = <time dateTime={iso}>{formatDateTime(iso, zone)}</time>;
  if (!now) return time;
  return (
    <>
      {time} <RelativeTime at={iso} serverNow={now.getTime()} />
    </>
  );
}
