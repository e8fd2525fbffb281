import type { OrderKind, OrderStatus } from '../db/schema';

/** An order's status as customers read it. */
export const ORDER_WORDS: Record<OrderStatus, string> = {
  requested: 'Ordered: waiting to reach our provisioning system',
  sent: 'Ordered: with our provisioning system',
  accepted: 'Accepted: being carried out',
  completed: 'Done',
  failed: 'Could not be carried out',
  cancelled: 'Cancelled',
};

/** What an order changes, as one line: "Small → Medium", or "Rebuild on Ubuntu 24.04". */
export function orderChangeWords(
  order: { kind: OrderKind; targetRelease: string | null; fromPlanId: number; toPlanId: number },
  planName: (id: number) => string | null | undefined,
): string {
  if (order.kind === 'rebuild') return `Rebuild on Ubuntu ${order.targetRelease ?? '(release not recorded)'}`;
  return `${planName(order.fromPlanId) ?? `plan ${order.fromPlanId}`} → ${planName(order.toPlanId) ?? `plan ${order.toPlanId}`}`;
}
