import { databaseErrorAction } from '../db/errors';

export interface Refused<T> {
  item: T;
  error: unknown;
}

/**
 * Writes `items` with `write` (one transaction per call). When the database refuses a write
 * because of what it holds (`databaseErrorAction` says `isolate`), the items are split in halves
 * and each half written on its own, down to single items: every item the database accepts is
 * written, and the ones it refuses alone are returned with the error. One bad message among 500
 * costs about 2·log2(500) = 18 extra transactions, once. An error to `retry` (outage, deadlock,
 * read-only) is thrown as it is, for the caller to write everything again later; halves already
 * written are then written again, which idempotent writes make harmless.
 */
export async function writeIsolating<T>(
  items: readonly T[],
  write: (items: readonly T[]) => Promise<void>,
  action: (error: unknown) => 'retry' | 'isolate' = databaseErrorAction,
): Promise<Refused<T>[]> {
  if (items.length === 0) return [];
  try {
    await write(items);
    return [];
  } catch (error) {
    if (action(error) === 'retry') throw error;
    if (items.length === 1) return [{ item: items[0]!, error }];
    const middle = Math.ceil(items.length / 2);
    const first = await writeIsolating(items.slice(0, middle), write, action);
    const second = await writeIsolating(items.slice(middle), write, action);
    return [...first, ...second];
  }
}
