import type { IDBPDatabase } from 'idb';
import { unwrap } from 'idb';
import { describeError } from '../core/describe-error';
import type { LocalRankErrorInfo } from '../core/errors';
import { ErrorCode } from '../core/errors';
import type { Interaction } from '../core/interaction';
import { validateInteraction } from '../core/interaction';
import { addOnce } from './add-once';
import type { ExitJournal } from './create-exit-journal';
import type { LocalRankSchema } from './schema';

/** Most events an entry may hold (a page never has more unconfirmed; a larger entry is not LocalRank's). */
const MAX_EVENTS = 5000;
const MAX_UID = 64;

/** Re-checks an event read back from storage that any script of the origin could have written. */
function revive(raw: unknown): Interaction | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const uid = (raw as { uid?: unknown }).uid;
  if (typeof uid !== 'string' || !uid || uid.length > MAX_UID) return undefined;
  if (typeof (raw as { time?: unknown }).time !== 'number') return undefined;
  const checked = validateInteraction(raw, 0, 'unknown');
  return checked.ok ? { ...checked.event, uid } : undefined;
}

/**
 * Stores the events other pages left in the exit journal (see `createExitJournal`) — each at most once, thanks to the
 * unique `uid` index — then removes their entries. Unreadable entries are removed; invalid events in an entry are
 * dropped. Runs in the runtime chunk when a page starts, and when another tab saves an entry. Never throws: a failed
 * write keeps the entries for the next page.
 * @returns the events that were new (not already stored)
 */
export async function adoptLeftovers(
  database: IDBPDatabase<LocalRankSchema>,
  journal: ExitJournal,
  onError: (error: LocalRankErrorInfo) => void,
): Promise<Interaction[]> {
  const storage = journal.storage;
  if (!storage) return [];
  const entries: Array<{ key: string; events: Interaction[] }> = [];
  try {
    for (let i = 0; i < storage.length; i++) {
      const key = storage.key(i);
      if (!key?.startsWith(journal.prefix) || key === journal.ownKey) continue;
      let parsed: unknown;
      try {
        parsed = JSON.parse(storage.getItem(key) ?? 'null');
      } catch {
        parsed = undefined;
      }
      const events = Array.isArray(parsed) && parsed.length <= MAX_EVENTS ? parsed.map(revive).filter((e): e is Interaction => e !== undefined) : [];
      entries.push({ key, events });
    }
  } catch {
    return []; // storage became unusable
  }
  if (entries.length === 0) return [];
  try {
    const tx = unwrap(database).transaction('events', 'readwrite');
    // No commit(): some adds may meet events already stored, and Chromium aborts an explicitly committed
    // transaction with any failed request, cancelled or not. Auto-commit keeps the others.
    const stored = addOnce(tx.objectStore('events'), entries.flatMap((e) => e.events));
    await new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = tx.onabort = () => reject(tx.error);
    });
    for (const e of entries) journal.remove(e.key);
    return stored;
  } catch (error) {
    onError({ code: ErrorCode.StorageWrite, message: `Events other pages left are kept for later (${describeError(error)}).`, recoverable: true });
    return [];
  }
}
