import { customerApiRoute } from '@/lib/api/handler';
import { deliveriesResponse } from '@/lib/api/alerts-json';

// GET /api/v1/alerts/deliveries?cursor&limit&ruleId — every decision about the account's alerts, newest
// first: sent (with the server's answer), failed, suppressed (and why), held, grouped, digested.
export const GET = customerApiRoute(async (request, user) => deliveriesResponse(request, user.accountId));
