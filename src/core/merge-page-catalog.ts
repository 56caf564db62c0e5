import type { Product } from './product';

/** The products seen on the shop's pages, as kept in the `meta` store (key {@link PAGE_CATALOG_KEY}). */
export interface PageCatalogRecord {
  readonly v: 1;
  /** Newest first. */
  readonly rows: readonly { readonly row: Product; readonly seenAt: number }[];
}

/** Meta-store key of the {@link PageCatalogRecord}. */
export const PAGE_CATALOG_KEY = 'catalog:page';

/** Products kept at most; the ones seen longest ago go first. */
export const PAGE_CATALOG_CAP = 1000;

/**
 * Merges the products read on this page into the stored page catalog: a product seen again replaces its old row
 * (newer data wins) and moves to the front; the rest keep their order; beyond `cap` the ones seen longest ago are
 * dropped. A stored value of the wrong shape (an older format, a hand-edited database) counts as empty. Stored rows
 * are not re-validated here: they go through parseCatalog again when read. Pure.
 * @param stored the stored record (any value)
 * @param seen products read on this page, already validated by parseCatalog
 * @param now time of this page view (ms)
 * @param cap maximum number of rows kept (default 1,000)
 */
export function mergePageCatalog(stored: unknown, seen: readonly Product[], now: number, cap = PAGE_CATALOG_CAP): PageCatalogRecord {
  const old = typeof stored === 'object' && stored !== null && (stored as { v?: unknown }).v === 1 && Array.isArray((stored as { rows?: unknown }).rows)
    ? ((stored as { rows: unknown[] }).rows)
    : [];
  const ids = new Set(seen.map((p) => p.id));
  const rows: Array<{ row: Product; seenAt: number }> = seen.map((row) => ({ row, seenAt: now }));
  for (const entry of old) {
    if (rows.length >= cap) break;
    if (typeof entry !== 'object' || entry === null) continue;
    const { row, seenAt } = entry as { row?: unknown; seenAt?: unknown };
    if (typeof row !== 'object' || row === null || typeof seenAt !== 'number') continue;
    const id = (row as { id?: unknown }).id;
    if (typeof id !== 'string' || ids.has(id)) continue;
    ids.add(id);
    rows.push({ row: row as Product, seenAt });
  }
  return { v: 1, rows: rows.slice(0, cap) };
}
