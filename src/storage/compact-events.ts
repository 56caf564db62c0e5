import type { IDBPDatabase } from 'idb';
import type { Counter } from '../core/counter';
import { describeError } from '../core/describe-error';
import type { LocalRankErrorInfo } from '../core/errors';
import { ErrorCode } from '../core/errors';
import type { Interaction } from '../core/interaction';
import type { LocalRankSchema } from './schema';

/** Folds old events into counters; supplied by the caller because it needs the catalog. */
export type FoldFn = (existing: ReadonlyMap<string, Counter>, events: readonly Interaction[]) => Map<string, Counter>;

/**
 * When more than `maxEvents` events are stored, folds the oldest into counters and deletes them, in one transaction,
 * leaving 90 % of the cap. Lives in the runtime chunk, not the first script: only the runtime compacts (after a
 * write), and a memory-only log (no IndexedDB) lasts one page, so it is never compacted.
 * @returns how many events were compacted (0 after a failure, which is reported and leaves the log as it was)
 */
export async function compactEvents(
  database: IDBPDatabase<LocalRankSchema>,
  maxEvents: number,
  fold: FoldFn,
  onError: (error: LocalRankErrorInfo) => void,
): Promise<number> {
  const target = Math.floor(maxEvents * 0.9);
  try {
    const tx = database.transaction(['events', 'counters'], 'readwrite');
    const events = tx.objectStore('events');
    const count = await events.count();
    if (count <= maxEvents) {
      await tx.done;
      return 0;
    }
    const counterStore = tx.objectStore('counters');
    const existing = new Map((await counterStore.getAll()).map((c) => [c.key, c]));
    const old: Interaction[] = [];
    let cursor = await events.openCursor();
    while (cursor && old.length < count - target) {
      old.push(cursor.value);
      cursor = await cursor.continue();
    }
    for (const c of fold(existing, old).values()) void counterStore.put(c);
    const lastId = old[old.length - 1]?.id;
    if (lastId !== undefined) void events.delete(IDBKeyRange.upperBound(lastId));
    await tx.done;
    return old.length;
  } catch (error) {
    onError({ code: ErrorCode.StorageWrite, message: `Compaction failed (${describeError(error)}); the log is kept as is.`, recoverable: true });
    return 0;
  }
}
