import type { OrderStatus } from '../db/schema';

/** An order's status as customers read it. */
export const ORDER_WORDS: Record<OrderStatus, string> = {
  requested: 'Ordered: waiting to reach our provisioning system',
  sent: 'Ordered: with our provisioning system',
  accepted: 'Accepted: being carried out',
  completed: 'Done',
  failed: 'Could not be carried out',
  cancelled: 'Cancelled',
};
