import { describe, expect, it } from 'vitest';
import { parseCatalog } from './parse-catalog';

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
});
