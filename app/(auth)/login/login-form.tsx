'use client';

import { useActionState } from 'react';
import { type LoginState, logIn } from './actions';

/**
 * A plain form posting to a server action: before the scripts load, or without JavaScript at
 * all, the browser POSTs it and gets the next page (or this one with the error) from the server.
 * Once hydrated, React submits it in place: no page reload, a pending button, the error inline.
 */
export function LoginForm({ callbackUrl }: { callbackUrl: string }) {
  const [state, action, pending] = useActionState<LoginState, FormData>(logIn, { error: null, username: '' });
  return (
    <form className="stack" action={action}>
      {state.error && (
        <p className="error" role="alert">
          {state.error}
        </p>
      )}
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      <label>
        Username
        <input name="username" autoComplete="username" required autoFocus maxLength={256} defaultValue={state.username} />
      </label>
      <label>
        Password
        <input name="password" type="password" autoComplete="current-password" required maxLength={1024} />
      </label>
      <button type="submit" disabled={pending}>
        {pending ? 'Logging in…' : 'Log in'}
      </button>
    </form>
  );
}
