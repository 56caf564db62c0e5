import { describe, expect, it } from 'vitest';
import { createCatalogParser, parseCatalog } from './parse-catalog';

describe('parseCatalog', () => {
  it('normalises rows and applies defaults', () => {
    const r = parseCatalog({ currency: 'eur', products: [{ id: 7, title: ' Mug ', category: 'kitchen', price: '4.5' }] });
    expect(r.products).toEqual([
      { id: '7', title: 'Mug', category: 'kitchen', brand: '', price: 4.5, currency: 'EUR', image: undefined, url: undefined, inStock: true, popularity: 0 },
    ]);
  });
  it('keeps attribute ids as strings, capped', () => {
    const r = parseCatalog([{ id: 'a', title: 'A', category: 'x', attributes: [12, 'matte', null, {}] }]);
    expect(r.products[0]!.attributes).toEqual(['12', 'matte']);
  });
  it('skips bad rows and duplicates, reporting them', () => {
    const r = parseCatalog([{ id: 'a', title: 'A', category: 'x' }, { id: 'a', title: 'dup', category: 'x' }, { title: 'no id', category: 'x' }, 5, null]);
    expect(r.products.map((p) => p.id)).toEqual(['a']);
    expect(r.skipped).toBe(4);
    expect(r.problems[0]).toMatch(/duplicate id "a"/);
  });
  it('drops unsafe URLs but keeps the product', () => {
    const r = parseCatalog([{ id: 'a', title: '<img src=x onerror=alert(1)>', category: 'x', url: 'javascript:alert(1)', image: 'data:image/svg+xml,<svg/>' }]);
    expect(r.products[0]!.url).toBeUndefined();
    expect(r.products[0]!.image).toBeUndefined();
    expect(r.products[0]!.title).toBe('<img src=x onerror=alert(1)>'); // kept as text; the UI renders it as text
  });
  it('reports an unusable catalog as fatal', () => {
    expect(parseCatalog('nope').fatal).toBeDefined();
    expect(parseCatalog({ items: [] }).fatal).toBeDefined();
  });
  it('skips rows whose getters or proxies throw, keeping the rest (host objects from LocalRankConfig.products)', () => {
    const rows = [
      { id: 'a', title: 'A', category: 'x' },
      {
        get id(): string {
          throw new Error('boom');
        },
        title: 'B',
        category: 'x',
      },
      new Proxy({}, { get: () => { throw new Error('proxy'); } }),
      { id: 'c', title: 'C', category: 'x', get price(): number { throw { toString: () => { throw new Error('even toString'); } }; } },
      { id: 'd', title: 'D', category: 'y' },
    ];
    const r = parseCatalog(rows);
    expect(r.products.map((p) => p.id)).toEqual(['a', 'd']);
    expect(r.skipped).toBe(3);
    expect(r.problems.filter((p) => p.includes('unreadable'))).toHaveLength(3);
  });
  it('reports a catalog whose product list cannot be read as fatal instead of throwing', () => {
    const hostile = new Proxy([], { get: () => { throw new Error('no'); } });
    expect(parseCatalog(hostile).fatal).toMatch(/cannot be read/);
    expect(parseCatalog({ get products(): unknown { throw new Error('no'); } }).fatal).toMatch(/cannot be read/);
  });
  it('refuses ids over 300 characters instead of cutting two of them into one product', () => {
    const long = 'x'.repeat(1_000_000);
    const r = parseCatalog([{ id: `${long}-a`, title: 'A', category: 'c' }, { id: `${long}-b`, title: 'B', category: 'c' }, { id: 'x'.repeat(300), title: 'C', category: 'c' }]);
    expect(r.products.map((p) => p.title)).toEqual(['C']);
    expect(r.skipped).toBe(2);
    expect(r.problems[0]).toMatch(/id longer than 300 characters/);
  });
  it('caps megabyte texts and attribute lists', () => {
    const mb = 'w'.repeat(1_048_576);
    const r = parseCatalog([{ id: 'a', title: mb, category: mb, brand: mb, attributes: Array.from({ length: 100_000 }, (_, i) => `a${i}`), url: `/p/${mb}`, price: '1'.repeat(400) }]);
    const p = r.products[0]!;
    expect([p.title.length, p.category.length, p.brand.length]).toEqual([300, 300, 300]);
    expect(p.attributes).toHaveLength(20);
    expect(p.url).toBeUndefined(); // over 2,048 characters
    expect(p.price).toBeUndefined(); // Infinity is not a price
  });
});

describe('createCatalogParser', () => {
  it('gives the same result in steps as parseCatalog at once', () => {
    const rows = [
      { id: 'a', title: 'A', category: 'x', price: '3' },
      { id: 'a', title: 'dup', category: 'x' },
      5,
      { id: 'b', title: 'B', category: 'y', url: 'javascript:alert(1)' },
      { id: 'c', name: 'C', category: 'y', attributes: ['m', {}] },
    ];
    const parser = createCatalogParser({ currency: 'usd', products: rows });
    const steps: boolean[] = [];
    for (let done = false; !done; ) steps.push((done = parser.step(2)));
    expect(steps).toEqual([false, false, true]);
    expect(parser.result()).toEqual(parseCatalog({ currency: 'usd', products: rows }));
  });
  it('finishes at once on an unusable or unreadable catalog', () => {
    const parser = createCatalogParser({ nope: true });
    expect(parser.step(1)).toBe(true);
    expect(parser.result().fatal).toMatch(/products/);
    const hostile = new Proxy({}, { get: () => { throw new Error('trap'); } });
    const broken = createCatalogParser(hostile);
    expect(broken.step(1)).toBe(true);
    expect(broken.result().fatal).toMatch(/cannot be read/);
  });
});
