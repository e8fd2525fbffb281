import { describe, expect, it } from 'vitest';
import { deleteInSteps } from './retention';

// deleteInSteps' sizing, with a fake table whose delete takes `msPerRow` per row (no database: pure).
function table(rows: number, msPerRow: (size: number) => number) {
  const sizes: number[] = [];
  let left = rows;
  const step = async (limit: number) => {
    sizes.push(limit);
    const found = Math.min(limit, left);
    left -= found;
    return { found, deleted: found, ms: found * msPerRow(limit) };
  };
  return { sizes, step, left: () => left };
}

describe('deleteInSteps', () => {
  it('grows fast batches up to the maximum and deletes everything', async () => {
    const t = table(20_000, () => 0.001);
    const result = await deleteInSteps('t', { max: 2_000, targetMs: 40 }, t.step);
    expect(result).toMatchObject({ table: 't', deleted: 20_000 });
    expect(t.left()).toBe(0);
    expect(t.sizes[0]).toBe(200);
    expect(Math.max(...t.sizes)).toBe(2_000);
    expect(result.batches).toBe(t.sizes.length);
  });

  it('shrinks batches whose delete takes longer than the target, so the longest stays near it', async () => {
    const t = table(5_000, () => 1); // 1 ms per row: 200 rows take 200 ms
    const result = await deleteInSteps('t', { max: 2_000, targetMs: 40 }, t.step);
    expect(t.left()).toBe(0);
    expect(t.sizes.slice(0, 4)).toEqual([200, 100, 50, 25]);
    // After the first slow ones, every delete is within twice the target (sizes of 25 or 37 rows).
    expect(Math.max(...t.sizes.slice(3))).toBeLessThanOrEqual(40);
    expect(result.longestMs).toBe(200);
  });

  it('stops at a short batch, and reports nothing done for an empty table', async () => {
    expect(await deleteInSteps('t', { max: 2_000, targetMs: 40 }, table(0, () => 0).step)).toEqual({ table: 't', deleted: 0, batches: 0, longestMs: 0 });
    const t = table(150, () => 0);
    expect(await deleteInSteps('t', { max: 2_000, targetMs: 40 }, t.step)).toMatchObject({ deleted: 150, batches: 1 });
    expect(t.sizes).toEqual([200]);
  });

  it('never goes below one row or above the maximum', async () => {
    const slow = table(600, () => 1_000);
    await deleteInSteps('t', { max: 2_000, targetMs: 40 }, slow.step);
    expect(Math.min(...slow.sizes)).toBe(1);
    const capped = table(10, () => 0);
    await deleteInSteps('t', { max: 3, targetMs: 40 }, capped.step);
    expect(capped.sizes.every((s) => s === 3)).toBe(true);
  });
});
