import { unwrap } from 'idb';
import type { IDBPDatabase } from 'idb';
import type { Counter } from '../core/counter';
import { createPageId } from '../core/create-page-id';
import { describeError } from '../core/describe-error';
import type { LocalRankErrorInfo } from '../core/errors';
import { ErrorCode } from '../core/errors';
import type { Interaction } from '../core/interaction';
import { addOnce } from './add-once';
import type { ExitJournal } from './create-exit-journal';
import type { LocalRankSchema } from './schema';
import { openDatabase } from './open-database';

/** Everything stored, as read back. */
export interface StoredState {
  /** Events, oldest first, including those still waiting to be written. */
  readonly events: readonly Interaction[];
  readonly counters: readonly Counter[];
}

/** Options of {@link createEventLog}. */
export interface EventLogOptions {
  /** Database name. */
  readonly dbName: string;
  /** Batch window: events appended within it are written in one transaction. */
  readonly flushMs: number;
  /** Runtime trouble (never thrown). */
  readonly onError: (error: LocalRankErrorInfo) => void;
  /** Called after a batch is durably stored (or kept in memory when IndexedDB is unavailable), with the events as appended (no `id`). */
  readonly onStored?: (events: readonly Interaction[]) => void;
  /** This page's unique id: the prefix of its events' `uid`s (and its journal entry). Random when absent. */
  readonly pageId?: string;
  /** Where `leave()` saves unconfirmed events, and where other pages' leftovers are found (none when absent). */
  readonly journal?: ExitJournal;
}

/** The batched, capped interaction log over IndexedDB, with an in-memory fallback. */
export interface EventLog {
  /** Queues an event; it is written with the next batch. Never throws. */
  append(event: Interaction): void;
  /**
   * Writes queued events now, in one transaction. Resolves when they and every write started before are stored
   * (or kept queued after a failure).
   */
  flush(): Promise<void>;
  /**
   * The page is leaving or being hidden: starts the write of what is queued (synchronously, when the database is
   * open) and saves every event not yet seen committed to the exit journal, synchronously — the page may be gone
   * before its transaction gets its turn. Never throws.
   */
  leave(): void;
  /** The page is visible again: it writes its own events, so its journal entry is dropped. */
  resume(): void;
  /** Reads all events and counters (queued events included). */
  read(): Promise<StoredState>;
  /** Deletes every event, counter, meta record and stored model (and queued events), in one transaction. */
  clear(): Promise<void>;
  /** Reads a meta record. */
  getMeta(key: string): Promise<unknown>;
  /** Writes a meta record. */
  setMeta(key: string, value: unknown): Promise<void>;
  /** `indexeddb` when events persist, `memory` when IndexedDB is unavailable. */
  mode(): 'indexeddb' | 'memory' | 'opening';
  /** Number of events queued and not yet written. */
  pendingCount(): number;
  /** The open database, when there is one (the model store shares it). */
  database(): Promise<IDBPDatabase<LocalRankSchema> | undefined>;
}

const RETRY_MIN_MS = 1000;
/**
 * Main-thread time a timed write spends adding events (ms); the rest of the queue goes in a transaction of the next
 * task. At 4× CPU throttling one `add()` costs ~1–2 ms, and a page's first impressions were one long task.
 */
const WRITE_BUDGET_MS = 8;
const RETRY_MAX_MS = 60_000;
/** How long `read()` waits for a blocked open before answering from memory. */
const BLOCKED_READ_MS = 1500;


/**
 * Creates the event log. The database opens lazily on first use. When IndexedDB is missing or cannot be
 * opened, events are kept in memory for the page's lifetime and an `LR_STORAGE_UNAVAILABLE` error is reported.
 * A failed write (quota, abort) keeps the batch queued and retries with back-off, so no event is lost while
 * the page lives.
 */
export function createEventLog(options: EventLogOptions): EventLog {
  const { dbName, flushMs, onError, onStored, journal } = options;
  const pageId = options.pageId ?? createPageId();
  let pending: Interaction[] = [];
  let memoryEvents: Interaction[] = [];
  const memoryMeta = new Map<string, unknown>();
  let memoryId = 0;
  let dbPromise: Promise<IDBPDatabase<LocalRankSchema> | undefined> | undefined;
  let mode: 'indexeddb' | 'memory' | 'opening' = 'opening';
  let blocked = false;
  /** Readers waiting to learn that the current open is blocked (see `dbOrMemory`). */
  const onBlockedWaiters = new Set<() => void>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let retryMs = RETRY_MIN_MS;
  /** The open connection, once there is one: lets `flush()` write without waiting a microtask. */
  let openDb: IDBPDatabase<LocalRankSchema> | undefined;
  const inflight = new Set<Promise<void>>();
  /** Batches handed to a transaction that has not completed yet (they go to the journal when the page leaves). */
  const unconfirmed = new Set<readonly Interaction[]>();
  /** Events of batches that failed once (see `write`). */
  const retried = new WeakSet<Interaction>();
  /** Append order of queued events, to keep it when failed batches are re-queued. */
  const order = new WeakMap<Interaction, number>();
  let appended = 0;

  function db(): Promise<IDBPDatabase<LocalRankSchema> | undefined> {
    if (mode === 'memory') return Promise.resolve(undefined);
    dbPromise ??= openDatabase(dbName, {
      onBlocked() {
        blocked = true;
        for (const wake of onBlockedWaiters) wake();
        onBlockedWaiters.clear();
        onError({
          code: ErrorCode.StorageBlocked,
          message: 'Another tab keeps an older LocalRank database open; events wait in memory until it closes.',
          recoverable: true,
        });
      },
      onBlocking() {
        dbPromise = undefined;
        openDb = undefined;
      },
      onTerminated() {
        dbPromise = undefined;
        openDb = undefined;
        onError({ code: ErrorCode.StorageTerminated, message: 'The browser closed the database; LocalRank reopens it.', recoverable: true });
      },
    }).then(
      (database) => {
        blocked = false;
        onBlockedWaiters.clear();
        mode = 'indexeddb';
        openDb = database;
        return database;
      },
      (error: unknown) => {
        mode = 'memory';
        dbPromise = undefined;
        onBlockedWaiters.clear();
        onError({
          code: ErrorCode.StorageUnavailable,
          message: `IndexedDB cannot be used (${describeError(error)}); events are kept in memory for this page only.`,
          recoverable: true,
        });
        return undefined;
      },
    );
    return dbPromise;
  }

  function schedule(delay: number): void {
    if (timer !== undefined) return;
    timer = setTimeout(() => {
      timer = undefined;
      void flush(WRITE_BUDGET_MS);
    }, delay);
  }

  /**
   * Writes the queued batch in one transaction. When the database is already open the transaction is created
   * and committed synchronously, inside the caller's task: a click that navigates away or a `pagehide` handler
   * leaves no time for another task, and Chromium aborts a transaction whose document is unloaded before its
   * commit is requested. `commit()` sends the commit with the requests instead of waiting for auto-commit.
   */
  function write(database: IDBPDatabase<LocalRankSchema>, budgetMs = Infinity): Promise<void> {
    let batch = pending;
    pending = [];
    const requeue = (error: unknown): void => {
      unconfirmed.delete(batch);
      for (const e of batch) retried.add(e);
      // Keep the batch (before anything appended meanwhile) and retry later: no event is lost while the page lives.
      // Batches failing together come back in any order: restore the order of append (auto-increment keys are
      // the log's insertion order, which compaction relies on).
      pending = batch.concat(pending).sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
      if (error instanceof DOMException && error.name === 'InvalidStateError') {
        openDb = undefined; // the connection was closed (versionchange, terminated): reopen on retry
        dbPromise = undefined;
      }
      onError({
        code: ErrorCode.StorageWrite,
        message: `Could not write ${batch.length} events (${describeError(error)}); they stay queued and are retried.`,
        recoverable: true,
      });
      // One back-off step per scheduled retry: the transactions of one burst that fail together (each click is
      // written at once) are one failed attempt, not many — otherwise a burst pushes the retry to the maximum.
      if (timer === undefined) {
        schedule(retryMs);
        retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
      }
    };
    // The raw IDBTransaction, not idb's wrapper: writes are on the page's main thread, and the wrapper's proxies and
    // per-request promises cost more than the transaction itself (see bench "tracking").
    let tx: IDBTransaction | undefined;
    try {
      tx = unwrap(database).transaction('events', 'readwrite');
      const store = tx.objectStore('events');
      // Within the budget, then the rest is queued again for a transaction in the next task (never on the way out:
      // flush() and leave() write everything).
      const until = performance.now() + budgetMs;
      const parts: Interaction[][] = [];
      let n = 0;
      do parts.push(addOnce(store, batch.slice(n, (n += 4))));
      while (n < batch.length && performance.now() < until);
      if (n < batch.length) {
        pending = batch.slice(n).concat(pending);
        batch = batch.slice(0, n);
        schedule(0);
      }
      unconfirmed.add(batch);
      // Chromium aborts a transaction with an explicit commit() when one of its requests failed, even a cancelled
      // one: a retried batch (which may meet its own events, adopted meanwhile from the journal) auto-commits.
      if (!batch.some((e) => retried.has(e))) tx.commit();
      // Handlers set after commit() still hear the outcome (events fire in a later task); a throw above leaves none.
      const t = tx;
      return new Promise<void>((resolve, reject) => {
        t.oncomplete = () => resolve();
        t.onerror = t.onabort = () => reject(t.error);
      }).then(() => {
        unconfirmed.delete(batch);
        retryMs = RETRY_MIN_MS;
        onStored?.(parts.flat());
      }, requeue);
    } catch (error) {
      try {
        tx?.abort();
      } catch {
        // already finished
      }
      requeue(error);
      return Promise.resolve();
    }
  }

  function flush(budgetMs?: number): Promise<void> {
    if (timer !== undefined) {
      clearTimeout(timer);
      timer = undefined;
    }
    if (pending.length === 0) return settled();
    const done = openDb
      ? write(openDb, budgetMs)
      : db().then((database) => {
          if (database) return write(database, budgetMs);
          const batch = pending;
          pending = [];
          for (const e of batch) memoryEvents.push({ ...e, id: ++memoryId });
          onStored?.(batch);
          return undefined;
        });
    inflight.add(done);
    void done.finally(() => inflight.delete(done));
    return settled();
  }

  function leave(): void {
    void flush();
    if (!journal || mode === 'memory') return; // without IndexedDB nothing outlives the page anyway
    const unsaved = [...unconfirmed].flat().concat(pending);
    if (!journal.save(unsaved)) {
      onError({ code: ErrorCode.StorageWrite, message: `localStorage refused ${unsaved.length} unsaved events.`, recoverable: true });
    }
  }

  /** Resolves when every write started so far has finished (stored or re-queued). */
  function settled(): Promise<void> {
    return Promise.allSettled([...inflight]).then(() => undefined);
  }

  /**
   * The database, or `undefined` (answer from memory) when its open is blocked by another tab and has not
   * succeeded within {@link BLOCKED_READ_MS} of the `blocked` event. The `blocked` event usually fires only after
   * the open has started, so readers that asked before it must be woken by it too: otherwise the first read of a
   * page waits until the other tab closes, and `LocalRank.ready` with it.
   */
  function dbOrMemory(): Promise<IDBPDatabase<LocalRankSchema> | undefined> {
    const open = db();
    if (mode === 'memory' || openDb) return open;
    const blockedGrace = new Promise<undefined>((resolve) => {
      const wake = (): void => void setTimeout(() => resolve(undefined), BLOCKED_READ_MS);
      if (blocked) wake();
      else onBlockedWaiters.add(wake);
    });
    return Promise.race([open, blockedGrace]);
  }

  return {
    append(input) {
      const event: Interaction = input.uid ? input : { ...input, uid: `${pageId}.${appended + 1}` };
      order.set(event, ++appended);
      pending.push(event);
      schedule(flushMs);
    },
    flush: () => flush(),
    leave,
    resume: () => journal?.discard(),
    async read() {
      const database = await dbOrMemory();
      if (!database) {
        return { events: memoryEvents.concat(pending), counters: [] }; // a memory-only log is never compacted
      }
      try {
        const tx = database.transaction(['events', 'counters'], 'readonly');
        const [events, counters] = await Promise.all([tx.objectStore('events').getAll(), tx.objectStore('counters').getAll()]);
        return { events: events.concat(pending), counters };
      } catch (error) {
        onError({ code: ErrorCode.StorageUnavailable, message: `Could not read events (${describeError(error)}).`, recoverable: true });
        return { events: pending.slice(), counters: [] };
      }
    },
    async clear() {
      pending = [];
      journal?.clear();
      memoryEvents = [];
      memoryMeta.clear();
      await settled();
      const database = await db();
      if (!database) return;
      const tx = database.transaction(['events', 'counters', 'meta', 'models'], 'readwrite');
      void tx.objectStore('events').clear();
      void tx.objectStore('counters').clear();
      void tx.objectStore('meta').clear();
      void tx.objectStore('models').clear();
      await tx.done;
    },
    async getMeta(key) {
      const database = await dbOrMemory();
      if (!database) return memoryMeta.get(key);
      return database.get('meta', key);
    },
    async setMeta(key, value) {
      const database = await db();
      if (!database) {
        memoryMeta.set(key, value);
        return;
      }
      await database.put('meta', value, key);
    },
    mode: () => mode,
    pendingCount: () => pending.length,
    database: dbOrMemory,
  };
}
