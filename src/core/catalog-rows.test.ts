import { describe, expect, it } from 'vitest';
import { catalogRows, joinCatalogRows } from './catalog-rows';

describe('catalogRows / joinCatalogRows', () => {
  it('splits a bare array and a catalog object into rows and the rest, and joins them back to the same value', () => {
    const bare = [{ id: 'a' }, { id: 'b' }];
    expect(catalogRows(bare)).toEqual({ rows: bare, head: undefined });
    expect(joinCatalogRows(undefined, bare)).toEqual(bare);
    const object = { currency: 'EUR', version: 2, products: [{ id: 'a' }] };
    const split = catalogRows(object);
    expect(split).toEqual({ rows: [{ id: 'a' }], head: { currency: 'EUR', version: 2 } });
    expect(joinCatalogRows(split.head, split.rows!)).toEqual(object);
  });

  it('passes a value without a rows array whole (validation reports it)', () => {
    for (const value of [{ products: 'no' }, { items: [] }, 'text', 3, null]) {
      expect(catalogRows(value)).toEqual({ rows: undefined, head: value });
    }
  });
});
