'use client';

import { useFormStatus } from 'react-dom';

/** Disabled while the order is on its way, so a second click cannot even leave the browser (the idempotency key covers the rest). */
export function ConfirmButton({ label }: { label: string }) {
  const { pending } = useFormStatus();
  return (
    <button type="submit" disabled={pending}>
      {pending ? 'Ordering…' : label}
    </button>
  );
}
