import { describe, expect, it } from 'vitest';
import { writeIsolating } from './isolate';

const refusal = Object.assign(new Error('Out of range value'), { kind: 'isolate' });
const outage = Object.assign(new Error('connection lost'), { kind: 'retry' });
const action = (error: unknown) => (error as { kind: 'retry' | 'isolate' }).kind;

/** A writer that refuses any write holding a poison item, and records what it stored. */
function writer(poison: Set<number>) {
  const stored: number[] = [];
  let calls = 0;
  const write = async (items: readonly number[]) => {
    calls++;
    if (items.some((i) => poison.has(i))) throw refusal;
    stored.push(...items);
  };
  return { write, stored, calls: () => calls };
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('writeIsolating', () => {
  it('writes a good batch in one call', async () => {
    const w = writer(new Set());
    expect(await writeIsolating(range(500), w.write, action)).toEqual([]);
    expect(w.stored).toEqual(range(500));
    expect(w.calls()).toBe(1);
  });

  it.each([
    [1, [0]],
    [500, [0]],
    [500, [499]],
    [500, [250]],
    [500, [3, 4]],
    [500, [0, 137, 499]],
    [7, [0, 1, 2, 3, 4, 5, 6]],
  ])('of %i items with poison %j, stores all others and returns exactly the poison', async (n, poison) => {
    const w = writer(new Set(poison));
    const refused = await writeIsolating(range(n), w.write, action);
    expect(refused.map((r) => r.item)).toEqual(poison);
    expect(refused.every((r) => r.error === refusal)).toBe(true);
    expect(w.stored.sort((a, b) => a - b)).toEqual(range(n).filter((i) => !poison.includes(i)));
  });

  it('costs about 2·log2(n) writes for one poison item', async () => {
    const w = writer(new Set([321]));
    await writeIsolating(range(500), w.write, action);
    expect(w.calls()).toBeLessThanOrEqual(1 + 2 * Math.ceil(Math.log2(500)));
  });

  it('throws a retry error at once, without splitting', async () => {
    let calls = 0;
    const write = async () => {
      calls++;
      throw outage;
    };
    await expect(writeIsolating(range(500), write, action)).rejects.toBe(outage);
    expect(calls).toBe(1);
  });

  it('throws a retry error that comes while splitting (the caller writes everything again)', async () => {
    let calls = 0;
    const write = async (_items: readonly number[]) => {
      calls++;
      if (calls === 1) throw refusal;
      throw outage;
    };
    await expect(writeIsolating(range(10), write, action)).rejects.toBe(outage);
  });

  it('uses the database classification by default', async () => {
    const serverRefusal = Object.assign(new Error('Data too long'), { errno: 1406, code: 'ER_DATA_TOO_LONG', sqlState: '22001' });
    const refused = await writeIsolating([1], async () => {
      throw serverRefusal;
    });
    expect(refused).toEqual([{ item: 1, error: serverRefusal }]);
    await expect(writeIsolating([1], async () => Promise.reject(Object.assign(new Error('lost'), { code: 'PROTOCOL_CONNECTION_LOST', fatal: true })))).rejects.toThrow('lost');
  });
});
