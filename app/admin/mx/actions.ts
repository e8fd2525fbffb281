'use server';

import { revalidatePath } from 'next/cache';
import { requireStaff } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { GuideInputError } from '@/lib/guides/net-schemas';
import { ConfigError } from '@/lib/config/parse-env';
import { auditRelayRun } from '@/lib/mx/relay-audit';
import { runRelayChecks } from '@/lib/mx/relay-checks';
import { STATUS_LABELS } from '@/lib/net/relay-check';

export type RelayCheckState = { ok?: string; error?: string; openRelay?: boolean };

/** "Run the relay check now": every configured MX host, stored and audited. */
export async function runRelayCheckNow(_previous: RelayCheckState, _form: FormData): Promise<RelayCheckState> {
  const staff = await requireStaff();
  const db = getDb();
  let run;
  try {
    run = await runRelayChecks(db, staff.username);
  } catch (error) {
    if (error instanceof GuideInputError || error instanceof ConfigError) return { error: `The relay check could not start: ${error.message}` };
    throw error;
  }
  const openRelays = run.results.filter((r) => r.openRelay).map((r) => r.mxHost);
  await auditRelayRun(db, staff, run.results);
  revalidatePath('/admin/mx');
  revalidatePath('/admin');
  return {
    ok: `Checked ${run.results.map((r) => `${r.mxHost}: ${STATUS_LABELS[r.status]}`).join('; ')}.`,
    openRelay: openRelays.length > 0,
  };
}
