import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, describe, expect, it } from 'vitest';
import type { LocalRankErrorInfo } from '../core/errors';
import { interaction } from '../core/test-fixtures';
import { adoptLeftovers } from './adopt-leftovers';
import { createExitJournal } from './create-exit-journal';
import { createEventLog } from './event-log';
import { memoryStorage } from './memory-storage';

let errors: LocalRankErrorInfo[];
beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
  errors = [];
});
const NOW = 1_800_000_000_000;
const onError = (e: LocalRankErrorInfo): void => void errors.push(e);

describe('adoptLeftovers', () => {
  it("stores other pages' entries once and removes them; its own entry and other databases are left alone", async () => {
    const storage = memoryStorage();
    createExitJournal('test', 'gone', storage).save([
      { ...interaction('click', 'x', NOW), uid: 'gone.1' },
      { ...interaction('add-to-cart', 'x', NOW + 1), uid: 'gone.2' },
    ]);
    createExitJournal('elsewhere', 'z', storage).save([{ ...interaction('click', 'z', NOW), uid: 'z.1' }]);
    const journal = createExitJournal('test', 'me', storage);
    journal.save([{ ...interaction('click', 'mine', NOW), uid: 'me.1' }]);
    const log = createEventLog({ dbName: 'test', flushMs: 10_000, onError, pageId: 'me', journal });
    const database = (await log.database())!;
    const stored = await adoptLeftovers(database, journal, onError);
    expect(stored.map((e) => e.uid)).toEqual(['gone.1', 'gone.2']);
    expect((await log.read()).events.map((e) => e.type)).toEqual(['click', 'add-to-cart']);
    expect(storage.getItem('localrank:test:journal:gone')).toBeNull();
    expect(storage.getItem('localrank:test:journal:me')).not.toBeNull();
    expect(storage.getItem('localrank:elsewhere:journal:z')).not.toBeNull();
    expect(errors).toEqual([]);
  });

  it('what a page saved and also managed to write is stored once (the uid index), the rest is added', async () => {
    const storage = memoryStorage();
    const first = createEventLog({ dbName: 'test', flushMs: 10_000, onError, pageId: 'one', journal: createExitJournal('test', 'one', storage) });
    await first.read(); // open
    first.append(interaction('click', 'a', NOW));
    first.append(interaction('impression', 'b', NOW + 1));
    const writing = first.flush(); // in flight: not yet seen committed when the page leaves
    first.append(interaction('impression', 'c', NOW + 2)); // still queued
    first.leave(); // saves all three, and starts writing the third
    expect((JSON.parse(storage.getItem('localrank:test:journal:one')!) as Array<{ uid: string }>).map((e) => e.uid)).toEqual(['one.1', 'one.2', 'one.3']);
    await writing;
    await first.flush(); // here all three did reach the database after all
    const journal = createExitJournal('test', 'two', storage);
    const next = createEventLog({ dbName: 'test', flushMs: 10_000, onError, pageId: 'two', journal });
    expect(await adoptLeftovers((await next.database())!, journal, onError)).toEqual([]);
    expect(storage.length).toBe(0);
    expect((await next.read()).events.map((e) => e.productId)).toEqual(['a', 'b', 'c']);
    expect(errors).toEqual([]);
  });

  it('drops what it cannot trust: garbage entries go, invalid events are skipped', async () => {
    const storage = memoryStorage();
    storage.setItem('localrank:test:journal:junk', '{not json');
    storage.setItem('localrank:test:journal:obj', '{"a":1}');
    storage.setItem('localrank:test:journal:mixed', JSON.stringify([
      { ...interaction('click', 'm1', NOW), uid: 'm.1' },
      { type: 'click' },
      { ...interaction('click', 'm3', NOW), uid: 7 },
      { ...interaction('click', 'm4', NOW), type: 'hack', uid: 'm.4' },
      { ...interaction('click', 'm5', NOW), uid: 'x'.repeat(100) },
    ]));
    const journal = createExitJournal('test', 'me', storage);
    const log = createEventLog({ dbName: 'test', flushMs: 10_000, onError, journal });
    const stored = await adoptLeftovers((await log.database())!, journal, onError);
    expect(stored.map((e) => e.uid)).toEqual(['m.1']);
    expect(storage.length).toBe(0);
  });

  it('clear() (Clear my data) removes journal entries too', async () => {
    const storage = memoryStorage();
    createExitJournal('test', 'gone', storage).save([{ ...interaction('click', 'x', NOW), uid: 'gone.1' }]);
    const journal = createExitJournal('test', 'me', storage);
    const log = createEventLog({ dbName: 'test', flushMs: 10_000, onError, journal });
    await log.clear();
    expect(storage.length).toBe(0);
  });
});
