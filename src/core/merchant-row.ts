/**
 * A Google Merchant Center item (TSV row or RSS/Atom `<item>`) as plain attributes, keyed by Google's attribute name
 * in lower case without the `g:` prefix (`id`, `title`, `image_link`, `price`, …).
 */
export type MerchantAttributes = Readonly<Record<string, string | undefined>>;

/** Converted feed: native catalog rows for {@link parseCatalog}, or why the feed cannot be read at all. */
export interface FeedRows {
  /** `{ products }` in the native shape; validation and capping are parseCatalog's job. */
  readonly catalog?: { readonly products: readonly Record<string, unknown>[] };
  /** Set when the whole feed is unusable; says what was expected. */
  readonly fatal?: string;
}

/** Attributes kept as content features, as `name:value` (so a colour and a label with the same value differ). */
const ATTRIBUTES = ['color', 'material', 'pattern', 'size', 'gender', 'age_group', 'custom_label_0', 'custom_label_1', 'custom_label_2', 'custom_label_3', 'custom_label_4'];
const IN_STOCK = new Set(['in_stock', 'preorder', 'backorder', 'limited_availability', 'available_for_order']);
const OUT_OF_STOCK = new Set(['out_of_stock', 'discontinued']);

/**
 * Normalises an attribute name from a feed header or element: `g:image_link`, `Image Link` and `image link` all
 * become `image_link`.
 */
export function merchantKey(name: string): string {
  return name.trim().toLowerCase().replace(/^g:/, '').replace(/[\s-]+/g, '_');
}

/**
 * Reads a Merchant Center price: `"12.50 EUR"`, `"EUR 12.50"`, `"12.50"` (also a decimal comma, `"12,50 EUR"`).
 * Returns `undefined` for anything else.
 */
export function merchantPrice(value: string | undefined): { amount: number; currency: string | undefined } | undefined {
  if (!value || value.length > 64) return undefined;
  const m = /^\s*(?:([A-Za-z]{3})\s*)?(\d+(?:[.,]\d+)?)\s*(?:([A-Za-z]{3}))?\s*$/.exec(value);
  if (!m || (m[1] && m[3])) return undefined;
  return { amount: Number(m[2]!.replace(',', '.')), currency: (m[1] ?? m[3])?.toUpperCase() };
}

/** The deepest level of a Merchant Center or schema.org category path (`"Home > Kitchen > Mugs"` → `"Mugs"`). */
export function categoryLeaf(path: string | undefined): string | undefined {
  if (!path) return undefined;
  const leaf = path.slice(path.lastIndexOf('>') + 1).trim();
  return leaf || undefined;
}

/**
 * Converts one Merchant Center item into a native catalog row: `id`, `title`, `link` → url, `image_link` → image,
 * `sale_price` (else `price`) → price and currency, `availability` (`out_of_stock`/`discontinued` → not in stock;
 * `in_stock`, `preorder`, `backorder` → in stock), `brand`, the deepest level of `product_type` (else of
 * `google_product_category`, else `"other"`) → category, and colour, material, size, gender, age group and custom
 * labels → `attributes` (`"color:red"`). Values it cannot read are passed on as they are, so parseCatalog reports
 * them (e.g. `products[3].price: expected a number >= 0`).
 */
export function merchantRow(a: MerchantAttributes): Record<string, unknown> {
  const rawPrice = a.sale_price && merchantPrice(a.sale_price) ? a.sale_price : a.price;
  const price = merchantPrice(rawPrice);
  const availability = a.availability ? merchantKey(a.availability) : undefined;
  const category = categoryLeaf(a.product_type?.split(',')[0]) ?? categoryLeaf(a.google_product_category) ?? 'other';
  const attributes = ATTRIBUTES.filter((k) => a[k]?.trim()).map((k) => `${k}:${a[k]!.trim()}`);
  return {
    id: a.id,
    title: a.title,
    category,
    ...(a.brand !== undefined ? { brand: a.brand } : {}),
    ...(price ? { price: price.amount, ...(price.currency ? { currency: price.currency } : {}) } : rawPrice?.trim() ? { price: rawPrice } : {}),
    ...(a.image_link ? { image: a.image_link } : {}),
    ...(a.link ? { url: a.link } : {}),
    ...(availability && IN_STOCK.has(availability) ? { inStock: true } : availability && OUT_OF_STOCK.has(availability) ? { inStock: false } : {}),
    ...(attributes.length ? { attributes } : {}),
  };
}
