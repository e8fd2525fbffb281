import type { OrderStatus } from '@/lib/db/queries/orders';
import { ORDER_WORDS } from '@/lib/plans/order-words';
import { LocalTime } from './local-time';

/** An order's status in words, when it was done, and why it failed or was cancelled (the VM's order lists). */
export function OrderStatusCell({ order }: { order: { status: OrderStatus; completedAt: Date | null; reason: string | null } }) {
  return (
    <>
      <strong>{ORDER_WORDS[order.status]}</strong>
      {order.completedAt ? (
        <div className="small muted">
          Done <LocalTime at={order.completedAt} />
        </div>
      ) : null}
      {order.reason ? <div className="small">{order.reason}</div> : null}
    </>
  );
}
