// The staff's availability (SLA) definition (lib/monitoring/sla.ts), one row of the settings table.
// No 'server-only': the portal benchmark runs the VM page's queries outside Next (lib/vms/page-data.ts).
import { eq } from 'drizzle-orm';
import { DEFAULT_SLA_DEFINITION, SLA_SETTING_KEY, type SlaDefinition, slaDefinitionFromStored } from '../../monitoring/sla';
import type { Database } from '../connection';
import { settings } from '../schema';

export interface LoadedSlaDefinition {
  definition: SlaDefinition;
  source: 'default' | 'staff';
  updated: { at: Date; by: string | null } | null;
  /** A stored value that no longer validates (the default is used instead). */
  problem: string | null;
}

/** The definition in effect: the staff's, else the default. One primary-key read. */
export async function loadSlaDefinition(db: Database): Promise<LoadedSlaDefinition> {
  const [row] = await db.select().from(settings).where(eq(settings.key, SLA_SETTING_KEY)).limit(1);
  if (!row) return { definition: DEFAULT_SLA_DEFINITION, source: 'default', updated: null, problem: null };
  const { definition, problem } = slaDefinitionFromStored(row.value);
  return { definition, source: problem ? 'default' : 'staff', updated: { at: row.updatedAt, by: row.updatedBy }, problem };
}

/** Stores the definition; false when it was already in effect (nothing written). */
export async function saveSlaDefinition(db: Database, next: SlaDefinition, by: string): Promise<boolean> {
  const current = await loadSlaDefinition(db);
  if (current.source === 'staff' && JSON.stringify(current.definition) === JSON.stringify(next)) return false;
  const at = new Date();
  const value = { unknownIsDown: next.unknownIsDown, warningIsUp: next.warningIsUp };
  await db
    .insert(settings)
    .values({ key: SLA_SETTING_KEY, value, updatedAt: at, updatedBy: by.slice(0, 64) })
    .onDuplicateKeyUpdate({ set: { value, updatedAt: at, updatedBy: by.slice(0, 64) } });
  return true;
}
