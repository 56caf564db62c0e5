import type { Interaction } from '../core/interaction';

/**
 * A small synchronous journal in `localStorage` for the events a page has not seen committed when it leaves.
 *
 * Why: a page's last IndexedDB write often cannot finish. Chromium aborts a transaction whose document goes away
 * while the transaction still waits for its turn — and with several tabs of the shop open, another tab's write or
 * read of the log is often running at that moment. `localStorage` is written synchronously, so what a page saves in
 * `pagehide` survives it; the next LocalRank page (or another open tab, told by the `storage` event) writes the
 * events into IndexedDB (`adoptLeftovers`, in the runtime chunk). Every event carries a unique `uid` with a unique
 * index, so an event that did reach IndexedDB after all is not stored twice. Entries are data of this device only, deleted by "Clear my data".
 */
export interface ExitJournal {
  /** The key prefix of this database's entries (other tabs' `storage` events are matched against it). */
  readonly prefix: string;
  /** Saves this page's unconfirmed events, replacing what it saved before. False when storage refused (quota, disabled). */
  save(events: readonly Interaction[]): boolean;
  /** Removes this page's entry (it is alive again and will write its events itself). */
  discard(): void;
  /** This page's own key (its entry is never adopted by itself). */
  readonly ownKey: string;
  /** The storage behind the journal, when it can be used (read by `adoptLeftovers` in the runtime chunk). */
  readonly storage: Storage | undefined;
  /** Removes one entry. */
  remove(key: string): void;
  /** Removes every entry of this database (all pages). */
  clear(): void;
}

/** Keys of `storage` that start with `prefix`. */
function keysWith(storage: Storage, prefix: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < storage.length; i++) {
    const k = storage.key(i);
    if (k?.startsWith(prefix)) out.push(k);
  }
  return out;
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
    ownKey: own,
    storage,
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
