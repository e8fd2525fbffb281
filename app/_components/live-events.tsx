'use client';

import { useEffect, useState } from 'react';
import { isolatedText } from '@/lib/monitoring/visible-text';
import type { LiveDelta } from '@/lib/vms/live-rows';
import { liveStore } from './live-store';

/**
 * Keeps a VM page current: listens to the VM's event stream (server-sent events, `view=page`: only
 * what changed, worded for this viewer) and hands each change to the parts that show it (live-store),
 * announcing the newest event to screen readers. No re-render on the server. EventSource reconnects by
 * itself after network trouble and when the server ends the stream (with Last-Event-ID).
 */
export function LiveEvents({ url: initialUrl }: { url: string }) {
  // The first URL only: the open stream continues from where it is.
  const [url] = useState(initialUrl);
  const [status, setStatus] = useState<'connecting' | 'live' | 'retrying'>('connecting');
  const [latest, setLatest] = useState<string | null>(null);

  useEffect(() => {
    liveStore.start(url);
    const source = new EventSource(url);
    source.addEventListener('open', () => setStatus('live'));
    source.addEventListener('error', () => setStatus(source.readyState === EventSource.CLOSED ? 'retrying' : 'connecting'));
    source.addEventListener('delta', (message) => {
      try {
        const delta = JSON.parse((message as MessageEvent<string>).data) as LiveDelta;
        liveStore.apply(url, delta);
        const newest = delta.rows[0];
        if (newest) setLatest(newest[6] ?? `${newest[3] ?? 'Host'}: ${newest[4]}`);
      } catch {
        // a malformed message changes nothing
      }
    });
    return () => {
      source.close();
      liveStore.stop(url);
    };
  }, [url]);

  return (
    <p className="live muted">
      <span className={`live-dot live-${status}`} aria-hidden="true" />
      {status === 'live' ? 'Live: new events appear here by themselves.' : status === 'connecting' ? 'Connecting for live updates…' : 'Live updates paused; retrying…'}
      <span role="status" aria-live="polite" className="visually-hidden">
        {latest ? `New event: ${isolatedText(latest)}` : ''}
      </span>
    </p>
  );
}
