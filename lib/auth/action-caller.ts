import 'server-only';
import { headers } from 'next/headers';
import type { Staff } from '../admin/onboarding';
import type { Caller } from '../notify/rules';
import { clientIp } from './client-ip';
import type { CustomerUser, PortalUser } from './current-user';
import { env } from '../env';

/** Who a server action acts for, as the audit log records it (the address behind trusted proxies). */
export async function actionCaller(user: CustomerUser): Promise<Caller> {
  return { id: user.id, username: user.username, accountId: user.accountId, ip: clientIp(await headers(), env().TRUSTED_PROXY_IPS) };
}

/** The same for a staff action. */
export async function staffActor(user: PortalUser): Promise<Staff> {
  return { id: user.id, username: user.username, ip: clientIp(await headers(), env().TRUSTED_PROXY_IPS) };
}
