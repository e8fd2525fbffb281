'use client';

import { useActionState } from 'react';
import { type AssignState, assignAccount } from './actions';

export function AssignForm({
  userId,
  current,
  accounts,
}: {
  userId: number;
  current: number | null;
  accounts: Array<{ id: number; name: string }>;
}) {
  const [state, action, pending] = useActionState<AssignState, FormData>(assignAccount, {});
  return (
    <form action={action} style={{ display: 'flex', gap: '.5rem', flexWrap: 'wrap', alignItems: 'center' }}>
      <input type="hidden" name="userId" value={userId} />
      <select name="accountId" defaultValue={current ?? ''} aria-label="Account">
        <option value="">From the directory</option>
        {accounts.map((a) => (
          <option key={a.id} value={a.id}>
            {a.name}
          </option>
        ))}
      </select>
      <button type="submit" disabled={pending}>
        Save
      </button>
      {state.error && <span className="error">{state.error}</span>}
      {state.ok && <span role="status">{state.ok}</span>}
    </form>
  );
}
