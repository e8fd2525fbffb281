import { staffApiRoute } from '@/lib/api/handler';
import { deliveriesResponse } from '@/lib/api/alerts-json';

// GET /api/v1/admin/alerts/deliveries — the delivery log of every account (staff only).
export const GET = staffApiRoute(async (request) => deliveriesResponse(request, null));
