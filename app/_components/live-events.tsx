'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import { isolatedText } from '@/lib/monitoring/visible-text';

/**
 * Keeps a page current: listens to a VM's event stream (server-sent events) and re-renders the page on
 * the server when something happens, announcing the event to screen readers. EventSource reconnects by
 * itself after network trouble and when the server ends the stream.
 */
export function LiveEvents({ url: initialUrl }: { url: string }) {
  const router = useRouter();
  // The first URL only: a refresh re-renders the page with a newer start id, but the open stream
  // already continues from where it is.
  const [url] = useState(initialUrl);
  const [status, setStatus] = useState<'connecting' | 'live' | 'retrying'>('connecting');
  const [latest, setLatest] = useState<string | null>(null);
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);

  useEffect(() => {
    const source = new EventSource(url);
    source.addEventListener('open', () => setStatus('live'));
    source.addEventListener('error', () => setStatus(source.readyState === EventSource.CLOSED ? 'retrying' : 'connecting'));
    source.addEventListener('monitoring', (message) => {
      try {
        const event = JSON.parse((message as MessageEvent<string>).data) as { summary?: string };
        if (event.summary) setLatest(event.summary);
      } catch {
        // a malformed message still means "something changed"
      }
      // Several events in a burst cost one re-render.
      if (pending.current === null) {
        pending.current = setTimeout(() => {
          pending.current = null;
          router.refresh();
        }, 300);
      }
    });
    return () => {
      source.close();
      if (pending.current !== null) clearTimeout(pending.current);
      pending.current = null;
    };
  }, [url, router]);

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
