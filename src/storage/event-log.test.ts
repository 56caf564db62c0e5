import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LocalRankErrorInfo } from '../core/errors';
import { interaction } from '../core/test-fixtures';
import { createEventLog } from './event-log';
import { openDatabase } from './open-database';
import { DB_VERSION } from './schema';

// Fast unit tests over fake-indexeddb; the real IndexedDB is exercised by the Playwright suites.
let errors: LocalRankErrorInfo[];
beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
  errors = [];
});
afterEach(() => {
  vi.restoreAllMocks();
});

const NOW = 1_800_000_000_000;
const make = (flushMs = 10_000) => createEventLog({ dbName: 'test', flushMs, onError: (e) => errors.push(e) });

describe('event log', () => {
  it('creates the schema with its indexes', async () => {
    const db = await openDatabase('schema-test');
    expect(db.version).toBe(DB_VERSION);
    expect([...db.objectStoreNames].sort()).toEqual(['counters', 'events', 'meta', 'models']);
    const tx = db.transaction('events');
    expect([...tx.store.indexNames].sort()).toEqual(['by-product', 'by-time', 'by-type', 'by-uid']);
    db.close();
  });

  it('writes a batch of appended events in one transaction and reads them back', async () => {
    const log = make();
    await log.read(); // open the database first so only the batch's transactions are counted
    const spy = vi.spyOn(IDBDatabase.prototype, 'transaction');
    for (let i = 0; i < 25; i++) log.append(interaction('impression', `p${i}`, NOW + i));
    expect(log.pendingCount()).toBe(25);
    await log.flush();
    const writes = spy.mock.calls.filter((c) => c[1] === 'readwrite');
    expect(writes).toHaveLength(1);
    const { events } = await log.read();
    expect(events.map((e) => e.productId)).toEqual(Array.from({ length: 25 }, (_, i) => `p${i}`));
    expect(events.every((e) => typeof e.id === 'number')).toBe(true);
    expect(log.pendingCount()).toBe(0);
    expect(log.mode()).toBe('indexeddb');
  });

  it('flushes by itself after the batch window', async () => {
    const log = make(5);
    log.append(interaction('click', 'a', NOW));
    expect(log.pendingCount()).toBe(1);
    await vi.waitFor(() => expect(log.pendingCount()).toBe(0));
    const stored = (await log.read()).events;
    expect(stored).toHaveLength(1);
    expect(stored[0]!.id).toBeTypeOf('number'); // it came from the store, not the queue
  });

  it('keeps a failed batch queued and retries it: no event is lost', async () => {
    const log = make();
    await log.read();
    const original = IDBObjectStore.prototype.add;
    let fail = true;
    vi.spyOn(IDBObjectStore.prototype, 'add').mockImplementation(function (this: IDBObjectStore, ...args) {
      if (fail) throw new DOMException('simulated quota', 'QuotaExceededError');
      return original.apply(this, args);
    });
    log.append(interaction('click', 'a', NOW));
    log.append(interaction('purchase', 'b', NOW + 1));
    await log.flush();
    expect(errors.map((e) => e.code)).toContain('LR_STORAGE_WRITE');
    expect(log.pendingCount()).toBe(2);
    fail = false;
    log.append(interaction('click', 'c', NOW + 2));
    await log.flush();
    const { events } = await log.read();
    expect(events.map((e) => e.productId)).toEqual(['a', 'b', 'c']);
  });

  it('re-queues batches that fail together in their order, as one failed attempt for the back-off', async () => {
    const log = make();
    log.append(interaction('click', 'a', NOW));
    await log.flush();
    // Later transactions abort instead of committing: the write fails asynchronously, as with a full quota.
    const original = IDBDatabase.prototype.transaction;
    let fail = true;
    vi.spyOn(IDBDatabase.prototype, 'transaction').mockImplementation(function (this: IDBDatabase, ...args: Parameters<IDBDatabase['transaction']>) {
      const tx = original.apply(this, args);
      if (fail) {
        tx.commit = () => {}; // committing would make it too late to abort
        queueMicrotask(() => tx.abort());
      }
      return tx;
    });
    const timers = vi.spyOn(globalThis, 'setTimeout');
    const retryDelays = (): unknown[] => timers.mock.calls.map((c) => c[1]).filter((ms) => typeof ms === 'number' && ms >= 1000 && ms !== 10_000);
    // Three clicks in one task: three transactions, written at once, failing together.
    const writes = ['b', 'c', 'd'].map((id, i) => {
      log.append(interaction('click', id, NOW + 1 + i));
      return log.flush();
    });
    await Promise.all(writes);
    expect(errors.filter((e) => e.code === 'LR_STORAGE_WRITE')).toHaveLength(3);
    expect(log.pendingCount()).toBe(3);
    await log.flush(); // the next attempt fails too: the back-off grows by one step, not three
    expect(retryDelays()).toEqual([1000, 2000]);
    fail = false;
    await log.flush();
    const { events } = await log.read();
    expect(events.map((e) => e.productId)).toEqual(['a', 'b', 'c', 'd']);
    expect(events.map((e) => e.id)).toEqual([...events.map((e) => e.id)].sort((x, y) => x! - y!));
  });

  it('clear() deletes events, counters and meta', async () => {
    const log = make();
    log.append(interaction('click', 'a', NOW));
    await log.setMeta('installedAt', NOW);
    await log.flush();
    await log.clear();
    expect((await log.read()).events).toEqual([]);
    expect(await log.getMeta('installedAt')).toBeUndefined();
  });

  it('answers reads from memory while another tab blocks the upgrade, then writes every waiting event once', async () => {
    // An older release holds schema v1 open and ignores `versionchange`.
    const old = await new Promise<IDBDatabase>((resolve) => {
      const req = indexedDB.open('test', 1);
      req.onupgradeneeded = () => {
        req.result.createObjectStore('events', { keyPath: 'id', autoIncrement: true });
        req.result.createObjectStore('counters', { keyPath: 'key' });
        req.result.createObjectStore('meta');
      };
      req.onsuccess = () => resolve(req.result);
    });
    const log = make();
    log.append(interaction('click', 'a', NOW));
    const flushed = log.flush();
    // The first read starts before the open is blocked; it must still answer (from memory), not wait for the tab.
    const { events } = await log.read();
    expect(events.map((e) => e.productId)).toEqual(['a']);
    expect(errors.map((e) => e.code)).toContain('LR_STORAGE_BLOCKED');
    expect(await log.database()).toBeUndefined();
    log.append(interaction('impression', 'b', NOW + 1));
    void log.flush();
    expect(log.pendingCount()).toBe(2);
    old.close();
    await flushed;
    await vi.waitFor(() => expect(log.pendingCount()).toBe(0));
    expect(log.mode()).toBe('indexeddb');
    const stored = (await log.read()).events;
    expect(stored.map((e) => e.productId).sort()).toEqual(['a', 'b']);
    expect(stored.every((e) => typeof e.id === 'number')).toBe(true);
  });

  it('falls back to memory when IndexedDB is missing, with an error event', async () => {
    // @ts-expect-error simulating a browser without IndexedDB
    delete globalThis.indexedDB;
    const log = make();
    log.append(interaction('click', 'a', NOW));
    await log.flush();
    expect(log.mode()).toBe('memory');
    expect(errors.map((e) => e.code)).toEqual(['LR_STORAGE_UNAVAILABLE']);
    expect((await log.read()).events.map((e) => e.productId)).toEqual(['a']);
  });

  it('gives every queued event a unique uid, and stores an event whose uid is already there only once', async () => {
    const log = createEventLog({ dbName: 'test', flushMs: 10_000, onError: (e) => errors.push(e), pageId: 'pg' });
    log.append(interaction('click', 'a', NOW));
    log.append(interaction('click', 'b', NOW + 1));
    await log.flush();
    // The same two again (as the exit journal would replay them) plus a new one, in one batch.
    const stored = (await log.read()).events;
    expect(stored.map((e) => e.uid)).toEqual(['pg.1', 'pg.2']);
    log.append(stored[0]!.uid ? { ...interaction('click', 'a', NOW), uid: 'pg.1' } : stored[0]!);
    log.append(interaction('click', 'c', NOW + 2));
    await log.flush();
    const after = (await log.read()).events;
    expect(after.map((e) => e.productId)).toEqual(['a', 'b', 'c']);
    expect(new Set(after.map((e) => e.uid)).size).toBe(3);
    expect(errors).toEqual([]);
    expect(log.pendingCount()).toBe(0);
  });
});
