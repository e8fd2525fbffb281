import type { Metadata } from 'next';
import { type WallboardSnapshot, sharedWallboard } from '@/lib/admin/wallboard';
import { requireStaff } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { Wallboard } from './wallboard';

export const metadata: Metadata = { title: 'Wallboard' };

/**
 * Every current problem of every VM, worst and newest first, for a screen on the wall: the first view
 * is rendered here (readable without JavaScript), then the board keeps itself current through
 * /api/v1/admin/wallboard. Both read the process's one snapshot, so boards cost the database one
 * query per interval however many are open.
 */
export default async function WallboardPage() {
  await requireStaff();
  let initial: WallboardSnapshot | null = null;
  try {
    initial = await sharedWallboard(getDb()).snapshot();
  } catch {
    // The board opens anyway and says it is retrying: a screen reloaded while the database is away
    // must come back by itself.
  }
  return <Wallboard initial={initial} serverNow={new Date().toISOString()} />;
}
