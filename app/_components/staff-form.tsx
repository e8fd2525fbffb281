'use client';

import { type ReactNode, useActionState } from 'react';

export type StaffFormState = { ok?: string; problems?: string[] };

/** A staff console form: a plain POST (works before and without JavaScript) that shows every problem. */
export function StaffForm({
  action,
  label,
  submit,
  children,
}: {
  action: (previous: StaffFormState, form: FormData) => Promise<StaffFormState>;
  label: string;
  submit: string;
  children: ReactNode;
}) {
  const [state, formAction, pending] = useActionState<StaffFormState, FormData>(action, {});
  return (
    <form action={formAction} aria-label={label} className="filters">
      {children}
      <div className="form-actions">
        <button type="submit" disabled={pending}>
          {pending ? 'Saving…' : submit}
        </button>
      </div>
      {state.problems?.length ? (
        <div className="error" role="alert">
          <p>Nothing was saved:</p>
          <ul>
            {state.problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {state.ok ? (
        <p role="status" className="muted">
          {state.ok}
        </p>
      ) : null}
    </form>
  );
}
