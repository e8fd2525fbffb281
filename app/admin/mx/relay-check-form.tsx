'use client';

import { useActionState } from 'react';
import { type RelayCheckState, runRelayCheckNow } from './actions';

/** A plain POST form: works without JavaScript; with it, shows the outcome without a reload. */
export function RelayCheckForm() {
  const [state, action, pending] = useActionState<RelayCheckState, FormData>(runRelayCheckNow, {});
  return (
    <form action={action} aria-label="Relay check">
      <div className="form-actions">
        <button type="submit" disabled={pending}>
          {pending ? 'Checking… (a few seconds per host)' : 'Run the relay check now'}
        </button>
      </div>
      {state.error && (
        <p className="error" role="alert">
          {state.error}
        </p>
      )}
      {state.ok && (
        <p className={state.openRelay ? 'error' : 'notice'} role="status">
          {state.ok}
        </p>
      )}
    </form>
  );
}
