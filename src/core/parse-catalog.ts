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
const MAX_PROBLEMS = 20;

function text(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return undefined;
  const t = value.trim();
  return t ? t.slice(0, MAX_TEXT) : undefined;
}

function finiteNonNegative(value: unknown): number | undefined {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : undefined;
}

/**
 * Validates a catalog in LocalRank's native JSON shape — `{ "products": [ … ] }` or a bare array of products —
 * and normalises each row into a {@link Product}. Never throws: rows without a usable `id`, `title` or `category`
 * are skipped and reported in `problems`; unsafe URLs are dropped; duplicates keep the first row.
 * @param data the parsed JSON value
 */
export function parseCatalog(data: unknown): CatalogParseResult {
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
  rows.forEach((row, index) => {
    if (typeof row !== 'object' || row === null || Array.isArray(row)) {
      skipped++;
      problem(index, 'not an object');
      return;
    }
    const r = row as Record<string, unknown>;
    const id = text(r.id);
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
    seen.add(id);
    const currency = text(r.currency) ?? defaultCurrency;
    const attributes = Array.isArray(r.attributes)
      ? r.attributes.map(text).filter((a): a is string => !!a).slice(0, 20)
      : undefined;
    products.push({
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
    });
  });
  return { products, problems, skipped };
}
