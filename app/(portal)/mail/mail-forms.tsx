'use client';

import { useActionState } from 'react';
import { type MailFormState, addDomain, checkDomain, removeDomain } from './actions';

function Status({ state }: { state: MailFormState }) {
  return (
    <>
      {state.error && <span className="error" role="alert">{state.error}</span>}
      {state.ok && <span role="status">{state.ok}</span>}
    </>
  );
}

export function AddDomainForm() {
  const [state, action, pending] = useActionState<MailFormState, FormData>(addDomain, {});
  return (
    <form action={action} className="inline-form">
      <label className="choice">
        Mail domain
        <input name="domain" required placeholder="example.com" autoComplete="off" aria-describedby="domain-help" />
      </label>
      <button type="submit" disabled={pending}>
        {pending ? 'Adding…' : 'Add domain'}
      </button>
      <Status state={state} />
      <span id="domain-help" className="small muted" style={{ flexBasis: '100%' }}>
        Just the domain, like example.com: the part after the @ in your addresses.
      </span>
    </form>
  );
}

export function DomainActions({ id, domain }: { id: number; domain: string }) {
  const [checkState, check, checking] = useActionState<MailFormState, FormData>(checkDomain, {});
  const [removeState, remove, removing] = useActionState<MailFormState, FormData>(removeDomain, {});
  return (
    <div className="inline-form">
      <form action={check}>
        <input type="hidden" name="id" value={id} />
        <button type="submit" disabled={checking} aria-label={`Check ${domain} now`}>
          {checking ? 'Checking DNS…' : 'Check now'}
        </button>
      </form>
      <form
        action={remove}
        onSubmit={(e) => {
          if (!window.confirm(`Remove ${domain} and its check history?`)) e.preventDefault();
        }}
      >
        <input type="hidden" name="id" value={id} />
        <button type="submit" className="secondary" disabled={removing} aria-label={`Remove ${domain}`}>
          Remove
        </button>
      </form>
      <Status state={checkState} />
      <Status state={removeState} />
    </div>
  );
}
