'use client';

import { useSyncExternalStore } from 'react';

// The viewer's time zone never changes under a page: nothing to subscribe to.
const subscribe = () => () => {};

/** A UTC instant shown in the viewer's own time zone (rendered as UTC on the server, then localised). */
export function LocalTime({ at }: { at: Date | string }) {
  const iso = typeof at === 'string' ? at : at.toISOString();
  // The server snapshot is what hydration compares against; React then renders the client's own.
  const text = useSyncExternalStore(
    subscribe,
    () => new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }),
    () => `${iso.slice(0, 16).replace('T', ' ')} UTC`,
  );
  return <time dateTime={iso}>{text}</time>;
}
