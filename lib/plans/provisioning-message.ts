import { z } from 'zod';
import type { OrderStatus } from '../db/schema';

// The wire contract with the host's provisioning system (README, "Upgrades and the provisioning
// contract"). Requests go to PROVISIONING_QUEUE (/queue/portal.provisioning), persistent, JSON; replies
// come back on PROVISIONING_REPLY_QUEUE (/queue/portal.provisioning.replies). Pure: the worker, the
// demo's stand-in and the tests share it.

export const REQUEST_TYPE = 'porthole.plan-change';
/**
 * A rebuild has a type of its own, so that a receiver written before rebuilds existed, which knows only
 * plan changes, cannot mistake one for a plan change to the same plan and answer "completed".
 */
export const REBUILD_REQUEST_TYPE = 'porthole.rebuild';
export const REQUEST_VERSION = 1;

export interface PlanSpec {
  id: number;
  slug: string;
  name: string;
  vcpus: number;
  memoryMb: number;
  diskGb: number;
  transferGb: number;
  priceMinor: number;
}

interface RequestCommon {
  version: typeof REQUEST_VERSION;
  orderId: number;
  /** The same for every send of this order: a receiver drops a second copy by it. */
  idempotencyKey: string;
  vm: { id: number; nagiosHostName: string; hostname: string; address: string };
  fromPlan: PlanSpec;
  toPlan: PlanSpec;
  /** Prorated for the rest of the billing period, in minor units (cents); negative is a credit. */
  amountMinor: number;
  currency: string;
  requestedBy: string;
  requestedAt: string;
}

/** A plan change: the VM moves from one plan to another (`kind` was added later; receivers may ignore it). */
export interface PlanChangeRequest extends RequestCommon {
  type: typeof REQUEST_TYPE;
  kind: 'upgrade';
}

/**
 * A rebuild: the VM's disk is replaced with a fresh image of `ubuntuRelease` (its data is gone); plan and
 * price stay (`fromPlan` and `toPlan` are the VM's plan, `amountMinor` 0).
 */
export interface RebuildRequest extends RequestCommon {
  type: typeof REBUILD_REQUEST_TYPE;
  kind: 'rebuild';
  /** The release to install, as the release table writes it: "24.04". */
  ubuntuRelease: string;
  /** The release the VM has now, for the record. */
  fromRelease: string;
}

export type ProvisioningRequest = PlanChangeRequest | RebuildRequest;

const when = z.string().datetime({ offset: true }).max(40);

export const replySchema = z
  .object({
    orderId: z.number().int().positive().max(2_147_483_647),
    status: z.enum(['accepted', 'completed', 'failed']),
    /** Why it failed (shown to the customer and staff); optional otherwise. */
    reason: z.string().max(1024).optional(),
    at: when.optional(),
    idempotencyKey: z.string().max(64).optional(),
  })
  .strict();

export type ProvisioningReply = z.infer<typeof replySchema>;

export function parseReply(body: string): { ok: true; value: ProvisioningReply } | { ok: false; error: string } {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { ok: false, error: 'The reply is not JSON.' };
  }
  const parsed = replySchema.safeParse(json);
  if (!parsed.success) return { ok: false, error: `The reply does not match the contract: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}` };
  return { ok: true, value: parsed.data };
}

export type Transition =
  | { change: true; status: OrderStatus; reason: string | null }
  | { change: false; why: 'duplicate' | 'stale' | 'conflict'; detail: string };

const OPEN: ReadonlySet<OrderStatus> = new Set(['requested', 'sent', 'accepted']);

/**
 * What a reply does to an order: forward moves only. A reply that repeats the current state is a
 * duplicate (nothing changes twice); an "accepted" after the order completed or failed is stale (replies
 * may overtake each other); any reply to an order that ended otherwise (cancelled by staff, failed then
 * "completed") is a conflict, for staff to look at.
 */
export function transition(current: OrderStatus, reply: Pick<ProvisioningReply, 'status' | 'reason'>): Transition {
  if (current === reply.status) return { change: false, why: 'duplicate', detail: `The order is already ${current}.` };
  if (OPEN.has(current)) {
    if (reply.status === 'accepted' && current === 'accepted') return { change: false, why: 'duplicate', detail: 'Already accepted.' };
    return { change: true, status: reply.status, reason: reply.status === 'failed' ? (reply.reason?.trim() || 'The provisioning system gave no reason.') : null };
  }
  if (reply.status === 'accepted' && (current === 'completed' || current === 'failed')) return { change: false, why: 'stale', detail: `An "accepted" arrived after the order was ${current}.` };
  return { change: false, why: 'conflict', detail: `A "${reply.status}" reply arrived for an order that is ${current}.` };
}

export const isOpen = (status: OrderStatus) => OPEN.has(status);
