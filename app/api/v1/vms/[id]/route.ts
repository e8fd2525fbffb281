import { NextResponse } from 'next/server';
import { customerApiRoute, notFound } from '@/lib/api/handler';
import { getDb } from '@/lib/db';
import { getAccountVm, parseId, vmToJson } from '@/lib/vms/queries';

export const GET = customerApiRoute<{ id: string }>(async (_request, user, { id }) => {
  const vmId = parseId(id);
  const vm = vmId === null ? null : await getAccountVm(getDb(), user.accountId, vmId);
  return vm ? NextResponse.json({ vm: vmToJson(vm) }) : notFound();
});
