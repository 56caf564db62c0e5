/**
 * A parsed catalog split for handing over in parts: its `rows` (the top-level array, or the `products` array of a
 * catalog object) and the rest (`head`: the object without `products`, or `undefined` for a bare array). `rows` is
 * `undefined` when the value has no rows array: it is then passed whole (the catalog's validation reports it).
 */
export function catalogRows(value: unknown): { readonly rows: unknown[] | undefined; readonly head: unknown } {
  if (Array.isArray(value)) return { rows: value, head: undefined };
  if (typeof value === 'object' && value !== null && Array.isArray((value as { products?: unknown }).products)) {
    const { products, ...head } = value as { products: unknown[] };
    return { rows: products, head };
  }
  return { rows: undefined, head: value };
}

/** Puts a catalog split by {@link catalogRows} together again: the same shape as the parsed value. */
export function joinCatalogRows(head: unknown, rows: unknown[]): unknown {
  return head === undefined ? rows : { ...(head as object), products: rows };
}
