'use client';

import { useActionState } from 'react';
import { type DetailLevelState, setDetailLevel } from './actions';

export function DetailLevelForm({ current }: { current: 'summary' | 'technical' }) {
  const [state, action, pending] = useActionState<DetailLevelState, FormData>(setDetailLevel, {});
  return (
    <form action={action} className="inline-form">
      <fieldset>
        <legend>Event detail</legend>
        <label className="choice">
          <input type="radio" name="level" value="summary" defaultChecked={current === 'summary'} />
          Summary
        </label>
        <label className="choice">
          <input type="radio" name="level" value="technical" defaultChecked={current === 'technical'} />
          Technical
        </label>
        <button type="submit" className="secondary" disabled={pending}>
          {pending ? 'Saving…' : 'Apply'}
        </button>
      </fieldset>
      {state.error && (
        <p className="error" role="alert">
          {state.error}
        </p>
      )}
      {state.ok && (
        <p role="status" className="muted">
          {state.ok}
        </p>
      )}
    </form>
  );
}
