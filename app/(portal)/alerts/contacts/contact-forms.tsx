'use client';

import { useActionState, useState } from 'react';
import {
  type ContactFormState,
  addContactAction,
  removeContactAction,
  resendCodeAction,
  savePushAction,
  sendTestAction,
  verifyContactAction,
} from './actions';
import { useHydrated } from '@/app/_components/use-hydrated';

function Status({ state }: { state: ContactFormState }) {
  return (
    <>
      {state.error && (
        <span className="error" role="alert">
          {state.error}
        </span>
      )}
      {state.ok && <span role="status">{state.ok}</span>}
      {state.secret && (
        <p className="panel small">
          Signing secret (shown once, keep it): <code>{state.secret}</code>. Each delivery carries
          <code> X-Porthole-Signature: v1=HMAC-SHA256(secret, timestamp + &quot;.&quot; + body)</code>.
        </p>
      )}
    </>
  );
}

export function AddContactForm() {
  const [state, action, pending] = useActionState<ContactFormState, FormData>(addContactAction, {});
  return (
    <form action={action} className="inline-form" aria-label="Add a contact">
      <label className="choice">
        Kind
        <select name="kind" defaultValue="email">
          <option value="email">Email</option>
          <option value="sms">Text message (SMS)</option>
          <option value="webhook">Webhook</option>
        </select>
      </label>
      <label className="choice">
        Address, number or URL
        <input name="target" required autoComplete="off" placeholder="ops@example.com, +44 20 7946 0000 or https://…" />
      </label>
      <label className="choice">
        Name (optional)
        <input name="label" autoComplete="off" maxLength={128} />
      </label>
      <label className="choice">
        Webhook format
        <select name="preset" defaultValue="generic">
          <option value="generic">JSON (signed)</option>
          <option value="slack">Slack-compatible</option>
          <option value="ntfy">ntfy</option>
        </select>
      </label>
      <button type="submit" disabled={pending}>
        {pending ? 'Adding…' : 'Add contact'}
      </button>
      <Status state={state} />
    </form>
  );
}

export function VerifyForm({ id, label }: { id: number; label: string }) {
  const [state, action, pending] = useActionState<ContactFormState, FormData>(verifyContactAction, {});
  const [resendState, resend, resending] = useActionState<ContactFormState, FormData>(resendCodeAction, {});
  return (
    <div className="inline-form">
      <form action={action} className="inline-form">
        <input type="hidden" name="id" value={id} />
        <label className="choice">
          Code sent to {label}
          <input name="code" inputMode="numeric" pattern="\s*[0-9]{6}\s*" required autoComplete="one-time-code" size={8} />
        </label>
        <button type="submit" disabled={pending}>
          Verify
        </button>
      </form>
      <form action={resend}>
        <input type="hidden" name="id" value={id} />
        <button type="submit" className="secondary" disabled={resending}>
          Send a new code
        </button>
      </form>
      <Status state={state} />
      <Status state={resendState} />
    </div>
  );
}

export function SendTestForm({ id, label }: { id: number; label: string }) {
  const [state, action, pending] = useActionState<ContactFormState, FormData>(sendTestAction, {});
  return (
    <form action={action} className="inline-form">
      <input type="hidden" name="id" value={id} />
      <button type="submit" className="secondary" disabled={pending} aria-label={`Send a test to ${label}`}>
        {pending ? 'Sending…' : 'Send a test'}
      </button>
      <Status state={state} />
    </form>
  );
}

export function RemoveContactForm({ id, label }: { id: number; label: string }) {
  const [state, action, pending] = useActionState<ContactFormState, FormData>(removeContactAction, {});
  return (
    <form action={action} className="inline-form">
      <input type="hidden" name="id" value={id} />
      <button type="submit" className="secondary" disabled={pending} aria-label={`Remove ${label}`}>
        Remove
      </button>
      <Status state={state} />
    </form>
  );
}

function urlBase64ToUint8Array(base64: string): Uint8Array<ArrayBuffer> {
  const padded = (base64 + '='.repeat((4 - (base64.length % 4)) % 4)).replace(/-/g, '+').replace(/_/g, '/');
  const raw = atob(padded);
  const out = new Uint8Array(new ArrayBuffer(raw.length));
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return out;
}

/** Subscribes this browser (or the phone's home-screen app) to push notifications. */
export function PushSubscribeButton({ publicKey }: { publicKey: string | null }) {
  const hydrated = useHydrated();
  const [state, setState] = useState<ContactFormState>({});
  if (!publicKey) return <p className="small muted">Push notifications are not set up on this portal.</p>;
  // Subscribing needs the browser's push API: the button comes with the scripts.
  if (!hydrated) return null;
  const subscribe = async () => {
    try {
      if (!('serviceWorker' in navigator) || !('PushManager' in window)) {
        setState({ error: 'This browser has no push notifications. On an iPhone, add Porthole to the home screen first (iOS 16.4 or later).' });
        return;
      }
      const registration = await navigator.serviceWorker.register('/sw.js');
      const permission = await Notification.requestPermission();
      if (permission !== 'granted') {
        setState({ error: 'Notifications were not allowed. Allow them in the browser settings, then try again.' });
        return;
      }
      const subscription = await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: urlBase64ToUint8Array(publicKey) });
      setState(await savePushAction(subscription.toJSON(), navigator.userAgent.slice(0, 100)));
    } catch (error) {
      setState({ error: `Could not subscribe: ${(error as Error).message}` });
    }
  };
  return (
    <div className="inline-form">
      <button type="button" onClick={() => void subscribe()}>
        Get push notifications on this device
      </button>
      <Status state={state} />
    </div>
  );
}
