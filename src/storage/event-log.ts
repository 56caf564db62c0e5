import { unwrap } from 'idb';
import type { IDBPDatabase } from 'idb';
import type { Counter } from '../core/counter';
import type { LocalRankErrorInfo } from '../core/errors';
import { ErrorCode } from '../core/errors';
import type { Interaction } from '../core/interaction';
import type { LocalRankSchema } from './schema';
import { openDatabase } from './open-database';

/** Everything stored, as read back. */
export interface StoredState {
  /** Events, oldest first, including those still waiting to be written. */
  readonly events: readonly Interaction[];
  readonly counters: readonly Counter[];
}

/** Folds old events into counters; supplied by the caller because it needs the catalog. */
export type FoldFn = (existing: ReadonlyMap<string, Counter>, events: readonly Interaction[]) => Map<string, Counter>;

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
}

/** The batched, capped interaction log over IndexedDB, with an in-memory fallback. */
export interface EventLog {
  /** Queues an event; it is written with the next batch. Never throws. */
  append(event: Interaction): void;
  /** Writes queued events now, in one transaction. Resolves when stored (or kept queued after a failure). */
  flush(): Promise<void>;
  /** Reads all events and counters (queued events included). */
  read(): Promise<StoredState>;
  /**
   * When more than `maxEvents` events are stored, folds the oldest into counters and deletes them, in one
   * transaction, leaving 90 % of the cap. Returns how many events were compacted.
   */
  compact(maxEvents: number, fold: FoldFn): Promise<number>;
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
const RETRY_MAX_MS = 60_000;
/** How long `read()` waits for a blocked open before answering from memory. */
const BLOCKED_READ_MS = 1500;

function describe(error: unknown): string {
  if (error instanceof DOMException || error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

/**
 * Creates the event log. The database opens lazily on first use. When IndexedDB is missing or cannot be
 * opened, events are kept in memory for the page's lifetime and an `LR_STORAGE_UNAVAILABLE` error is reported.
 * A failed write (quota, abort) keeps the batch queued and retries with back-off, so no event is lost while
 * the page lives.
 */
export function createEventLog(options: EventLogOptions): EventLog {
  const { dbName, flushMs, onError, onStored } = options;
  let pending: Interaction[] = [];
  let memoryEvents: Interaction[] = [];
  let memoryCounters = new Map<string, Counter>();
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
          message: `IndexedDB cannot be used (${describe(error)}); events are kept in memory for this page only.`,
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
      void flush();
    }, delay);
  }

  /**
   * Writes the queued batch in one transaction. When the database is already open the transaction is created
   * and committed synchronously, inside the caller's task: a click that navigates away or a `pagehide` handler
   * leaves no time for another task, and Chromium aborts a transaction whose document is unloaded before its
   * commit is requested. `commit()` sends the commit with the requests instead of waiting for auto-commit.
   */
  function write(database: IDBPDatabase<LocalRankSchema>): Promise<void> {
    const batch = pending;
    pending = [];
    const requeue = (error: unknown): void => {
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
        message: `Could not write ${batch.length} events (${describe(error)}); they stay queued and are retried.`,
        recoverable: true,
      });
      // One back-off step per scheduled retry: the transactions of one burst that fail together (each click is
      // written at once) are one failed attempt, not many — otherwise a burst pushes the retry to the maximum.
      if (timer === undefined) {
        schedule(retryMs);
        retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
      }
    };
    // The raw IDBTransaction, not idb's wrapper: a write per action event is on the caller's critical path, and the
    // wrapper's proxies and per-request promises cost more than the transaction itself (see bench "tracking").
    let tx: IDBTransaction | undefined;
    try {
      tx = unwrap(database).transaction('events', 'readwrite');
      const store = tx.objectStore('events');
      for (const e of batch) store.add(e);
      tx.commit();
      // Handlers set after commit() still hear the outcome (events fire in a later task); a throw above leaves none.
      const t = tx;
      return new Promise<void>((resolve, reject) => {
        t.oncomplete = () => resolve();
        t.onerror = t.onabort = () => reject(t.error);
      }).then(() => {
        retryMs = RETRY_MIN_MS;
        onStored?.(batch);
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

  function flush(): Promise<void> {
    if (timer !== undefined) {
      clearTimeout(timer);
      timer = undefined;
    }
    if (pending.length === 0) return Promise.resolve();
    const done = openDb
      ? write(openDb)
      : db().then((database) => {
          if (database) return write(database);
          const batch = pending;
          pending = [];
          for (const e of batch) memoryEvents.push({ ...e, id: ++memoryId });
          onStored?.(batch);
          return undefined;
        });
    inflight.add(done);
    void done.finally(() => inflight.delete(done));
    return done;
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
    append(event) {
      order.set(event, ++appended);
      pending.push(event);
      schedule(flushMs);
    },
    flush,
    async read() {
      const database = await dbOrMemory();
      if (!database) {
        return { events: memoryEvents.concat(pending), counters: [...memoryCounters.values()] };
      }
      try {
        const tx = database.transaction(['events', 'counters'], 'readonly');
        const [events, counters] = await Promise.all([tx.objectStore('events').getAll(), tx.objectStore('counters').getAll()]);
        return { events: events.concat(pending), counters };
      } catch (error) {
        onError({ code: ErrorCode.StorageUnavailable, message: `Could not read events (${describe(error)}).`, recoverable: true });
        return { events: pending.slice(), counters: [] };
      }
    },
    async compact(maxEvents, fold) {
      await settled();
      const target = Math.floor(maxEvents * 0.9);
      const database = await db();
      if (!database) {
        if (memoryEvents.length <= maxEvents) return 0;
        const old = memoryEvents.splice(0, memoryEvents.length - target);
        for (const [k, c] of fold(memoryCounters, old)) memoryCounters.set(k, c);
        return old.length;
      }
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
        onError({ code: ErrorCode.StorageWrite, message: `Compaction failed (${describe(error)}); the log is kept as is.`, recoverable: true });
        return 0;
      }
    },
    async clear() {
      pending = [];
      memoryEvents = [];
      memoryCounters = new Map();
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
