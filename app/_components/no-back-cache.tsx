'use client';

import { useEffect } from 'react';

/** After logout, the back button must not show a private page from the browser's page cache. */
export function NoBackCache() {
  useEffect(() => {
    const onPageShow = (event: PageTransitionEvent) => {
      if (event.persisted) window.location.reload();
    };
    window.addEventListener('pageshow', onPageShow);
    return () => window.removeEventListener('pageshow', onPageShow);
  }, []);
  return null;
}
