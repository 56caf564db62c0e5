import type { Product } from './product';
import { safeUrl } from './safe-url';
import { checkedResult } from './checked-catalog';

/** Result of {@link parseCatalog}. */
export interface CatalogParseResult {
  /** Valid products, in catalog order, unique by id (first occurrence wins). */
  readonly products: readonly Product[];
  /** One line per skipped row or repaired field, `path: what is expected` (capped at 20 lines; `skipped` counts all skipped rows). */
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

/** The same number syntax as `catalog.schema.json` allows for numeric strings: digits with an optional fraction. */
const NUMERIC = /^\s*\d+(?:\.\d+)?\s*$/;

function finiteNonNegative(value: unknown): number | undefined {
  const n = typeof value === 'string' && NUMERIC.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : undefined;
}

/** What `catalog.schema.json` expects, in the words both use (the schema's `description`s say the same). */
const EXPECTED = {
  text: 'expected a non-empty string or a number',
  string: 'expected a string',
  number: 'expected a number >= 0',
  currency: 'expected a 3-letter ISO 4217 currency code',
  url: 'expected an http(s) or relative URL of at most 2048 characters',
  boolean: 'expected true or false',
  attributes: 'expected an array of strings or numbers',
} as const;

function currencyCode(value: unknown): string | undefined {
  const t = text(value);
  return t && /^[A-Za-z]{3}$/.test(t) ? t.toUpperCase() : undefined;
}

/** Absent in the sense of the JSON Schema: missing or `null` (exports often write `null` for "no value"). */
const absent = (value: unknown): boolean => value === undefined || value === null;

/**
 * Validates a catalog in LocalRank's native JSON shape — `{ "products": [ … ] }` or a bare array of products, as
 * described by `public/catalog.schema.json` — and normalises each row into a {@link Product}. Never throws: rows
 * without a usable `id`, `title` or `category`, with an id over 300 characters, or whose fields throw when read are
 * skipped; texts are cut to 300 characters and attribute lists to 20 entries; wrong optional fields (price, currency,
 * unsafe URLs, …) are dropped; duplicates keep the first row. Each skipped or repaired field is reported in
 * `problems` with its path and what the schema expects, e.g. `products[3].price: expected a number >= 0 (ignored)`
 * (`[3].price` for a bare array). A catalog that is not an array (or an object with a `products` array), or cannot
 * be read at all, is `fatal`.
 * @param data the parsed JSON value
 */
export function parseCatalog(data: unknown): CatalogParseResult {
  const parser = createCatalogParser(data);
  while (!parser.step(Infinity));
  return parser.result();
}

/** An incremental {@link parseCatalog}: the same result, computed a few rows at a time. */
export interface CatalogParser {
  /** Parses up to `rows` more rows; `true` once every row is parsed (or the catalog is unusable). Never throws. */
  step(rows: number): boolean;
  /** What {@link parseCatalog} returns, for the rows parsed so far (all of them once `step` returned `true`). */
  result(): CatalogParseResult;
}

/**
 * {@link parseCatalog} in steps, so a caller on the main thread can spread a large catalog over several tasks:
 * `step(n)` parses the next `n` rows. The rows array is read once, when the parser is created (its length then);
 * the result is the same as `parseCatalog(data)` once `step` has returned `true`. A catalog validated elsewhere
 * (`checkedCatalog`, from the catalog worker) is taken as it is, in one step.
 * @param data the parsed JSON value, or a `CheckedCatalog`
 */
export function createCatalogParser(data: unknown): CatalogParser {
  // Inline rows (LocalRankConfig.products) are the host's live objects: a getter or a Proxy may throw anywhere.
  const unreadable = (error: unknown): CatalogParser => {
    const fatal: CatalogParseResult = { products: [], problems: [], skipped: 0, fatal: `the catalog cannot be read (${describe(error)})` };
    return { step: () => true, result: () => fatal };
  };
  try {
    const checked = checkedResult(data);
    if (checked) return { step: () => true, result: () => checked };
    return rowParser(data);
  } catch (error) {
    return unreadable(error);
  }
}

function rowParser(data: unknown): CatalogParser {
  const rows: unknown = Array.isArray(data)
    ? data
    : typeof data === 'object' && data !== null
      ? (data as Record<string, unknown>).products
      : undefined;
  if (!Array.isArray(rows)) {
    const fatal: CatalogParseResult = {
      products: [],
      problems: [],
      skipped: 0,
      fatal: 'expected a JSON array of products or an object with a "products" array',
    };
    return { step: () => true, result: () => fatal };
  }
  const topCurrency = (data as Record<string, unknown>).currency;
  const defaultCurrency = currencyCode(topCurrency);
  const base = Array.isArray(data) ? '' : 'products';
  const seen = new Set<string>();
  const products: Product[] = [];
  const problems: string[] = [];
  let skipped = 0;
  const report = (path: string, what: string): void => {
    if (problems.length < MAX_PROBLEMS) problems.push(`${path}: ${what}`);
  };
  if (!Array.isArray(data) && !absent(topCurrency) && !defaultCurrency) report('currency', `${EXPECTED.currency} (ignored)`);
  const parseRow = (row: unknown, index: number): void => {
    const at = `${base}[${index}]`;
    if (typeof row !== 'object' || row === null || Array.isArray(row)) {
      skipped++;
      report(at, 'expected an object');
      return;
    }
    const r = row as Record<string, unknown>;
    const idValue = r.id;
    const rawId = typeof idValue === 'string' ? idValue.trim() : idValue;
    if (typeof rawId === 'string' && rawId.length > MAX_ID) {
      skipped++;
      report(`${at}.id`, `id longer than ${MAX_ID} characters`);
      return;
    }
    const titleKey = absent(r.title) && !absent(r.name) ? 'name' : 'title';
    const required: Array<[string, unknown]> = [['id', rawId], [titleKey, r[titleKey]], ['category', r.category]];
    for (const [key, value] of required) {
      if (text(value)) continue;
      skipped++;
      report(`${at}.${key}`, absent(value) ? 'required' : EXPECTED.text);
      return;
    }
    const id = text(rawId)!;
    if (seen.has(id)) {
      skipped++;
      report(`${at}.id`, `duplicate id "${id.slice(0, 40)}" (the first row with it is kept)`);
      return;
    }
    // Fields that are wrong but not essential are repaired (dropped, cut) and reported; the row is kept.
    const repaired = (key: string, what: string): void => report(`${at}.${key}`, what);
    for (const key of [titleKey, 'category', 'brand']) {
      const value = r[key];
      if (key === 'brand' && !absent(value) && typeof value !== 'string' && text(value) === undefined) repaired(key, `${EXPECTED.string} (ignored)`);
      else if (typeof value === 'string' && value.trim().length > MAX_TEXT) repaired(key, `longer than ${MAX_TEXT} characters (cut)`);
    }
    const optional = <T>(key: string, read: (v: unknown) => T | undefined, expected: string, outcome: string): T | undefined => {
      const value = r[key];
      if (absent(value)) return undefined;
      const out = read(value);
      if (out === undefined) repaired(key, `${expected} (${outcome})`);
      return out;
    };
    const price = optional('price', finiteNonNegative, EXPECTED.number, 'ignored');
    const currency = optional('currency', currencyCode, EXPECTED.currency, 'ignored') ?? defaultCurrency;
    const image = optional('image', safeUrl, EXPECTED.url, 'dropped');
    const url = optional('url', safeUrl, EXPECTED.url, 'dropped');
    const stock = optional('inStock', (v) => (v === true || v === 'true' ? true : v === false || v === 'false' ? false : undefined), EXPECTED.boolean, 'read as false');
    const popularity = optional('popularity', finiteNonNegative, EXPECTED.number, 'read as 0');
    let attributes: string[] | undefined;
    if (!absent(r.attributes)) {
      if (!Array.isArray(r.attributes)) repaired('attributes', `${EXPECTED.attributes} (ignored)`);
      else {
        const list = r.attributes;
        if (list.length > MAX_ATTRIBUTES) repaired('attributes', `more than ${MAX_ATTRIBUTES} entries (cut to ${MAX_ATTRIBUTES})`);
        attributes = [];
        const scan = Math.min(list.length, MAX_ATTRIBUTES * 4);
        for (let i = 0; i < scan && attributes.length < MAX_ATTRIBUTES; i++) {
          const a = text(list[i]);
          if (a) attributes.push(a);
          else repaired(`attributes[${i}]`, `${EXPECTED.text} (dropped)`);
        }
      }
    }
    const product: Product = {
      id,
      title: text(r[titleKey])!,
      category: text(r.category)!,
      brand: text(r.brand) ?? '',
      price,
      currency,
      image,
      url,
      inStock: absent(r.inStock) ? true : stock === true,
      popularity: popularity ?? 0,
      ...(attributes && attributes.length ? { attributes } : {}),
    };
    seen.add(id);
    products.push(product);
  };
  // A row whose fields throw when read (a getter, a Proxy) is skipped like any other unusable row.
  const count = rows.length;
  let index = 0;
  return {
    step(n) {
      const end = Math.min(count, index + Math.max(1, n));
      for (; index < end; index++) {
        try {
          parseRow(rows[index], index);
        } catch (error) {
          skipped++;
          report(`${base}[${index}]`, `unreadable (${describe(error)})`);
        }
      }
      return index >= count;
    },
    result: () => ({ products, problems, skipped }),
  };
}
