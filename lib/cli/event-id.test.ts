import { describe, expect, it } from 'vitest';
import { checkEventId, newEventId } from './event-id';

describe('event ids', () => {
  it('are unique per state-change event', () => {
    const ids = new Set(Array.from({ length: 1000 }, newEventId));
    expect(ids.size).toBe(1000);
  });

  it('are stable per check-result line and source', () => {
    const a = checkEventId('nagios1', 'line one');
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(checkEventId('nagios1', 'line one')).toBe(a);
    expect(checkEventId('nagios2', 'line one')).not.toBe(a);
    expect(checkEventId('nagios1', 'line two')).not.toBe(a);
  });
});
