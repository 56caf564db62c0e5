import { describe, expect, it } from 'vitest';
import { checkedCatalog, checkedResult } from './checked-catalog';
import { createCatalogParser, parseCatalog } from './parse-catalog';

describe('checkedCatalog', () => {
  it('carries a validation result that createCatalogParser and parseCatalog take as it is, in one step', () => {
    const result = parseCatalog([{ id: 'a', title: 'A', category: 'c' }, { id: '', title: 'no id', category: 'c' }]);
    const data = checkedCatalog(result);
    expect(checkedResult(data)).toBe(result);
    const parser = createCatalogParser(data);
    expect(parser.step(1)).toBe(true);
    expect(parser.result()).toBe(result);
    expect(parseCatalog(data)).toBe(result);
  });

  it('is not forged by a catalog value: rows or objects are validated as before', () => {
    for (const value of [[{ id: 'a', title: 'A', category: 'c' }], { products: [] }, { checked: { products: [{ id: 'x' }] } }, 'text', null]) {
      expect(checkedResult(value)).toBeUndefined();
    }
    expect(parseCatalog({ checked: { products: [], problems: [], skipped: 0 } }).fatal).toMatch(/expected a JSON array/);
  });

  it('a host object whose has-trap throws is an unreadable catalog, not an exception', () => {
    const hostile = new Proxy([], { has: () => { throw new Error('no'); } });
    expect(() => checkedResult(hostile)).toThrow();
    expect(parseCatalog(hostile).fatal).toMatch(/cannot be read/);
  });
});
