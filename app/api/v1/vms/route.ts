import { NextResponse } from 'next/server';
import { customerApiRoute } from '@/lib/api/handler';
import { getDb } from '@/lib/db';
import { listAccountVms } from '@/lib/db/queries/vms';
import { vmToJson } from '@/lib/vms/json';

export const GET = customerApiRoute(async (_request, user) => {
  const vms = await listAccountVms(getDb(), user.accountId);
  return NextResponse.json({ vms: vms.map(vmToJson) });
});
