import { openDB } from 'idb';
import type { IDBPDatabase } from 'idb';
import type { LocalRankSchema } from './schema';
import { DB_VERSION, migrate } from './schema';

/** Connection lifecycle callbacks (see https://github.com/jakearchibald/idb#opendb). */
export interface OpenDatabaseHooks {
  /** Another tab holds an older version open and does not close it; the open waits. */
  onBlocked?: () => void;
  /** This connection blocks another tab's upgrade; it has already been closed when this runs. */
  onBlocking?: () => void;
  /** The browser closed the connection abnormally (storage cleared, disk error). */
  onTerminated?: () => void;
}

/**
 * Opens (creating or migrating) the LocalRank database. Rejects when IndexedDB is missing or the open fails;
 * callers fall back to memory. On `blocking` the connection closes itself so the other tab can upgrade.
 * @param name database name (config `dbName`)
 */
export async function openDatabase(name: string, hooks: OpenDatabaseHooks = {}): Promise<IDBPDatabase<LocalRankSchema>> {
  if (typeof indexedDB === 'undefined' || indexedDB === null) throw new Error('IndexedDB is not available');
  const db = await openDB<LocalRankSchema>(name, DB_VERSION, {
    upgrade(database, oldVersion, newVersion, tx) {
      migrate(database, oldVersion, newVersion ?? DB_VERSION, tx);
    },
    blocked() {
      hooks.onBlocked?.();
    },
    blocking() {
      db.close();
      hooks.onBlocking?.();
    },
    terminated() {
      hooks.onTerminated?.();
    },
  });
  return db;
}
