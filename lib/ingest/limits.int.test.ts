import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { createDb } from '../db/connection';
import { WIRE_LIMITS } from '../monitoring/wire';

// The validation limits in lib/monitoring/wire.ts against the live schema (after the migrations):
// if a column shrinks, or a limit grows past its column, a message could pass validation and
// still be refused by the database. This test says which.
const { db, pool } = createDb(process.env.DATABASE_URL!, { connectionLimit: 1 });

afterAll(async () => {
  await pool.end();
});

interface ColumnInfo {
  table: string;
  column: string;
  type: string;
  chars: number | null;
  bytes: number | null;
  charset: string | null;
}

async function columns(): Promise<Map<string, ColumnInfo>> {
  const [rows] = (await db.execute(sql`
    SELECT TABLE_NAME AS \`table\`, COLUMN_NAME AS \`column\`, COLUMN_TYPE AS type, CHARACTER_MAXIMUM_LENGTH AS chars,
           CHARACTER_OCTET_LENGTH AS bytes, CHARACTER_SET_NAME AS charset
      FROM information_schema.COLUMNS
     WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN ('monitoring_events', 'service_states', 'perf_samples')`)) as unknown as [ColumnInfo[]];
  return new Map(rows.map((r) => [`${r.table}.${r.column}`, { ...r, chars: r.chars === null ? null : Number(r.chars), bytes: r.bytes === null ? null : Number(r.bytes) }]));
}

const INT_MAX: Record<string, number> = { 'smallint unsigned': 65_535, 'int unsigned': 4_294_967_295, smallint: 32_767, int: 2_147_483_647 };
const intMax = (type: string) => INT_MAX[type.replace(/\(\d+\)/, '')];

describe('validation limits match the columns the event is stored in', () => {
  it('identifiers: as many characters as the VARCHAR holds, in utf8mb4', async () => {
    const c = await columns();
    const varchars: Array<[string, number]> = [
      ['monitoring_events.hostname', WIRE_LIMITS.hostnameChars],
      ['service_states.hostname', WIRE_LIMITS.hostnameChars],
      ['perf_samples.hostname', WIRE_LIMITS.hostnameChars],
      ['monitoring_events.service', WIRE_LIMITS.serviceChars],
      ['service_states.service', WIRE_LIMITS.serviceChars],
      ['perf_samples.service', WIRE_LIMITS.serviceChars],
      ['monitoring_events.host_name', WIRE_LIMITS.hostNameChars],
      ['monitoring_events.source', WIRE_LIMITS.sourceChars],
      ['monitoring_events.event_id', WIRE_LIMITS.eventIdChars],
    ];
    for (const [name, limit] of varchars) {
      expect(c.get(name)?.chars, name).toBeGreaterThanOrEqual(limit);
      expect(c.get(name)?.charset, `${name} must hold 4-byte characters`).toBe('utf8mb4');
    }
  });

  it('text: at most as many bytes as the TEXT column holds', async () => {
    const c = await columns();
    const texts: Array<[string, number]> = [
      ['monitoring_events.output', WIRE_LIMITS.outputBytes],
      ['service_states.output', WIRE_LIMITS.outputBytes],
      ['monitoring_events.long_output', WIRE_LIMITS.longOutputBytes],
      ['monitoring_events.perfdata', WIRE_LIMITS.perfdataBytes],
      ['service_states.perfdata', WIRE_LIMITS.perfdataBytes],
    ];
    for (const [name, limit] of texts) {
      expect(c.get(name)?.bytes, name).toBeGreaterThanOrEqual(limit);
      expect(c.get(name)?.charset, name).toBe('utf8mb4');
    }
  });

  it('counters: the integer type’s own range', async () => {
    const c = await columns();
    for (const name of ['monitoring_events.attempt', 'monitoring_events.max_attempts', 'service_states.attempt', 'service_states.max_attempts']) {
      expect(intMax(c.get(name)!.type), name).toBe(WIRE_LIMITS.attemptMax);
    }
    expect(intMax(c.get('monitoring_events.state_duration_sec')!.type)).toBe(WIRE_LIMITS.stateTimeMax);
  });

  it('times: DATETIME, not TIMESTAMP (which ends in 2038)', async () => {
    const c = await columns();
    for (const name of ['monitoring_events.occurred_at', 'service_states.last_event_at', 'service_states.state_since', 'perf_samples.sampled_at']) {
      expect(c.get(name)?.type, name).toMatch(/^datetime/);
    }
  });

  it('JSON: the server accepts as many nesting levels as event.ts allows, and no more', async () => {
    const nested = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);
    const [[row]] = (await db.execute(sql`SELECT JSON_VALID(${nested(WIRE_LIMITS.extraDepth)}) AS atLimit, JSON_VALID(${nested(WIRE_LIMITS.extraDepth + 1)}) AS overLimit`)) as unknown as [[{ atLimit: number; overLimit: number }]];
    expect(row).toEqual({ atLimit: 1, overLimit: 0 });
  });
});
