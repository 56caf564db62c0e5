import { categoryLeaf } from './merchant-row';

/** Products taken from one page at most; nodes visited at most (a hostile page may ship huge JSON-LD). */
const MAX_PRODUCTS = 200;
const MAX_NODES = 5000;
const MAX_DEPTH = 8;

const OUT_OF_STOCK = new Set(['outofstock', 'soldout', 'discontinued']);

type Node = Record<string, unknown>;

const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);

/** `"Product"`, `"schema:Product"`, `"https://schema.org/Product"` → `product`. */
function types(node: Node): string[] {
  return list(node['@type']).filter((t): t is string => typeof t === 'string').map((t) => t.slice(Math.max(t.lastIndexOf('/'), t.lastIndexOf(':')) + 1).toLowerCase());
}

/** A string (or number) value, or the first one of a list. */
function str(value: unknown): string | undefined {
  for (const v of list(value)) {
    if (typeof v === 'string' && v.trim()) return v.trim();
    if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  }
  return undefined;
}

/** Brand, category or organisation: a string or a node with a `name`. */
function named(value: unknown): string | undefined {
  for (const v of list(value)) {
    const s = isNode(v) ? str(v.name) : str(v);
    if (s) return s;
  }
  return undefined;
}

/** Image: a URL, a list of URLs, or an ImageObject (`url` / `contentUrl`). */
function imageUrl(value: unknown): string | undefined {
  for (const v of list(value)) {
    const s = isNode(v) ? (str(v.url) ?? str(v.contentUrl)) : str(v);
    if (s) return s;
  }
  return undefined;
}

interface OfferInfo {
  price?: unknown;
  currency?: string;
  inStock?: boolean;
}

/** Offer, list of offers, AggregateOffer (`lowPrice`, nested `offers`), priceSpecification. First price wins. */
function offerInfo(value: unknown, depth = 0): OfferInfo {
  const out: OfferInfo = {};
  for (const offer of list(value).slice(0, 50)) {
    if (!isNode(offer)) continue;
    const spec = list(offer.priceSpecification).find(isNode);
    const price = offer.lowPrice ?? offer.price ?? spec?.price;
    if (out.price === undefined && price !== undefined && price !== null) {
      out.price = typeof price === 'string' ? price.trim() : price;
      out.currency = str(offer.priceCurrency) ?? str(spec?.priceCurrency);
    }
    const availability = str(offer.availability);
    if (availability) {
      const inStock = !OUT_OF_STOCK.has(availability.slice(availability.lastIndexOf('/') + 1).toLowerCase());
      out.inStock = out.inStock === true || inStock;
    }
    if (depth < 2 && offer.offers !== undefined) {
      const inner = offerInfo(offer.offers, depth + 1);
      if (out.price === undefined) Object.assign(out, { price: inner.price, currency: inner.currency ?? out.currency });
      if (inner.inStock !== undefined) out.inStock = out.inStock === true || inner.inStock;
    }
  }
  return out;
}

/**
 * The product id, in this order: `sku`, `productID`, `@id`. When one of them is an id the page itself uses (a
 * `data-product-id` or `data-localrank-page-product`), that one wins, so the catalog matches the host's markup.
 */
function productId(node: Node, knownIds: ReadonlySet<string>): string | undefined {
  const candidates = [str(node.sku), str(node.productID), str(node['@id'])].filter((c): c is string => !!c);
  return candidates.find((c) => knownIds.has(c)) ?? candidates[0];
}

/**
 * Converts schema.org `Product` data found on a page — JSON-LD values (`Product`, `ItemList` of `ListItem`s or
 * Products, `@graph`, arrays) or microdata read into the same shape — into native catalog rows for parseCatalog:
 * id (see below), `name` → title, `category` (deepest level of a `A > B` path; else the page's `BreadcrumbList`
 * last level that is not the product; else `"other"`), `brand` (string or Brand/Organization), `image` (URL, list or
 * ImageObject), `url`, offers (`Offer`, a list, `AggregateOffer`'s `lowPrice`; `priceCurrency`; `availability`:
 * OutOfStock, SoldOut, Discontinued → not in stock), `aggregateRating.reviewCount`/`ratingCount` → popularity.
 *
 * Id: `sku`, else `productID`, else `@id` — unless one of them is in `knownIds` (ids the page's markup uses), which
 * then wins. Values are not validated here: parseCatalog does it (text caps, unsafe URLs, prices). Pure; never throws
 * on any JSON value; visits at most 5,000 nodes, 8 levels deep, and returns at most 200 rows.
 * @param roots parsed JSON-LD blocks and microdata items of one page
 * @param knownIds product ids the page's markup uses
 */
export function schemaOrgProducts(roots: readonly unknown[], knownIds: ReadonlySet<string> = new Set()): Record<string, unknown>[] {
  const products: Node[] = [];
  let breadcrumb: string[] = [];
  let visited = 0;
  const visit = (value: unknown, depth: number): void => {
    if (depth > MAX_DEPTH || visited >= MAX_NODES || products.length >= MAX_PRODUCTS) return;
    if (Array.isArray(value)) {
      for (const v of value) visit(v, depth + 1);
      return;
    }
    if (!isNode(value)) return;
    visited++;
    const t = types(value);
    if (t.includes('product')) {
      products.push(value);
      return;
    }
    if (t.includes('breadcrumblist')) {
      breadcrumb = list(value.itemListElement)
        .filter(isNode)
        .sort((a, b) => Number(a.position) - Number(b.position))
        .map((e) => named(e.item) ?? str(e.name))
        .filter((n): n is string => !!n);
      return;
    }
    if (value['@graph'] !== undefined) visit(value['@graph'], depth + 1);
    if (t.includes('itemlist') || t.includes('offercatalog')) visit(value.itemListElement, depth + 1);
    if (t.includes('listitem')) visit(value.item, depth + 1);
    // A page (WebPage, CollectionPage) may hold its products under mainEntity.
    if (value.mainEntity !== undefined) visit(value.mainEntity, depth + 1);
  };
  for (const root of roots) visit(root, 0);
  return products.map((node) => {
    const name = str(node.name);
    const crumbs = breadcrumb.filter((c) => c !== name);
    const offers = offerInfo(node.offers);
    const rating = isNode(node.aggregateRating) ? node.aggregateRating : undefined;
    const popularity = rating ? (str(rating.reviewCount) ?? str(rating.ratingCount)) : undefined;
    const attributes = [str(node.color) && `color:${str(node.color)}`, str(node.material) && `material:${str(node.material)}`].filter((a): a is string => !!a);
    return {
      id: productId(node, knownIds),
      title: name,
      category: categoryLeaf(named(node.category)) ?? crumbs[crumbs.length - 1] ?? 'other',
      ...(named(node.brand) ? { brand: named(node.brand) } : {}),
      ...(offers.price !== undefined ? { price: offers.price } : {}),
      ...(offers.currency ? { currency: offers.currency } : {}),
      ...(offers.inStock !== undefined ? { inStock: offers.inStock } : {}),
      ...(imageUrl(node.image) ? { image: imageUrl(node.image) } : {}),
      ...(str(node.url) ? { url: str(node.url) } : {}),
      ...(popularity ? { popularity } : {}),
      ...(attributes.length ? { attributes } : {}),
    };
  });
}
