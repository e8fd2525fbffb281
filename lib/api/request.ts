import { clientIp } from '@/lib/auth/client-ip';
import type { CustomerUser } from '@/lib/auth/current-user';
import { env } from '@/lib/env';
import type { Caller } from '@/lib/notify/rules';
import { fail, ok, type Result } from '@/lib/result';

// What the API's write handlers share: the JSON body, and who is calling for the audit log.

/** A JSON body of at most 64 KiB, or a sentence saying what is wrong with it. */
export async function readJson(request: Request): Promise<Result<unknown>> {
  if (!(request.headers.get('content-type') ?? '').toLowerCase().startsWith('application/json')) return fail('Send the body as application/json.');
  const text = await request.text();
  if (text.length > 65_536) return fail('The body is larger than 64 KiB.');
  try {
    return ok(JSON.parse(text) as unknown);
  } catch {
    return fail('The body is not valid JSON.');
  }
}

export function apiCaller(request: Request, user: CustomerUser): Caller {
  return { id: user.id, username: user.username, accountId: user.accountId, ip: clientIp(request.headers, env().TRUSTED_PROXY_IPS) };
}
