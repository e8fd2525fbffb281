'use client';

import { useRouter } from 'next/navigation';
import { useEffect } from 'react';

/**
 * Polls a small JSON endpoint and re-renders the page on the server when its answer changes: live
 * enough for an overview (every few seconds), without a connection held open per tab.
 */
export function PollRefresh({ url, intervalMs = 3000 }: { url: string; intervalMs?: number }) {
  const router = useRouter();
  useEffect(() => {
    let last: string | null = null;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout>;
    const tick = async () => {
      try {
        const response = await fetch(url, { cache: 'no-store', headers: { Accept: 'application/json' } });
        if (response.ok) {
          const text = await response.text();
          if (last !== null && text !== last) router.refresh();
          last = text;
        }
      } catch {
        // offline for a moment: try again on the next tick
      }
      if (!stopped) timer = setTimeout(tick, document.hidden ? intervalMs * 5 : intervalMs);
    };
    timer = setTimeout(tick, 0);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [url, intervalMs, router]);
  return null;
}
