import 'server-only';
import { NextResponse } from 'next/server';
import { authenticateApi } from '../auth/api-auth';
import { type CustomerUser, type PortalUser, isCustomer } from '../auth/current-user';
import { getDb } from '../db';
import type { OwnedVm } from '../db/queries/vms';
import { parseId } from '../vms/params';
import { viewableVm } from '../vms/viewer';

export const BASIC_CHALLENGE = 'Basic realm="Porthole", charset="UTF-8"';

export function jsonError(status: number, message: string, headers?: Record<string, string>) {
  return NextResponse.json({ error: message }, { status, headers: { 'Cache-Control': 'no-store', ...headers } });
}

export const notFound = () => jsonError(404, 'Not found.');

type Handler<U, P> = (request: Request, user: U, params: P) => Promise<Response>;

/** Wraps a /api/v1 route: authenticates (session or Basic), answers 401/429 JSON, never caches. */
export function apiRoute<P = Record<string, never>>(handler: Handler<PortalUser, P>) {
  return async (request: Request, context: { params: Promise<P> }): Promise<Response> => {
    const auth = await authenticateApi(request);
    if ('error' in auth) {
      return auth.error === 'throttled'
        ? jsonError(429, auth.message)
        : jsonError(401, auth.message, { 'WWW-Authenticate': BASIC_CHALLENGE });
    }
    const response = await handler(request, auth.user, await context.params);
    response.headers.set('Cache-Control', 'no-store');
    return response;
  };
}

/** As apiRoute, for data that belongs to an account: the caller must be a customer. */
export function customerApiRoute<P = Record<string, never>>(handler: Handler<CustomerUser, P>) {
  return apiRoute<P>(async (request, user, params) => {
    if (!isCustomer(user)) return jsonError(403, 'Your login has no customer account.');
    return handler(request, user, params);
  });
}

/** As apiRoute, for staff-only data: membership of the staff group (re-checked, see lib/auth/session.ts). */
export function staffApiRoute<P = Record<string, never>>(handler: Handler<PortalUser, P>) {
  return apiRoute<P>(async (request, user, params) => {
    if (!user.isStaff) return jsonError(403, 'Staff only.');
    return handler(request, user, params);
  });
}

/**
 * As apiRoute, for reading one VM (`/api/v1/vms/:id/…`): its customers, and staff, who read any VM as
 * its customer sees it. Another account's VM reads like a missing one (404).
 */
export function vmReadRoute<P extends { id: string }>(handler: (request: Request, user: PortalUser, vm: OwnedVm, params: P) => Promise<Response>) {
  return apiRoute<P>(async (request, user, params) => {
    const vmId = parseId(params.id);
    const view = vmId === null ? null : await viewableVm(getDb(), user, vmId);
    if (view === 'no-account') return jsonError(403, 'Your login has no customer account.');
    if (!view) return notFound();
    return handler(request, user, view.vm, params);
  });
}
