import { describe, expect, it } from 'vitest';
import { interaction } from '../core/test-fixtures';
import { createExitJournal } from './create-exit-journal';
import { memoryStorage } from './memory-storage';

const NOW = 1_800_000_000_000;
const ev = (uid: string, i: number) => ({ ...interaction('click', `p${i}`, NOW + i), uid });

describe('exit journal', () => {
  it("keeps a page's events for other pages, not for itself, and removes entries on request", () => {
    const storage = memoryStorage();
    const a = createExitJournal('db', 'pageA', storage);
    const b = createExitJournal('db', 'pageB', storage);
    expect(a.save([ev('pageA.1', 1), ev('pageA.2', 2)])).toBe(true);
    expect(a.leftovers()).toEqual([]);
    const found = b.leftovers();
    expect(found).toHaveLength(1);
    expect(found[0]!.events.map((e) => e.uid)).toEqual(['pageA.1', 'pageA.2']);
    expect(found[0]!.events[0]).toEqual(ev('pageA.1', 1));
    b.remove(found[0]!.key);
    expect(b.leftovers()).toEqual([]);
  });

  it('saving nothing, or discarding, drops the entry; another database is not touched', () => {
    const storage = memoryStorage();
    const a = createExitJournal('db', 'pageA', storage);
    const other = createExitJournal('other-db', 'pageC', storage);
    other.save([ev('pageC.1', 1)]);
    a.save([ev('pageA.1', 1)]);
    a.save([]);
    expect(createExitJournal('db', 'x', storage).leftovers()).toEqual([]);
    a.save([ev('pageA.1', 1)]);
    a.discard();
    expect(createExitJournal('db', 'x', storage).leftovers()).toEqual([]);
    a.save([ev('pageA.1', 1)]);
    a.clear();
    expect(createExitJournal('db', 'x', storage).leftovers()).toEqual([]);
    expect(createExitJournal('other-db', 'x', storage).leftovers()).toHaveLength(1);
  });

  it('drops what it cannot trust: garbage entries go, invalid events are skipped', () => {
    const storage = memoryStorage();
    storage.setItem('localrank:db:journal:junk', '{not json');
    storage.setItem('localrank:db:journal:obj', '{"a":1}');
    storage.setItem('localrank:db:journal:mixed', JSON.stringify([ev('m.1', 1), { type: 'click' }, { ...ev('m.3', 3), uid: 7 }, { ...ev('m.4', 4), type: 'hack' }]));
    const found = createExitJournal('db', 'me', storage).leftovers();
    expect(found.map((f) => [f.key, f.events.map((e) => e.uid)])).toEqual([['localrank:db:journal:mixed', ['m.1']]]);
    expect(storage.getItem('localrank:db:journal:junk')).toBeNull();
  });

  it('never throws: refused or missing storage answers false / empty', () => {
    const full = createExitJournal('db', 'p', memoryStorage(true));
    expect(full.save([ev('p.1', 1)])).toBe(false);
    const none = createExitJournal('db', 'p', undefined);
    expect(none.save([ev('p.1', 1)])).toBe(false);
    expect(none.leftovers()).toEqual([]);
    expect(() => none.clear()).not.toThrow();
  });
});
