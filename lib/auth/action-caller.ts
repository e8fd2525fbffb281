import 'server-only';
import { headers } from 'next/headers';
import type { Caller } from '../notify/rules';
import { clientIp } from './client-ip';
import type { CustomerUser } from './current-user';
import { env } from '../env';

/** Who a server action acts for, as the audit log records it (the address behind trusted proxies). */
export async function actionCaller(user: CustomerUser): Promise<Caller> {
  return { id: user.id, username: user.username, accountId: user.accountId, ip: clientIp(await headers(), env().TRUSTED_PROXY_IPS) };
}
