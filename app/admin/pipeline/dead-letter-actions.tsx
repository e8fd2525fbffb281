'use client';

import { useActionState } from 'react';
import { type DeadLetterState, resolveDeadLetter } from './actions';

export function DeadLetterActions({ id }: { id: number }) {
  const [state, action, pending] = useActionState<DeadLetterState, FormData>(resolveDeadLetter, {});
  return (
    <form action={action} style={{ display: 'flex', gap: '.4rem', flexWrap: 'wrap' }}>
      <input type="hidden" name="id" value={id} />
      <button type="submit" name="intent" value="replay" disabled={pending}>
        Replay
      </button>
      <button type="submit" name="intent" value="discard" className="secondary" disabled={pending}>
        Discard
      </button>
      {state.error && <span className="error">{state.error}</span>}
      {state.ok && <span role="status">{state.ok}</span>}
    </form>
  );
}
