import { describe, expect, it } from 'vitest';
import { bulkInsert } from './bulk-insert';
import { deadLetters, perfRollups, perfSamples } from './schema';

describe('bulkInsert', () => {
  it('writes one escaped tuple per row, in the first row’s column order', () => {
    const at = new Date('2026-11-24T10:11:12.345Z');
    const text = bulkInsert(
      perfSamples,
      [
        { eventKey: 'k1', vmId: 7, hostname: "o'brien", service: 'Disk /', label: 'used', value: 1.5, unit: '%', warn: null, crit: undefined, sampledAt: at },
        { eventKey: 'k2', vmId: null, hostname: 'a\\b?', service: '', label: 'x"y', value: -2, unit: '', warn: 80, crit: undefined, sampledAt: at },
      ],
      'event_key = event_key',
    );
    expect(text).toBe(
      'INSERT INTO `perf_samples` (`event_key`,`vm_id`,`hostname`,`service`,`label`,`value`,`unit`,`warn`,`crit`,`sampled_at`) VALUES ' +
        "('k1',7,'o\\'brien','Disk /','used',1.5,'%',NULL,DEFAULT,'2026-11-24 10:11:12.345')," +
        "('k2',NULL,'a\\\\b?','','x\\\"y',-2,'',80,DEFAULT,'2026-11-24 10:11:12.345') " +
        'ON DUPLICATE KEY UPDATE event_key = event_key',
    );
  });

  it('maps JSON columns through the column, like drizzle', () => {
    const text = bulkInsert(
      deadLetters,
      [{ receivedAt: new Date(0), destination: '/queue/x', messageId: null, headers: { 'message-id': "id'1" }, body: '{', reason: 'bad' }],
      'message_id = message_id',
    );
    expect(text).toContain(`'{\\"message-id\\":\\"id\\'1\\"}'`);
  });

  it('writes every DATETIME column as drizzle maps it, the same instant alike in any column or statement', () => {
    const instants = [new Date('2026-11-24T10:11:12.345Z'), new Date('1970-01-01T00:00:00.000Z'), new Date('2099-12-31T23:59:59.999Z')];
    for (const at of instants) {
      const literal = `'${at.toISOString().replace('T', ' ').replace('Z', '')}'`;
      // Twice each, so the second comes from what the first remembered.
      for (let i = 0; i < 2; i++) {
        expect(bulkInsert(perfSamples, [{ eventKey: 'k', hostname: 'h', service: '', label: 'l', value: 1, unit: '', sampledAt: at }], 'x = x')).toContain(`,${literal})`);
        // perf_rollups.bucket_start is a DATETIME without fractions: drizzle still sends the milliseconds.
        expect(bulkInsert(perfRollups, [{ bucketStart: at } as never], 'x = x')).toContain(`(${literal})`);
      }
    }
    // An invalid date fails as drizzle's mapping does, and is not remembered.
    expect(() => bulkInsert(perfSamples, [{ eventKey: 'k', hostname: 'h', service: '', label: 'l', value: 1, unit: '', sampledAt: new Date(Number.NaN) }], 'x = x')).toThrow(RangeError);
  });

  it('refuses an empty batch and a column the table does not have', () => {
    expect(() => bulkInsert(perfSamples, [], 'x = x')).toThrow('at least one row');
    expect(() => bulkInsert(perfSamples, [{ nope: 1 } as never], 'x = x')).toThrow('perf_samples has no column nope');
  });
});
