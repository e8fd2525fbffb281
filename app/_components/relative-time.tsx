'use client';

import { useEffect, useState } from 'react';
import { formatRelative } from '@/lib/vms/time-format';

/**
 * "(3 min ago)": first exactly as the server wrote it (relative to the server's `now`, so hydration
 * matches), then kept current by the browser after mount.
 */
export function RelativeTime({ at, serverNow }: { at: string; serverNow: number }) {
  const [now, setNow] = useState(serverNow);
  useEffect(() => {
    const tick = () => setNow(Date.now());
    tick();
    const timer = setInterval(tick, 30_000);
    return () => clearInterval(timer);
  }, []);
  return <span className="muted relative-time">({formatRelative(at, now)})</span>;
}
