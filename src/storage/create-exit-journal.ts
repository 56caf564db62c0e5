import type { Interaction } from '../core/interaction';
import { validateInteraction } from '../core/interaction';

/** One page's saved events, as found by another page. */
export interface JournalEntry {
  /** The storage key (pass it to {@link ExitJournal.remove} once the events are stored). */
  readonly key: string;
  readonly events: readonly Interaction[];
}

/**
 * A small synchronous journal in `localStorage` for the events a page has not seen committed when it leaves.
 *
 * Why: a page's last IndexedDB write often cannot finish. Chromium aborts a transaction whose document goes away
 * while the transaction still waits for its turn — and with several tabs of the shop open, another tab's write or
 * read of the log is often running at that moment. `localStorage` is written synchronously, so what a page saves in
 * `pagehide` survives it; the next LocalRank page (or another open tab, told by the `storage` event) writes the
 * events into IndexedDB. Every event carries a unique `uid` with a unique index, so an event that did reach
 * IndexedDB after all is not stored twice. Entries are data of this device only, deleted by "Clear my data".
 */
export interface ExitJournal {
  /** The key prefix of this database's entries (other tabs' `storage` events are matched against it). */
  readonly prefix: string;
  /** Saves this page's unconfirmed events, replacing what it saved before. False when storage refused (quota, disabled). */
  save(events: readonly Interaction[]): boolean;
  /** Removes this page's entry (it is alive again and will write its events itself). */
  discard(): void;
  /** Entries left by other pages. Unreadable entries are removed; invalid events in an entry are dropped. */
  leftovers(): JournalEntry[];
  /** Removes one entry. */
  remove(key: string): void;
  /** Removes every entry of this database (all pages). */
  clear(): void;
}

/** Most events an entry may hold (a page never has more unconfirmed; a larger entry is not LocalRank's). */
const MAX_EVENTS = 5000;
const MAX_UID = 64;

function keysWith(storage: Storage, prefix: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < storage.length; i++) {
    const k = storage.key(i);
    if (k?.startsWith(prefix)) out.push(k);
  }
  return out;
}

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
 * Creates the exit journal of one page.
 * @param dbName the LocalRank database the events belong to
 * @param pageId this page's unique id (the prefix of its events' `uid`s)
 * @param storage `localStorage`, or `undefined` when it cannot be used (then the journal does nothing)
 */
export function createExitJournal(dbName: string, pageId: string, storage: Storage | undefined): ExitJournal {
  const prefix = `localrank:${dbName}:journal:`;
  const own = prefix + pageId;
  const attempt = <T>(fn: (s: Storage) => T, fallback: T): T => {
    if (!storage) return fallback;
    try {
      return fn(storage);
    } catch {
      return fallback; // disabled storage, quota, a sandboxed frame
    }
  };
  return {
    prefix,
    save(events) {
      if (events.length === 0) {
        attempt((s) => s.removeItem(own), undefined);
        return true;
      }
      return attempt((s) => (s.setItem(own, JSON.stringify(events)), true), false);
    },
    discard() {
      attempt((s) => s.removeItem(own), undefined);
    },
    leftovers() {
      return attempt((s) => {
        const out: JournalEntry[] = [];
        for (const key of keysWith(s, prefix)) {
          if (key === own) continue;
          let parsed: unknown;
          try {
            parsed = JSON.parse(s.getItem(key) ?? 'null');
          } catch {
            parsed = undefined;
          }
          if (!Array.isArray(parsed) || parsed.length > MAX_EVENTS) {
            s.removeItem(key);
            continue;
          }
          const events = parsed.map(revive).filter((e): e is Interaction => e !== undefined);
          out.push({ key, events });
        }
        return out;
      }, []);
    },
    remove(key) {
      attempt((s) => s.removeItem(key), undefined);
    },
    clear() {
      attempt((s) => {
        for (const key of keysWith(s, prefix)) s.removeItem(key);
      }, undefined);
    },
  };
}
