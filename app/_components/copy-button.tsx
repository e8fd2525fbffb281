'use client';

import { useEffect, useState } from 'react';
import { useHydrated } from './use-hydrated';

/** Copies text to the clipboard and says so in a live region, so it is heard as well as seen. */
export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
  const hydrated = useHydrated();
  const [status, setStatus] = useState<'' | 'copied' | 'failed'>('');
  useEffect(() => {
    if (status === '') return;
    const timer = setTimeout(() => setStatus(''), 4000);
    return () => clearTimeout(timer);
  }, [status]);

  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setStatus('copied');
    } catch {
      // Insecure origins and denied permissions have no clipboard: the text is still there to select.
      setStatus('failed');
    }
  }

  return (
    <span className="copy" hidden={!hydrated}>
      <button type="button" className="secondary" onClick={copy}>
        {label}
      </button>{' '}
      <span role="status" className="small muted">
        {status === 'copied' ? 'Copied' : status === 'failed' ? 'Could not copy: select the text and copy it by hand.' : ''}
      </span>
    </span>
  );
}
