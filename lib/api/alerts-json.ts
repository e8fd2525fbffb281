import { NextResponse } from 'next/server';
import { getDb } from '../db';
import { DELIVERY_STATUSES, listDeliveries, type ContactRecord, type DeliveryRecord, type DeliveryStatus } from '../db/queries/alerts';
import { jsonError } from './handler';

// The alerts API's JSON shapes (/api/v1/alerts/*), one place for the customer's and staff's views.

/** A push endpoint is a capability URL: only its service's origin is shown. */
export function contactToJson(c: ContactRecord) {
  const target = c.kind === 'push' ? safeOrigin(c.target) : c.kind === 'alarm' ? null : c.target;
  return { id: c.id, kind: c.kind, label: c.label, target, verified: c.verified, createdAt: c.createdAt.toISOString() };
}

function safeOrigin(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

export function deliveryToJson(d: DeliveryRecord) {
  return {
    id: d.id,
    ruleId: d.ruleId,
    eventId: d.eventId,
    channel: d.channel,
    contact: d.contactId,
    status: d.status,
    reason: d.reason,
    detail: d.detail,
    response: d.response,
    attempts: d.attempts,
    subject: d.subject,
    vmId: d.vmId,
    service: d.service === '' ? null : d.service,
    state: d.state,
    carriedBy: d.carriedBy,
    at: d.at.toISOString(),
  };
}

const MAX_PAGE = 200;

export async function deliveriesResponse(request: Request, accountId: number | null): Promise<Response> {
  const params = new URL(request.url).searchParams;
  const cursor = params.get('cursor');
  const limitRaw = params.get('limit');
  const ruleRaw = params.get('ruleId');
  const whole = (v: string) => /^[1-9][0-9]{0,15}$/.test(v);
  if (cursor !== null && !whole(cursor)) return jsonError(400, 'cursor must be a nextCursor this API gave.');
  if (limitRaw !== null && (!whole(limitRaw) || Number(limitRaw) > MAX_PAGE)) return jsonError(400, `limit must be a whole number from 1 to ${MAX_PAGE}.`);
  if (ruleRaw !== null && !whole(ruleRaw)) return jsonError(400, 'ruleId must be a rule id.');
  const status = params.get('status');
  if (status !== null && !DELIVERY_STATUSES.includes(status as DeliveryStatus)) return jsonError(400, `status must be one of ${DELIVERY_STATUSES.join(', ')}.`);
  // Staff (accountId null) may narrow to one account; a customer's view is always their own.
  const forAccount = accountId === null ? params.get('accountId') : null;
  if (forAccount !== null && !whole(forAccount)) return jsonError(400, 'accountId must be an account id.');
  const limit = limitRaw === null ? 50 : Number(limitRaw);
  const rows = await listDeliveries(getDb(), {
    accountId,
    before: cursor === null ? undefined : Number(cursor),
    limit: limit + 1,
    ruleId: ruleRaw === null ? undefined : Number(ruleRaw),
    status: (status ?? undefined) as DeliveryStatus | undefined,
    forAccount: forAccount === null ? undefined : Number(forAccount),
  });
  const page = rows.slice(0, limit);
  return NextResponse.json({
    deliveries: page.map((d) => (accountId === null ? { ...deliveryToJson(d), accountId: d.accountId } : deliveryToJson(d))),
    nextCursor: rows.length > limit ? String(page[page.length - 1]!.id) : null,
  });
}
