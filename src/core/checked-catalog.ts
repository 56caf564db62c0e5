import type { CatalogParseResult } from './parse-catalog';

const CHECKED: unique symbol = Symbol('localrank.checkedCatalog');

/** A catalog validated elsewhere (the catalog worker ran `parseCatalog` on it): made by {@link checkedCatalog}. */
export interface CheckedCatalog {
  readonly [CHECKED]: CatalogParseResult;
}

/**
 * Marks `result` as a catalog already validated, so that `createCatalogParser` (and `parseCatalog`) take it as it is
 * instead of validating its products again on the main thread.
 */
export function checkedCatalog(result: CatalogParseResult): CheckedCatalog {
  return { [CHECKED]: result };
}

/** The result inside a {@link CheckedCatalog}; `undefined` for anything else (a Proxy's `has` trap may throw). */
export function checkedResult(data: unknown): CatalogParseResult | undefined {
  return typeof data === 'object' && data !== null && CHECKED in data ? (data as CheckedCatalog)[CHECKED] : undefined;
}
