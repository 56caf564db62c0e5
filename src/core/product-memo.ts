import type { Product } from './product';

/** A value remembered per product object (see {@link productMemo}). */
export interface ProductMemo<T> {
  /** The value remembered for `p`, or `undefined`. */
  get(p: Product): T | undefined;
  /** Remembers `value` for `p`. */
  set(p: Product, value: T): void;
}

/**
 * A memo per product object, kept on the product itself under a private symbol, as a non-enumerable property: no
 * spread, `Object.assign`, `JSON.stringify`, `structuredClone` or `postMessage` copies it, so a copy of a product
 * (with other fields) never carries its memo. Products that cannot take a property (frozen or not extensible) fall
 * back to a `WeakMap`. A memo never holds `undefined`.
 *
 * Why not a `WeakMap` for all: a hash table grows by rehashing every entry in one call. With a 50,000-product catalog,
 * the growth at the 43,691st product was 8 ms in Node and a 73 ms main-thread task at 4× CPU throttling in the page,
 * where two memos filled in step with the catalog (title tokens and model features). A property costs the same on
 * the first product and the last.
 * @param name names the symbol (shown in a debugger)
 */
export function productMemo<T>(name: string): ProductMemo<T> {
  const key = Symbol(name);
  const fallback = new WeakMap<Product, T>();
  return {
    get: (p) => {
      const value = (p as unknown as Record<symbol, T | undefined>)[key];
      return value !== undefined ? value : fallback.get(p);
    },
    set: (p, value) => {
      if (key in p) (p as unknown as Record<symbol, T>)[key] = value;
      else if (Object.isExtensible(p)) Object.defineProperty(p, key, { value, writable: true, enumerable: false, configurable: true });
      else fallback.set(p, value);
    },
  };
}
