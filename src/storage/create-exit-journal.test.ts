import { describe, expect, it } from 'vitest';
import { interaction } from '../core/test-fixtures';
import { createExitJournal } from './create-exit-journal';
import { memoryStorage } from './memory-storage';

const NOW = 1_800_000_000_000;
const ev = (uid: string, i: number) => ({ ...interaction('click', `p${i}`, NOW + i), uid });
const entries = (s: Storage): Record<string, unknown> =>
  Object.fromEntries(Array.from({ length: s.length }, (_, i) => s.key(i)!).map((k) => [k, JSON.parse(s.getItem(k)!)]));

describe('exit journal', () => {
  it("saves a page's events under its own key, replacing what it saved before", () => {
    const storage = memoryStorage();
    const a = createExitJournal('db', 'pageA', storage);
    expect(a.ownKey).toBe('localrank:db:journal:pageA');
    expect(a.prefix).toBe('localrank:db:journal:');
    expect(a.save([ev('pageA.1', 1)])).toBe(true);
    expect(a.save([ev('pageA.1', 1), ev('pageA.2', 2)])).toBe(true);
    expect(entries(storage)).toEqual({ 'localrank:db:journal:pageA': [ev('pageA.1', 1), ev('pageA.2', 2)] });
  });

  it('saving nothing, discarding or removing drops the entry; clear() drops every page of this database only', () => {
    const storage = memoryStorage();
    const a = createExitJournal('db', 'pageA', storage);
    const b = createExitJournal('db', 'pageB', storage);
    const other = createExitJournal('other-db', 'pageC', storage);
    other.save([ev('pageC.1', 1)]);
    a.save([ev('pageA.1', 1)]);
    a.save([]);
    expect(Object.keys(entries(storage))).toEqual(['localrank:other-db:journal:pageC']);
    a.save([ev('pageA.1', 1)]);
    a.discard();
    b.save([ev('pageB.1', 1)]);
    a.remove(b.ownKey);
    expect(Object.keys(entries(storage))).toEqual(['localrank:other-db:journal:pageC']);
    a.save([ev('pageA.1', 1)]);
    b.save([ev('pageB.1', 1)]);
    a.clear();
    expect(Object.keys(entries(storage))).toEqual(['localrank:other-db:journal:pageC']);
  });

  it('never throws: refused or missing storage answers false', () => {
    expect(createExitJournal('db', 'p', memoryStorage(true)).save([ev('p.1', 1)])).toBe(false);
    const none = createExitJournal('db', 'p', undefined);
    expect(none.save([ev('p.1', 1)])).toBe(false);
    expect(() => none.clear()).not.toThrow();
    expect(() => none.discard()).not.toThrow();
  });
});
