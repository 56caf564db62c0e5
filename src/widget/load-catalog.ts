import { mergePageCatalog, PAGE_CATALOG_KEY } from '../core/merge-page-catalog';
import { parseCatalog } from '../core/parse-catalog';
import { readCatalogText } from '../core/read-catalog-text';
import { schemaOrgProducts } from '../core/schema-org-products';
import type { EventLog } from '../storage/event-log';
import { readPageProducts } from './read-page-products';

/** Inputs of {@link loadCatalog}. */
export interface LoadCatalogDeps {
  /** `LocalRankConfig.products`, the `data-catalog` response (fetched by the entry script), or none. */
  readonly source: readonly unknown[] | Promise<Response> | undefined;
  /** Read the page's schema.org products and merge the ones remembered from earlier pages (`data-page-catalog`). */
  readonly pageCatalog: boolean;
  readonly doc: Document;
  /** The (privacy-gated) event log: the page catalog lives in its meta store, so "forget me" deletes it too. */
  readonly log: Pick<EventLog, 'getMeta' | 'setMeta'>;
  readonly now: () => number;
}

const FORMAT_NAMES = { json: 'JSON catalog', tsv: 'Merchant Center TSV feed', xml: 'Merchant Center XML feed' } as const;

/**
 * Produces the catalog value the runtime validates with parseCatalog: the configured catalog read in its format
 * (native JSON, Merchant Center TSV or RSS/Atom, see `readCatalogText`), and — with `pageCatalog` — the schema.org
 * products of this page merged into the remembered page catalog (stored in the meta store, capped at 1,000
 * products, newer data winning) and appended for the ids the configured catalog does not have.
 *
 * Rejects like the old JSON fetch did, so the runtime reports the same stable codes: a failed fetch with its
 * error (`LR_CATALOG_FETCH`), an unreadable body with a `SyntaxError` naming the format (`LR_CATALOG_INVALID`).
 */
export async function loadCatalog(deps: LoadCatalogDeps): Promise<unknown> {
  let data: unknown;
  if (Array.isArray(deps.source)) data = deps.source;
  else if (deps.source) {
    const res = await (deps.source as Promise<Response>);
    if (!res.ok) throw new Error(`HTTP ${res.status} for ${res.url}`);
    const read = readCatalogText(await res.text(), res.headers.get('content-type') ?? '', res.url);
    if (read.fatal !== undefined) throw new SyntaxError(`${FORMAT_NAMES[read.format]}: ${read.fatal}`);
    data = read.data;
  }
  if (!deps.pageCatalog) return data;

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
