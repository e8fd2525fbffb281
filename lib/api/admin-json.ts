import 'server-only';
import { NextResponse } from 'next/server';
import type { PortalUser } from '../auth/current-user';
import { clientIp } from '../auth/client-ip';
import { env } from '../env';
import type { Result } from '../result';
import type { Staff } from '../admin/onboarding';
import { jsonError, notFound } from './handler';
import { readJson } from './request';

// What the staff onboarding API's handlers share: who is calling, the body, and the answers.

export const staffCaller = (request: Request, user: PortalUser): Staff => ({ id: user.id, username: user.username, ip: clientIp(request.headers, env().TRUSTED_PROXY_IPS) });

/** POST: 201 with the row, or 400 with every problem and nothing changed. */
export async function created<T>(request: Request, write: (body: unknown) => Promise<Result<number, string[]>>, read: (id: number) => Promise<T>, key: string): Promise<Response> {
  const body = await readJson(request);
  if (!body.ok) return jsonError(400, body.error);
  const saved = await write(body.value);
  if (!saved.ok) return NextResponse.json({ error: 'Nothing was created.', problems: saved.error }, { status: 400 });
  return NextResponse.json({ [key]: await read(saved.value) }, { status: 201 });
}

/** PATCH: 200 with the row, 404 for no such row, 400 with every problem and nothing changed. */
export async function patched<T>(request: Request, write: (body: unknown) => Promise<Result<number, string[]> | null>, read: (id: number) => Promise<T>, key: string): Promise<Response> {
  const body = await readJson(request);
  if (!body.ok) return jsonError(400, body.error);
  const saved = await write(body.value);
  if (saved === null) return notFound();
  if (!saved.ok) return NextResponse.json({ error: 'Nothing was changed.', problems: saved.error }, { status: 400 });
  return NextResponse.json({ [key]: await read(saved.value) });
}
