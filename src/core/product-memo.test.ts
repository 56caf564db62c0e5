import { describe, expect, it } from 'vitest';
import { productMemo } from './product-memo';
import type { Product } from './product';

const product = (id: string): Product => ({
  id,
  title: `Title ${id}`,
  category: 'c',
  brand: '',
  price: 1,
  currency: 'EUR',
  image: undefined,
  url: undefined,
  inStock: true,
  popularity: 0,
});

describe('productMemo', () => {
  it('remembers a value per product object, separately per memo', () => {
    const a = product('a');
    const b = product('a'); // same fields, another object
    const tokens = productMemo<string[]>('tokens');
    const other = productMemo<number>('other');
    expect(tokens.get(a)).toBeUndefined();
    tokens.set(a, ['x']);
    other.set(a, 7);
    expect(tokens.get(a)).toEqual(['x']);
    expect(other.get(a)).toBe(7);
    expect(tokens.get(b)).toBeUndefined();
    tokens.set(a, ['y']);
    expect(tokens.get(a)).toEqual(['y']);
  });

  it('is invisible to copies and serialisation: a spread copy has no memo, the product\'s keys and JSON are unchanged', () => {
    const p = product('p');
    const before = JSON.stringify(p);
    const memo = productMemo<string>('m');
    memo.set(p, 'cached');
    expect(JSON.stringify(p)).toBe(before);
    expect(Object.keys(p)).toEqual(Object.keys(product('p')));
    const copy = { ...p, title: 'Changed' };
    expect(memo.get(copy)).toBeUndefined();
    expect(memo.get(Object.assign({}, p))).toBeUndefined();
    expect(memo.get(structuredClone(p))).toBeUndefined();
    expect(p).toEqual(product('p'));
  });

  it('falls back to a WeakMap for products that cannot take a property', () => {
    const frozen = Object.freeze(product('f'));
    const sealed = Object.preventExtensions(product('s'));
    const memo = productMemo<number>('m');
    memo.set(frozen, 1);
    memo.set(sealed, 2);
    expect(memo.get(frozen)).toBe(1);
    expect(memo.get(sealed)).toBe(2);
    expect(memo.get(product('f'))).toBeUndefined();
  });
});
