'use client';

import { useRouter } from 'next/navigation';
import { useEffect } from 'react';

/**
 * Tells the server the viewer's time zone (a cookie), so that server-rendered times (chart axes, date
 * inputs) are local. Re-renders once, the first time the cookie is set or when the zone changed.
 */
export function TimeZoneSync({ cookie }: { cookie: string }) {
  const router = useRouter();
  useEffect(() => {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (!zone) return;
    const current = document.cookie
      .split('; ')
      .find((c) => c.startsWith(`${cookie}=`))
      ?.slice(cookie.length + 1);
    // Compared with the cookie, not the zone the server resolved: an alias the server spells
    // differently must not cause a refresh on every page.
    if (current !== undefined && decodeURIComponent(current) === zone) return;
    document.cookie = `${cookie}=${encodeURIComponent(zone)}; path=/; max-age=31536000; samesite=lax`;
    router.refresh();
  }, [cookie, router]);
  return null;
}
