// The one way Porthole writes an instant for people: "2026-12-03 14:05 UTC", "2026-12-03 15:05 UTC+1",
// always in a zone the server knows (lib/vms/display-zone.ts), so the HTML the server sends and the page
// after hydration read the same. And "3 min ago", relative to a `now` the server passes along.
// Pure: numeric Intl parts only (no locale words, no zone abbreviations that differ between ICU builds).
import { localParts, zoneOffsetMs } from './time-zone';

const two = (n: number) => String(n).padStart(2, '0');

/** "UTC", "UTC+1", "UTC-3:30": the zone's offset at that instant (DST included). */
export function zoneLabel(zone: string, at: Date | number): string {
  const minutes = Math.round(zoneOffsetMs(typeof at === 'number' ? at : at.getTime(), zone) / 60_000);
  if (minutes === 0) return 'UTC';
  const abs = Math.abs(minutes);
  return `UTC${minutes < 0 ? '-' : '+'}${Math.floor(abs / 60)}${abs % 60 ? `:${two(abs % 60)}` : ''}`;
}

/** "2026-12-03 14:05 UTC": date, 24-hour time and zone. */
export function formatDateTime(at: Date | number | string, zone: string): string {
  const t = typeof at === 'string' ? Date.parse(at) : typeof at === 'number' ? at : at.getTime();
  if (Number.isNaN(t)) return '–';
  const p = localParts(t, zone);
  return `${p.year}-${two(p.month)}-${two(p.day)} ${two(p.hour)}:${two(p.minute)} ${zoneLabel(zone, t)}`;
}

/** "just now", "3 min ago", "5 h ago", "4 d ago", "in 10 min": how long before (or after) `now`. */
export function formatRelative(at: Date | number | string, now: Date | number): string {
  const t = typeof at === 'string' ? Date.parse(at) : typeof at === 'number' ? at : at.getTime();
  const n = typeof now === 'number' ? now : now.getTime();
  if (Number.isNaN(t) || Number.isNaN(n)) return '';
  const diff = n - t;
  const s = Math.abs(diff) / 1000;
  if (s < 60) return 'just now';
  const words = s < 3600 ? `${Math.floor(s / 60)} min` : s < 86_400 ? `${Math.floor(s / 3600)} h` : `${Math.floor(s / 86_400)} d`;
  return diff >= 0 ? `${words} ago` : `in ${words}`;
}
