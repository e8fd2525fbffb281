'use client';

import { useActionState } from 'react';
import { type RevokeState, revokeSessions } from './actions';

export function RevokeForm({ userId, username }: { userId: number; username: string }) {
  const [state, action, pending] = useActionState<RevokeState, FormData>(revokeSessions, {});
  return (
    <form action={action} style={{ display: 'flex', gap: '.5rem', flexWrap: 'wrap', alignItems: 'center' }}>
      <input type="hidden" name="userId" value={userId} />
      <button type="submit" disabled={pending} aria-label={`End all sessions of ${username}`}>
        End all sessions
      </button>
      {state.error && <span className="error">{state.error}</span>}
      {state.ok && <span role="status">{state.ok}</span>}
    </form>
  );
}
