import { mergePageCatalog, PAGE_CATALOG_KEY } from '../core/merge-page-catalog';
import { parseCatalog } from '../core/parse-catalog';
import { schemaOrgProducts } from '../core/schema-org-products';
import type { LoadCatalogDeps } from './load-catalog';
import { readPageProducts } from './read-page-products';

/**
 * The `data-page-catalog` part of loading: this page's schema.org products (JSON-LD, microdata) merged into the page
 * catalog remembered in the meta store (capped at 1,000 products, newer data winning) and appended for the ids the
 * configured catalog `data` does not have (all of them when there is none).
 */
export async function withPageCatalog(data: unknown, deps: Pick<LoadCatalogDeps, 'doc' | 'log' | 'now'>): Promise<unknown> {

  const page = readPageProducts(deps.doc);
  const seen = parseCatalog(schemaOrgProducts(page.roots, page.knownIds)).products;
  let stored: unknown;
  try {
    stored = await deps.log.getMeta(PAGE_CATALOG_KEY);
  } catch {
    // Storage trouble is reported by the event log; this page still has its own products.
  }
  const merged = mergePageCatalog(stored, seen, deps.now());
  if (seen.length > 0) {
    try {
      await deps.log.setMeta(PAGE_CATALOG_KEY, merged);
    } catch {
      // Not remembered for the next page; this page still has them.
    }
  }
  // Stored rows come from the device's database: validated again like any other catalog.
  const remembered = parseCatalog(merged.rows.map((r) => r.row)).products;
  if (data === undefined) return { products: remembered };
  const rows: unknown = Array.isArray(data) ? data : typeof data === 'object' && data !== null ? (data as { products?: unknown }).products : undefined;
  if (!Array.isArray(rows)) return data; // unusable: parseCatalog reports it
  const own = new Set(parseCatalog(rows).products.map((p) => p.id));
  const extra = remembered.filter((p) => !own.has(p.id));
  try {
    return Array.isArray(data) ? [...rows, ...extra] : { ...(data as object), products: [...rows, ...extra] };
  } catch {
    // Inline rows are the host's live objects and may throw when copied: then they are used as they are.
    return data;
  }
}
