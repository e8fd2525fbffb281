'use client';

import { useActionState } from 'react';
import { type OrderActionState, cancelOrderAction, resendOrderAction } from './actions';

const REASON_MAX = 500; // lib/plans/staff-orders.ts (not imported: it pulls the database into the client bundle)

/** Rendered for every row, so the answer stays in view after a cancel has ended the order (and hidden its forms). */
export function OrderActions({ orderId, open }: { orderId: number; open: boolean }) {
  const [cancelled, cancel, cancelling] = useActionState<OrderActionState, FormData>(cancelOrderAction, {});
  const [resent, resend, resending] = useActionState<OrderActionState, FormData>(resendOrderAction, {});
  if (!open) return cancelled.ok ? <span role="status">{cancelled.ok}</span> : <span className="muted">—</span>;
  return (
    <div style={{ display: 'grid', gap: '.4rem' }}>
      <form action={cancel} aria-label={`Cancel order ${orderId}`} style={{ display: 'flex', gap: '.4rem', flexWrap: 'wrap', alignItems: 'flex-end' }}>
        <input type="hidden" name="orderId" value={orderId} />
        <label>
          Reason
          <input name="reason" required maxLength={REASON_MAX} autoComplete="off" />
        </label>
        <button type="submit" className="secondary" disabled={cancelling}>
          Cancel order
        </button>
        {cancelled.error && <span className="error">{cancelled.error}</span>}
        {cancelled.ok && <span role="status">{cancelled.ok}</span>}
      </form>
      <form action={resend} aria-label={`Send order ${orderId} again`} style={{ display: 'flex', gap: '.4rem', flexWrap: 'wrap' }}>
        <input type="hidden" name="orderId" value={orderId} />
        <button type="submit" disabled={resending}>
          Send again
        </button>
        {resent.error && <span className="error">{resent.error}</span>}
        {resent.ok && <span role="status">{resent.ok}</span>}
      </form>
    </div>
  );
}
