'use client';

import { useEffect, useState } from 'react';

/** A UTC instant shown in the viewer's own time zone (rendered as UTC on the server, then localised). */
export function LocalTime({ at }: { at: Date | string }) {
  const iso = typeof at === 'string' ? at : at.toISOString();
  const [text, setText] = useState(() => `${iso.slice(0, 16).replace('T', ' ')} UTC`);
  useEffect(() => {
    setText(new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }));
  }, [iso]);
  return <time dateTime={iso}>{text}</time>;
}
