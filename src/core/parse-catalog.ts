import type { Product } from './product';
import { safeUrl } from './safe-url';

/** Result of {@link parseCatalog}. */
export interface CatalogParseResult {
  /** Valid products, in catalog order, unique by id (first occurrence wins). */
  readonly products: readonly Product[];
  /** One line per skipped or repaired row (capped at 20 lines; `skipped` has the full count). */
  readonly problems: readonly string[];
  /** Number of rows skipped. */
  readonly skipped: number;
  /** Set when the whole catalog is unusable (not an array or object with `products`). */
  readonly fatal?: string;
}

const MAX_TEXT = 300;
/** Longer ids are refused, not cut: a cut id would no longer match the host's `data-product-id`, and two long ids
 * sharing their first characters would collapse into one product. */
const MAX_ID = 300;
const MAX_PROBLEMS = 20;
const MAX_ATTRIBUTES = 20;

function text(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return undefined;
  const t = value.trim();
  return t ? t.slice(0, MAX_TEXT) : undefined;
}

/** A thrown value as short text; even its `toString` may throw. */
function describe(error: unknown): string {
  try {
    return String(error).slice(0, 80);
  } catch {
    return 'an unprintable error';
  }
}

function finiteNonNegative(value: unknown): number | undefined {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : undefined;
}

/**
 * Validates a catalog in LocalRank's native JSON shape — `{ "products": [ … ] }` or a bare array of products —
 * and normalises each row into a {@link Product}. Never throws: rows without a usable `id`, `title` or `category`,
 * with an id over 300 characters, or whose fields throw when read are skipped and reported in `problems`; texts are
 * cut to 300 characters and attribute lists to 20 entries; unsafe URLs are dropped; duplicates keep the first row.
 * A catalog that is not an array (or an object with a `products` array), or cannot be read at all, is `fatal`.
 * @param data the parsed JSON value
 */
export function parseCatalog(data: unknown): CatalogParseResult {
  // Inline rows (LocalRankConfig.products) are the host's live objects: a getter or a Proxy may throw anywhere.
  try {
    return parseRows(data);
  } catch (error) {
    return { products: [], problems: [], skipped: 0, fatal: `the catalog cannot be read (${describe(error)})` };
  }
}

function parseRows(data: unknown): CatalogParseResult {
  const rows: unknown = Array.isArray(data)
    ? data
    : typeof data === 'object' && data !== null
      ? (data as Record<string, unknown>).products
      : undefined;
  if (!Array.isArray(rows)) {
    return {
      products: [],
      problems: [],
      skipped: 0,
      fatal: 'expected a JSON array of products or an object with a "products" array',
    };
  }
  const defaultCurrency = text((data as Record<string, unknown>).currency);
  const seen = new Set<string>();
  const products: Product[] = [];
  const problems: string[] = [];
  let skipped = 0;
  const problem = (index: number, what: string): void => {
    if (problems.length < MAX_PROBLEMS) problems.push(`row ${index}: ${what}`);
  };
  const parseRow = (row: unknown, index: number): void => {
    if (typeof row !== 'object' || row === null || Array.isArray(row)) {
      skipped++;
      problem(index, 'not an object');
      return;
    }
    const r = row as Record<string, unknown>;
    const idValue = r.id;
    const rawId = typeof idValue === 'string' ? idValue.trim() : idValue;
    if (typeof rawId === 'string' && rawId.length > MAX_ID) {
      skipped++;
      problem(index, `id longer than ${MAX_ID} characters`);
      return;
    }
    const id = text(rawId);
    const title = text(r.title ?? r.name);
    const category = text(r.category);
    if (!id || !title || !category) {
      skipped++;
      problem(index, `missing or invalid ${!id ? 'id' : !title ? 'title' : 'category'}`);
      return;
    }
    if (seen.has(id)) {
      skipped++;
      problem(index, `duplicate id "${id.slice(0, 40)}"`);
      return;
    }
    const currency = text(r.currency) ?? defaultCurrency;
    const attributes = Array.isArray(r.attributes)
      ? r.attributes.slice(0, MAX_ATTRIBUTES * 4).map(text).filter((a): a is string => !!a).slice(0, MAX_ATTRIBUTES)
      : undefined;
    const product: Product = {
      id,
      title,
      category,
      brand: text(r.brand) ?? '',
      price: finiteNonNegative(r.price),
      currency: currency && /^[A-Za-z]{3}$/.test(currency) ? currency.toUpperCase() : undefined,
      image: safeUrl(r.image),
      url: safeUrl(r.url),
      inStock: r.inStock === undefined ? true : r.inStock === true || r.inStock === 'true',
      popularity: finiteNonNegative(r.popularity) ?? 0,
      ...(attributes && attributes.length ? { attributes } : {}),
    };
    seen.add(id);
    products.push(product);
  };
  // A row whose fields throw when read (a getter, a Proxy) is skipped like any other unusable row.
  const count = rows.length;
  for (let index = 0; index < count; index++) {
    try {
      parseRow(rows[index], index);
    } catch (error) {
      skipped++;
      problem(index, `unreadable (${describe(error)})`);
    }
  }
  return { products, problems, skipped };
}
