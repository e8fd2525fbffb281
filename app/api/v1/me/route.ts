import { NextResponse } from 'next/server';
import { apiRoute } from '@/lib/api/handler';

export const GET = apiRoute(async (_request, user) =>
  NextResponse.json({
    username: user.username,
    displayName: user.displayName,
    staff: user.isStaff,
    account: user.accountId === null ? null : { id: user.accountId, name: user.accountName },
  }),
);
