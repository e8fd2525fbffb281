import { eq } from 'drizzle-orm';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SLA_DEFINITION, SLA_SETTING_KEY } from '../../monitoring/sla';
import { createDb } from '../connection';
import { settings } from '../schema';
import { loadSlaDefinition, saveSlaDefinition } from './sla-settings';

const { db, pool } = createDb(process.env.DATABASE_URL!, { connectionLimit: 2 });

// The row is global: start and end every test without it.
const clean = () => db.delete(settings).where(eq(settings.key, SLA_SETTING_KEY));
beforeEach(clean);
afterAll(async () => {
  await clean();
  await pool.end();
});

describe('the staff availability definition', () => {
  it('is the default until staff save one, then reads back what was saved', async () => {
    expect(await loadSlaDefinition(db)).toEqual({ definition: DEFAULT_SLA_DEFINITION, source: 'default', updated: null, problem: null });
    expect(await saveSlaDefinition(db, { unknownIsDown: true, warningIsUp: false }, 'staff-a')).toBe(true);
    const loaded = await loadSlaDefinition(db);
    expect(loaded).toMatchObject({ definition: { unknownIsDown: true, warningIsUp: false }, source: 'staff', problem: null });
    expect(loaded.updated?.by).toBe('staff-a');
    expect(await saveSlaDefinition(db, { unknownIsDown: true, warningIsUp: false }, 'staff-b')).toBe(false);
    expect((await loadSlaDefinition(db)).updated?.by).toBe('staff-a');
  });

  it('uses the default for a row edited by hand into something invalid, and says so', async () => {
    await db.insert(settings).values({ key: SLA_SETTING_KEY, value: { unknownIsDown: 'sometimes' }, updatedAt: new Date(), updatedBy: 'hand' });
    const loaded = await loadSlaDefinition(db);
    expect(loaded.definition).toEqual(DEFAULT_SLA_DEFINITION);
    expect(loaded.problem).toMatch(/invalid/);
  });
});
