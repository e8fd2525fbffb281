import { describe, expect, it } from 'vitest';
import { MAX_WINDOW_DAYS, parseMaintenance, windowPhase } from './maintenance';

const now = new Date('2026-03-28T12:00:00Z');
const problems = (r: ReturnType<typeof parseMaintenance>) => (r.ok ? [] : r.error);

describe('parseMaintenance', () => {
  it('minutes from now; a past start (a form left open) becomes now', () => {
    const r = parseMaintenance({ minutes: '90' }, 'UTC', now);
    expect(r).toEqual({ ok: true, value: { startsAt: now, endsAt: new Date('2026-03-28T13:30:00Z'), reason: null } });
    const stale = parseMaintenance({ startsAt: '2026-03-28T11:00:00Z', minutes: 30 }, 'UTC', now);
    expect(stale.ok && stale.value.startsAt).toEqual(now);
  });

  it('reads local times in the given zone, across the DST change', () => {
    // Europe/London goes from GMT to BST at 01:00 UTC on 29 March 2026.
    const r = parseMaintenance({ startsAt: '2026-03-29T00:30', endsAt: '2026-03-29T03:00' }, 'Europe/London', now);
    expect(r.ok && [r.value.startsAt.toISOString(), r.value.endsAt.toISOString()]).toEqual(['2026-03-29T00:30:00.000Z', '2026-03-29T02:00:00.000Z']);
  });

  it('cleans the reason: trimmed, control characters gone, empty is none', () => {
    expect(parseMaintenance({ minutes: 5, reason: '  disk\nswap\u0000 ' }, 'UTC', now)).toMatchObject({ ok: true, value: { reason: 'disk swap' } });
    expect(parseMaintenance({ minutes: 5, reason: '   ' }, 'UTC', now)).toMatchObject({ ok: true, value: { reason: null } });
  });

  it('lists every problem and accepts nothing ambiguous', () => {
    expect(problems(parseMaintenance({}, 'UTC', now))).toEqual(['Say when the window ends (endsAt, or minutes).']);
    expect(problems(parseMaintenance({ startsAt: 'soon', endsAt: 7, reason: 3 }, 'UTC', now))).toHaveLength(3);
    expect(problems(parseMaintenance({ minutes: 5, endsAt: '2026-03-28T13:00Z' }, 'UTC', now))[0]).toContain('not both');
    for (const minutes of [0, -5, 1.5, 'x', MAX_WINDOW_DAYS * 1440 + 1]) expect(problems(parseMaintenance({ minutes }, 'UTC', now)), String(minutes)).toHaveLength(1);
    expect(problems(parseMaintenance({ endsAt: '2026-03-28T11:59Z' }, 'UTC', now))[0]).toContain('already be over');
    expect(problems(parseMaintenance({ startsAt: '2026-03-29T10:00Z', endsAt: '2026-03-29T09:00Z' }, 'UTC', now))[0]).toContain('end after it starts');
    expect(problems(parseMaintenance({ endsAt: '2026-05-28T12:00Z' }, 'UTC', now))[0]).toContain(`at most ${MAX_WINDOW_DAYS} days`);
    expect(problems(parseMaintenance({ startsAt: '2027-06-01T00:00Z', minutes: 60 }, 'UTC', now))[0]).toContain('days ahead');
    expect(problems(parseMaintenance({ minutes: 5, reason: 'é'.repeat(256) }, 'UTC', now))).toHaveLength(1);
    expect(parseMaintenance({ minutes: 5, reason: 'é'.repeat(255) }, 'UTC', now).ok).toBe(true);
  });

  it('phases', () => {
    const w = { startsAt: new Date('2026-03-28T11:00Z'), endsAt: new Date('2026-03-28T12:00Z') };
    expect(windowPhase(w, now)).toBe('over');
    expect(windowPhase(w, new Date('2026-03-28T11:30Z'))).toBe('active');
    expect(windowPhase(w, new Date('2026-03-28T10:00Z'))).toBe('upcoming');
  });
});
