import { NextResponse } from 'next/server';
import { customerApiRoute } from '@/lib/api/handler';
import { getDb } from '@/lib/db';
import { listContacts } from '@/lib/db/queries/alerts';
import { contactToJson } from '@/lib/api/alerts-json';

// GET /api/v1/alerts/contacts — where the account's alerts may go; only verified ones receive anything.
export const GET = customerApiRoute(async (_request, user) => {
  const contacts = await listContacts(getDb(), user.accountId);
  return NextResponse.json({ contacts: contacts.map(contactToJson) });
});
